"""Publishing: make a publication on the publish transition, render and store its artifacts in a
task, withdraw it, retry a failed one, publish a whole campaign.

    publish transition ──► Publication (pending) ──on commit──► publish_evaluation task
                                                                   │ each missing artifact:
                                                                   │ build, store, record
                                                                   ▼
                                     published ◄── all stored      failed ◄── any error (retry)

The task may run more than once for one publication (a worker killed mid-render gets its message
back: acks_late and reject_on_worker_lost; a reviewer retries a failed one). Every run builds only
the artifacts not yet recorded, and each artifact is stored and recorded under a lock on the
publication's row, so whatever happens the publication ends with exactly one artifact per key.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from departments.roles import Role
from departments.scoping import department_scope
from evaluations.models import Campaign, Evaluation, Submission, Transition
from publishing.archive import BuiltArtifact, artifact_builder
from publishing.figures import publication_figures
from publishing.models import Artifact, Publication, artifact_path

logger = logging.getLogger(__name__)

State = Publication.State
# Who may publish, retry a failed publication and publish a whole campaign (as the publish step).
PUBLISHER_ROLES = frozenset({Role.REVIEWER, Role.BUREAU_ADMIN})


# --- the publish and withdraw steps (called inside the transition's transaction) ---------------


def publication_start(*, evaluation: Evaluation, transition: Transition) -> Publication:
    """The publication of a publish transition, pending until its task has stored every artifact.

    Called by `evaluation_transition` inside its transaction, in the tenant's scope; the task is
    sent when the transaction commits (a rolled-back transition renders nothing)."""
    campaign = evaluation.campaign
    department = evaluation.department
    previous = Publication.objects.filter(evaluation=evaluation).aggregate(n=Max("number"))["n"]
    submission = (
        Submission.objects.filter(evaluation=evaluation).order_by("-number").only("sha256").first()
    )
    title = publication_title(evaluation)
    publication = Publication.objects.create(
        evaluation=evaluation,
        department=department,
        jurisdiction_id=department.jurisdiction_id,
        fiscal_year=campaign.fiscal_year,
        title=title,
        number=(previous or 0) + 1,
        transition=transition,
        submission=submission,
        snapshot_sha256=submission.sha256 if submission else "",
        rubric_version=rubric_version(campaign),
        figures=publication_figures(evaluation),
        search_text=f"{department.name} {title} {campaign.title}",
    )
    publication_send_on_commit(publication.pk)
    return publication


def publication_title(evaluation: Evaluation) -> str:
    """「<部门><年度>年度部门整体支出绩效自评报告」, or 项目支出 for a project-only campaign: the
    department and the year in the title, so that a list of titles reads on its own."""
    campaign = evaluation.campaign
    kind = (
        _("项目支出") if campaign.table_set == Campaign.TableSet.PROJECT_ONLY else _("部门整体支出")
    )
    return _("%(department)s%(year)d年度%(kind)s绩效自评报告") % {
        "department": evaluation.department.name,
        "year": campaign.fiscal_year,
        "kind": kind,
    }


def rubric_version(campaign: Campaign) -> str:
    """The campaign's pinned rubrics as `id v<version>` (the scores were computed with them)."""
    rubrics = [r for r in (campaign.rubric, campaign.project_rubric) if r is not None]
    return "; ".join(f"{r.rubric_id} v{r.version}" for r in rubrics)


def publication_withdraw(*, evaluation: Evaluation, reason: str) -> Publication | None:
    """The withdraw step: the evaluation's latest publication not yet withdrawn becomes withdrawn,
    with the reason the public reads. Its artifacts stay (immutable); the portal stops serving
    them. A task still rendering it finds it withdrawn and leaves it so."""
    publication = (
        Publication.objects.filter(evaluation=evaluation)
        .exclude(state=State.WITHDRAWN)
        .order_by("-number")
        .first()
    )
    if publication is None:
        return None
    now = timezone.now()
    Publication._base_manager.filter(pk=publication.pk).update(
        state=State.WITHDRAWN, withdrawn_at=now, withdrawal_reason=reason
    )
    publication.state, publication.withdrawn_at = State.WITHDRAWN, now
    publication.withdrawal_reason = reason
    return publication


