"""The workflow's transitions as services: submit, return, approve, publish, reopen, withdraw.

Each checks the step's roles and preconditions, then changes the state in one conditional UPDATE
inside a transaction (two people at once: the first wins, the second is told who did what),
records the transition (and on a submission the frozen snapshot with its SHA-256, on a return the
comments), and notifies the people concerned: the inbox in the same transaction, e-mail on commit.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.roles import Role
from departments.selectors import AnyUser, person_name
from evaluations.models import (
    Evaluation,
    IndicatorScore,
    ReviewComment,
    Submission,
    Transition,
)
from evaluations.selectors.checks import evaluation_violations, explanations_of, unexplained_among
from evaluations.selectors.evaluations import evaluation_values
from evaluations.selectors.snapshots import canonical_sha256, evaluation_snapshot
from evaluations.services.notifications import notify_transition
from evaluations.tables.registry import scoped_sections, sections_for
from evaluations.tasks import summarize_on_commit
from evaluations.workflow import STEPS, Step, allowed_steps, locked

COMMENT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000


class UnknownStep(LookupError):
    """No transition of that name."""


class StepRefused(PermissionDenied):
    """The user's roles do not allow this transition."""

    def __init__(self, step: Step) -> None:
        super().__init__(_("您的角色不能执行「%(step)s」。") % {"step": step.label})


class StateMoved(Exception):
    """The evaluation is no longer in a state the step starts from: someone else moved it."""

    def __init__(self, evaluation: Evaluation, last: Transition | None) -> None:
        self.state = evaluation.state
        self.last = last
        state = Evaluation.State(evaluation.state).label
        if last is None:
            message = _("此自评现为「%(state)s」，不能执行此操作。") % {"state": state}
        else:
            message = _("%(who)s 已于 %(when)s 执行「%(step)s」，此自评现为「%(state)s」。") % {
                "who": person_name(last.actor),
                "when": timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M"),
                "step": STEPS[last.name].label if last.name in STEPS else last.name,
                "state": state,
            }
        super().__init__(message)
        self.message = message


class StepBlocked(Exception):
    """The step's preconditions do not hold: the list says what stands in the way."""

    def __init__(self, blockers: Sequence[dict[str, str]]) -> None:
        super().__init__("; ".join(blocker["message"] for blocker in blockers))
        self.blockers = list(blockers)


@dataclass(frozen=True)
class CommentInput:
    """A reviewer's comment as sent: on a section, optionally one row (from 0) and one field."""

    section: str
    text: str
    row: int | None = None
    field: str = ""


def evaluation_transition(
    *,
    evaluation: Evaluation,
    name: str,
    by: AnyUser,
    roles: frozenset[Role],
    reason: str = "",
    comments: Iterable[CommentInput] = (),
    remote_addr: str | None = None,
) -> Transition:
    """Carry out the named transition, or raise UnknownStep, StepRefused, StepBlocked or StateMoved."""
    step = STEPS.get(name)
    if step is None:
        raise UnknownStep(name)
    if not step.roles & roles:
        raise StepRefused(step)
    reason = reason.strip()
    comments = list(comments)
    blockers = _blockers(step, evaluation, roles, reason, comments)
    if blockers:
        raise StepBlocked(blockers)
    now = timezone.now()
    with transaction.atomic():
        changes = _changes(step, evaluation, now, reason)
        # The base manager, not the scoped one: the scope's join makes Django write
        # `WHERE id IN (SELECT …)`, whose subquery PostgreSQL does not re-check after waiting for
        # another transaction's lock, so two people at once would both move the state. A plain
        # `WHERE id = … AND state IN (…)` is re-checked: the second finds the state moved. (The
        # evaluation was loaded inside the tenant's scope.)
        moved = Evaluation._base_manager.filter(pk=evaluation.pk, state__in=step.sources).update(
            state=step.target, updated_at=now, **changes
        )
        if not moved:
            evaluation.refresh_from_db(fields=["state"])
            raise StateMoved(evaluation, last_transition(evaluation))
        transition = Transition.objects.create(
            evaluation=evaluation,
            name=step.name,
            from_state=evaluation.state,
            to_state=step.target,
            actor=cast(User, by),  # anonymous callers never get past the tenant's door
            reason=reason,
            late=bool(changes.get("submitted_late")),
            remote_addr=remote_addr,
        )
        for field, value in {"state": step.target, "updated_at": now, **changes}.items():
            setattr(evaluation, field, value)
        if step.name == "submit":
            _freeze(evaluation, transition)
        if step.name in ("publish", "withdraw"):
            _publication_step(evaluation, transition, reason)
        ReviewComment.objects.bulk_create(
            ReviewComment(
                evaluation=evaluation,
                transition=transition,
                section=comment.section,
                row=comment.row,
                field=comment.field,
                text=comment.text,
            )
            for comment in comments
        )
        notify_transition(transition=transition)
        summarize_on_commit(evaluation.pk)
    return transition