def publication_send_on_commit(publication_id: int) -> None:
    from publishing.tasks import publish_evaluation

    # robust: the transition has committed; a broker down must not turn it into an error page
    # (the error is logged and the publication stays pending).
    transaction.on_commit(lambda: publish_evaluation.delay(publication_id), robust=True)


class RetryRefused(Exception):
    """The publication is not failed (any more): someone retried it, or it was withdrawn."""


# A publication pending this long has probably lost its task (the hard time limit ended it, or
# the broker was down when it was sent): it may be retried like a failed one. A retry of one
# that was merely queued is harmless: the second run finds its work done.
STALE_AFTER = timedelta(minutes=15)


def _retryable() -> Q:
    stale = timezone.now() - STALE_AFTER
    return Q(state=State.FAILED) | Q(state=State.PENDING, requested_at__lt=stale)


def retryable_publication(evaluation: Evaluation) -> Publication | None:
    """The evaluation's publication that 「重新生成」 would send again: failed, or stuck pending."""
    return (
        Publication.objects.filter(_retryable(), evaluation=evaluation).order_by("-number").first()
    )


def publication_retry(
    *, publication: Publication, by: AbstractBaseUser | AnonymousUser, roles: frozenset[Role]
) -> Publication:
    """「重新生成」: a failed (or stuck) publication goes back to pending and its task is sent
    again; what an earlier run stored stays and is not built again."""
    if not roles & PUBLISHER_ROLES:
        raise PermissionDenied(_("只有财政审核人或财政管理员可以重新生成。"))
    with transaction.atomic():
        moved = Publication._base_manager.filter(_retryable(), pk=publication.pk).update(
            state=State.PENDING, error=""
        )
        if not moved:
            raise RetryRefused(_("此公开不是「生成失败」状态，无需重新生成。"))
        logger.info("publication %s: retry by %s", publication.pk, by.pk)
        publication_send_on_commit(publication.pk)
    publication.refresh_from_db()
    return publication


# --- the task's body -----------------------------------------------------------------------------


def publication_render(publication_id: int) -> str:
    """Build and store every artifact of the publication not yet stored, then publish it.

    Returns the state it leaves. Any error fails the publication with a message in Chinese (the
    traceback goes to the log, not to users); a worker killed mid-run leaves at most a file that
    no artifact records, which the next run replaces."""
    with scopes_disabled():
        department_id = (
            Publication.objects.filter(pk=publication_id)
            .values_list("department_id", flat=True)
            .first()
        )
    if department_id is None:
        return "missing"
    with department_scope(department_id):
        publication = Publication.objects.select_related(
            "evaluation__campaign", "evaluation__department", "jurisdiction"
        ).get(pk=publication_id)
        if publication.state != State.PENDING:
            # Published by an earlier delivery, withdrawn, or failed and not retried.
            return str(publication.state)
        logger.info("publication %s: run starts", publication_id)
        try:
            _store_missing(publication)
        except SoftTimeLimitExceeded:
            logger.exception("publication %s: time limit", publication_id)
            return _fail(publication, _("生成超时：文件未能在规定时间内生成，请重新生成。"))
        except Exception as error:  # any error fails the publication (logged, not shown)
            logger.exception("publication %s: failed", publication_id)
            return _fail(publication, _user_message(error))
        published = Publication._base_manager.filter(pk=publication.pk, state=State.PENDING).update(
            state=State.PUBLISHED, published_at=timezone.now()
        )
        logger.info("publication %s: run ends", publication_id)
        return State.PUBLISHED if published else _state_of(publication)


def _store_missing(publication: Publication) -> None:
    with artifact_builder(publication) as builder:
        keys = builder.keys
        Publication._base_manager.filter(pk=publication.pk).update(documents_total=len(keys))
        stored = set(
            Artifact.objects.filter(publication=publication).values_list("document", flat=True)
        )
        for position, key in enumerate(keys):
            if key in stored:
                continue
            _store(publication, builder.build(key), position)


def _store(publication: Publication, built: BuiltArtifact, position: int) -> None:
    """Store one built artifact's file and record it, under a lock on the publication's row, so
    that two runs at once (a redelivered message and a retry) never both store the same key."""
    content = built.content
    artifact = Artifact(
        publication=publication,
        document=built.document,
        title=built.title[:200],
        filename=built.filename[:200],
        mimetype=built.mimetype,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=built.pages,
        position=position,
    )
    name = artifact_path(artifact, built.filename)
    try:
        with transaction.atomic():
            Publication._base_manager.select_for_update().filter(pk=publication.pk).first()
            if Artifact.objects.filter(publication=publication, document=built.document).exists():
                return  # another run stored it meanwhile
            if default_storage.exists(name):
                # Left by a run killed between writing the file and recording it: no artifact
                # names it (checked above, under the lock), so it is replaced.
                logger.warning("publication %s: replacing unrecorded %s", publication.pk, name)
                default_storage.delete(name)
            artifact.file.name = default_storage.save(name, ContentFile(content))
            artifact.save()
            Publication._base_manager.filter(pk=publication.pk).update(
                documents_done=F("documents_done") + 1
            )
    except IntegrityError:
        # The unique constraint: the same key recorded by another run. Done, whoever did it.
        logger.info("publication %s: %s stored by another run", publication.pk, built.document)


def _user_message(error: Exception) -> str:
    from publishing.signing import SigningNotConfigured

    if isinstance(error, SigningNotConfigured):
        return str(error)
    return _("生成公开文件时出错，请稍后重新生成；如仍失败，请联系系统管理员。")


def _fail(publication: Publication, message: str) -> str:
    failed = Publication._base_manager.filter(pk=publication.pk, state=State.PENDING).update(
        state=State.FAILED, error=message
    )
    return State.FAILED if failed else _state_of(publication)


def _state_of(publication: Publication) -> str:
    publication.refresh_from_db(fields=["state"])
    return str(publication.state)


# --- bulk publishing -------------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    published: int = 0
    # (department's name, why not) for each approved evaluation not published
    refused: list[tuple[str, str]] = field(default_factory=list)


def campaign_publish_request(
    *,
    campaign: Campaign,
    by: AbstractBaseUser | AnonymousUser,
    roles: frozenset[Role],
    remote_addr: str | None = None,
) -> int:
    """「公开全部已审核」: send the bulk job (`campaign_publish_all` in a task: the publish steps of
    hundreds of evaluations take minutes, too long for a request). Returns how many evaluations
    are approved and about to be published."""
    from publishing.tasks import publish_campaign

    if not roles & PUBLISHER_ROLES:
        raise PermissionDenied(_("只有财政审核人或财政管理员可以公开。"))
    count = approved_count(campaign)
    user_id, campaign_id = by.pk, campaign.pk
    if count and user_id is not None:
        names = sorted(role.value for role in roles)
        transaction.on_commit(
            lambda: publish_campaign.delay(campaign_id, user_id, names, remote_addr)
        )
    return count


def campaign_publish_job(
    *, campaign_id: int, user_id: int, roles: frozenset[Role], remote_addr: str | None
) -> int:
    """The bulk job's body: `campaign_publish_all` in the campaign's jurisdiction's scope, as the
    user who asked. Safe to rerun (a redelivered message): only approved evaluations are taken."""
    from django.contrib.auth import get_user_model

    from departments.scoping import jurisdiction_scope

    with scopes_disabled():
        campaign = Campaign.objects.get(pk=campaign_id)
    user = get_user_model().objects.get(pk=user_id)
    with jurisdiction_scope(campaign.jurisdiction_id):
        outcome = campaign_publish_all(
            campaign=campaign, by=user, roles=roles, remote_addr=remote_addr
        )
    for department, why in outcome.refused:
        logger.warning("bulk publish of campaign %s: %s: %s", campaign_id, department, why)
    return outcome.published