def last_transition(evaluation: Evaluation) -> Transition | None:
    return (
        Transition.objects.filter(evaluation=evaluation)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def _changes(step: Step, evaluation: Evaluation, now: Any, reason: str) -> dict[str, Any]:
    """The columns a step sets besides the state."""
    if step.name == "submit":
        due = evaluation.campaign.due_on
        late = due is not None and timezone.localdate(now) > due
        first = evaluation.first_submitted_at or now
        return {"submitted_at": now, "first_submitted_at": first, "submitted_late": late}
    if step.name == "approve":
        return {"approved_at": now}
    if step.name == "publish":
        return {"published_at": now, "withdrawal_reason": ""}
    if step.name == "withdraw":
        return {"withdrawal_reason": reason, "published_at": None}
    if step.name == "reopen":
        return {"unlocked": locked(evaluation) or evaluation.unlocked}
    return {}


def _publication_step(evaluation: Evaluation, transition: Transition, reason: str) -> None:
    """Publishing makes the publication (its files are rendered by a task sent on commit);
    withdrawing marks it withdrawn with the reason."""
    from publishing.services import publication_start, publication_withdraw

    if transition.name == "publish":
        publication_start(evaluation=evaluation, transition=transition)
    else:
        publication_withdraw(evaluation=evaluation, reason=reason)


def _freeze(evaluation: Evaluation, transition: Transition) -> Submission:
    content = evaluation_snapshot(evaluation)
    number = (
        Submission.objects.filter(evaluation=evaluation).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return Submission.objects.create(
        evaluation=evaluation,
        number=number,
        transition=transition,
        content=content,
        sha256=canonical_sha256(content),
    )


# --- preconditions -------------------------------------------------------------------------------


def _blockers(
    step: Step,
    evaluation: Evaluation,
    roles: frozenset[Role],
    reason: str,
    comments: list[CommentInput],
) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if step.reason_required and not reason:
        found.append(_blocker("reason", _("请填写理由。")))
    if len(reason) > REASON_MAX_LENGTH:
        found.append(_blocker("reason", _("理由过长：最多 2000 字。")))
    if comments and step.name != "return":
        found.append(_blocker("comments", _("只有退回时可以附审核意见。")))
    found += _comment_blockers(evaluation, comments)
    if evaluation.state in step.sources and step not in allowed_steps(evaluation, roles):
        found.append(
            _blocker("locked", _("自评任务已截止，不能再提交；请联系财政管理员重新开放。"))
        )
    if step.name == "submit" and evaluation.state in step.sources:
        found += submission_blockers(evaluation)
    if step.name == "approve" and evaluation.state in step.sources:
        found += approval_blockers(evaluation)
    return found


def _blocker(kind: str, message: str, **where: str) -> dict[str, str]:
    return {"kind": kind, "message": message, **where}


def submission_blockers(evaluation: Evaluation) -> list[dict[str, str]]:
    """Error-level findings, and warnings without their written explanation, stop a submission."""
    violations = evaluation_violations(evaluation, evaluation_values(evaluation))
    found = [
        _blocker("error", v.message, section=v.section, field=v.field, code=v.code)
        for v in violations
        if v.is_error
    ]
    found += [
        _blocker(
            "unexplained",
            _("警告须填写说明：%(message)s") % {"message": v.message},
            section=v.section,
            field=v.field,
            code=v.code,
        )
        for v in unexplained_among(violations, explanations_of(evaluation))
    ]
    return found


def approval_blockers(evaluation: Evaluation) -> list[dict[str, str]]:
    """Approval needs the reviewer's verified scores: at least one, entered while reviewing."""
    if IndicatorScore.objects.filter(evaluation=evaluation, verified__isnull=False).exists():
        return []
    return [
        _blocker(
            "verified", _("请先在评分表中填写核查得分，再审核通过。"), section="scores.verified"
        )
    ]


def _comment_blockers(evaluation: Evaluation, comments: list[CommentInput]) -> list[dict[str, str]]:
    if not comments:
        return []
    keys = {s.key for s in (*sections_for(evaluation), *scoped_sections(evaluation))}
    found = []
    for comment in comments:
        if comment.section not in keys:
            found.append(
                _blocker("comments", _("没有这个栏目：%(key)s") % {"key": comment.section})
            )
        elif not comment.text.strip():
            found.append(_blocker("comments", _("审核意见不能为空。"), section=comment.section))
        elif len(comment.text) > COMMENT_MAX_LENGTH:
            found.append(
                _blocker("comments", _("审核意见过长：最多 2000 字。"), section=comment.section)
            )
    return found