def campaign_publish_all(
    *,
    campaign: Campaign,
    by: AbstractBaseUser | AnonymousUser,
    roles: frozenset[Role],
    remote_addr: str | None = None,
) -> BulkOutcome:
    """Publish every approved evaluation of the campaign: the real publish transition for each,
    each in its own transaction (one refused does not stop the others), each sending its own
    rendering task, so that the rendering fans out over the workers. Call inside the
    jurisdiction's scope."""
    from evaluations.services.workflow import StateMoved, StepBlocked, evaluation_transition

    if not roles & PUBLISHER_ROLES:
        raise PermissionDenied(_("只有财政审核人或财政管理员可以公开。"))
    outcome = BulkOutcome()
    approved = (
        Evaluation.objects.filter(campaign=campaign, state=Evaluation.State.APPROVED)
        .select_related("campaign", "department")
        .order_by("department__name", "pk")
    )
    for evaluation in approved:
        try:
            evaluation_transition(
                evaluation=evaluation, name="publish", by=by, roles=roles, remote_addr=remote_addr
            )
        except (StepBlocked, StateMoved) as error:
            outcome.refused.append((evaluation.department.name, str(error)))
        except Exception:  # its transaction rolled back; the others go on
            logger.exception("bulk publish: evaluation %s", evaluation.pk)
            outcome.refused.append((evaluation.department.name, _("公开时出错，请单独重试。")))
        else:
            outcome.published += 1
    return outcome


# --- reads for the tenant's screens --------------------------------------------------------------


@dataclass(frozen=True)
class PublicationPanel:
    """The evaluation page's publication panel: every publication, latest first."""

    evaluation: Evaluation
    publications: list[Publication]
    may_retry: bool  # 「重新生成」 for a failed one

    @property
    def stuck(self) -> set[int]:
        """Publications pending for longer than a render takes (offered 「重新生成」 too)."""
        stale = timezone.now() - STALE_AFTER
        return {
            p.pk for p in self.publications if p.state == State.PENDING and p.requested_at < stale
        }

    @property
    def polling(self) -> bool:
        """Whether one is still rendering: the panel asks again every two seconds."""
        return any(p.state == State.PENDING for p in self.publications)


def publication_panel(*, evaluation: Evaluation, roles: frozenset[Role]) -> PublicationPanel:
    # Never submitted, never published: no query on the drafts' pages.
    publications = (
        []
        if evaluation.first_submitted_at is None
        else list(
            Publication.objects.filter(evaluation=evaluation)
            .prefetch_related("artifacts")
            .order_by("-number")
        )
    )
    return PublicationPanel(evaluation, publications, bool(roles & PUBLISHER_ROLES))


# How long after 「公开全部已审核」 the dashboard keeps asking while approved evaluations still
# wait for the bulk job to take their publish step (a fraction of a second each). After it, an
# evaluation still approved was refused (the job's log says why) and the asking stops.
BULK_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class CampaignProgress:
    total: int
    published: int
    pending: int
    failed: list[Publication]
    approved: int  # approved, not (yet) published: the bulk job's work still to do
    requested_at: int | None = None  # when 「公开全部已审核」 was asked (seconds since the epoch)

    @property
    def done(self) -> bool:
        return self.pending == 0 and not self.waiting

    @property
    def waiting(self) -> bool:
        """The bulk job asked for moments ago has approved evaluations left to publish."""
        if not self.approved or self.requested_at is None:
            return False
        age = timezone.now().timestamp() - self.requested_at
        return 0 <= age < BULK_WINDOW.total_seconds()


def campaign_progress(campaign: Campaign, *, requested_at: int | None = None) -> CampaignProgress:
    """The campaign's live and failed publications (withdrawn ones are history): how many are
    published, still rendering, and which failed; and how many approved evaluations wait. Call
    inside the jurisdiction's scope."""
    live = Publication.objects.filter(evaluation__campaign=campaign).exclude(state=State.WITHDRAWN)
    counts = live.aggregate(
        total=Count("pk"),
        published=Count("pk", filter=Q(state=State.PUBLISHED)),
        pending=Count("pk", filter=Q(state=State.PENDING)),
    )
    failed = list(live.filter(state=State.FAILED).select_related("department").order_by("title"))
    return CampaignProgress(
        counts["total"],
        counts["published"],
        counts["pending"],
        failed,
        approved_count(campaign),
        requested_at,
    )


def requested_at_param(value: str | None) -> int | None:
    """The dashboard's `?publishing=<seconds>` as given back by 「公开全部已审核」, or None."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


def approved_count(campaign: Campaign) -> int:
    return Evaluation.objects.filter(campaign=campaign, state=Evaluation.State.APPROVED).count()
