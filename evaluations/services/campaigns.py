"""Writes of campaigns: create, change, open (every participating department's draft evaluation,
in batches, by a job) and close (the deadline lock). Only a bureau admin of the campaign's
jurisdiction may do any of them; the caller runs inside that jurisdiction's scope.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Department, Jurisdiction
from departments.roles import Role
from departments.selectors import AnyUser, jurisdiction_roles
from evaluations.models import Campaign, Evaluation, ProjectEvaluation, ReportTemplate
from rubrics.models import Rubric
from rubrics.services import campaign_rubrics_pin

# Evaluations created per statement and per transaction: the progress bar moves once a batch.
OPENING_BATCH = 250


class CampaignRefused(PermissionDenied):
    """Only a bureau admin of the campaign's jurisdiction manages its campaigns."""

    def __init__(self) -> None:
        super().__init__(_("只有本财政部门的财政管理员可以管理自评任务。"))


class CampaignStateError(Exception):
    """The campaign is not in a status this action starts from (opened twice, closed unopened)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CampaignInvalid(Exception):
    """The campaign's fields do not hold together; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class CampaignFields:
    """What a bureau admin sets on a campaign. `departments` empty means all departments."""

    fiscal_year: int
    title: str
    notice_number: str = ""
    opens_on: datetime.date | None = None
    due_on: datetime.date | None = None
    publishes_on: datetime.date | None = None
    reminder_days: int = 3
    table_set: str = Campaign.TableSet.GUANGDONG_OVERALL
    rubric: Rubric | None = None
    project_rubric: Rubric | None = None
    report_template: ReportTemplate | None = None
    departments: list[Department] = field(default_factory=list)


# Fixed once the campaign is opened: its evaluations are made and scored with them.
FIXED_WHEN_OPEN = ("fiscal_year", "table_set", "rubric", "project_rubric", "report_template")


def dates_errors(fields: CampaignFields) -> dict[str, str]:
    """Each date that contradicts another, with the message to show at it."""
    errors = {}
    if fields.opens_on and fields.due_on and fields.due_on < fields.opens_on:
        errors["due_on"] = _("截止日期不能早于开始日期。")
    if fields.due_on and fields.publishes_on and fields.publishes_on < fields.due_on:
        errors["publishes_on"] = _("公开日期不能早于截止日期。")
    return errors


def ensure_bureau_admin(*, user: AnyUser, jurisdiction: Jurisdiction) -> None:
    if Role.BUREAU_ADMIN not in jurisdiction_roles(user=user, jurisdiction=jurisdiction):
        raise CampaignRefused


def department_group(*, parent: Department) -> list[Department]:
    """A department and every department under it (Department.parent, any depth)."""
    group = [parent]
    level = [parent.pk]
    while level:
        children = list(Department.objects.filter(parent_id__in=level).order_by("pk"))
        group += children
        level = [child.pk for child in children]
    return group


@transaction.atomic
def campaign_create(*, jurisdiction: Jurisdiction, fields: CampaignFields, by: AnyUser) -> Campaign:
    """A new campaign in preparation (准备中); blank rubrics get the table set's current ones."""
    ensure_bureau_admin(user=by, jurisdiction=jurisdiction)
    _check(jurisdiction, fields)
    campaign = Campaign(jurisdiction=jurisdiction)
    _assign(campaign, fields)
    campaign.save()
    campaign.departments.set(fields.departments)
    campaign_rubrics_pin(campaign=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, fields: CampaignFields, by: AnyUser) -> Campaign:
    """Change a campaign. Once it is open, what its evaluations are made and scored with stays;
    departments may join (their drafts are made by the opening job again), none with one may leave.
    """
    ensure_bureau_admin(user=by, jurisdiction=campaign.jurisdiction)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check(campaign.jurisdiction, fields)
    opened = campaign.status != Campaign.Status.PREPARING
    if opened:
        _check_open_change(campaign, fields)
    before = set(campaign.departments.values_list("pk", flat=True))
    _assign(campaign, fields, skip=FIXED_WHEN_OPEN if opened else ())
    campaign.save()
    campaign.departments.set(fields.departments)
    if not opened:
        campaign_rubrics_pin(campaign=campaign)
    elif campaign.status == Campaign.Status.OPEN and before != {d.pk for d in fields.departments}:
        _start_opening_job(campaign)
    return campaign


def _check(jurisdiction: Jurisdiction, fields: CampaignFields) -> None:
    errors = dates_errors(fields)
    if not fields.title.strip():
        errors["title"] = _("请填写标题。")
    if any(d.jurisdiction_id != jurisdiction.pk for d in fields.departments):
        errors["departments"] = _("只能选择本财政区划的预算部门。")
    if errors:
        raise CampaignInvalid(errors)


def _check_open_change(campaign: Campaign, fields: CampaignFields) -> None:
    errors = {
        name: _("自评任务已开始填报，不能再修改此项。")
        for name in FIXED_WHEN_OPEN
        if getattr(fields, name) != getattr(campaign, name)
    }
    leaving = _participant_ids(campaign) - _participant_ids_of(campaign, fields.departments)
    if Evaluation.objects.filter(campaign=campaign, department_id__in=leaving).exists():
        errors["departments"] = _("已创建自评的部门不能移出自评任务。")
    if errors:
        raise CampaignInvalid(errors)


def _assign(campaign: Campaign, fields: CampaignFields, skip: Iterable[str] = ()) -> None:
    values: dict[str, Any] = {
        name: getattr(fields, name) for name in CampaignFields.__dataclass_fields__
    }
    values.pop("departments")
    values["title"] = values["title"].strip()
    values["notice_number"] = values["notice_number"].strip()
    for name in skip:
        values.pop(name)
    for name, value in values.items():
        setattr(campaign, name, value)


def participating_departments(campaign: Campaign) -> list[int]:
    """Ids of the departments taking part, in id order: those chosen, else all of the jurisdiction."""
    chosen = list(campaign.departments.order_by("pk").values_list("pk", flat=True))
    if chosen:
        return chosen
    return list(
        Department.objects.filter(jurisdiction_id=campaign.jurisdiction_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _participant_ids(campaign: Campaign) -> set[int]:
    return set(participating_departments(campaign))


def _participant_ids_of(campaign: Campaign, departments: list[Department]) -> set[int]:
    if departments:
        return {d.pk for d in departments}
    return set(
        Department.objects.filter(jurisdiction_id=campaign.jurisdiction_id).values_list(
            "pk", flat=True
        )
    )


def campaign_open(*, campaign: Campaign, by: AnyUser) -> Campaign:
    """开始填报: the campaign opens now, and a job makes every participating department's draft
    evaluation (sent after the commit; see `campaign_evaluations_create`)."""
    ensure_bureau_admin(user=by, jurisdiction=campaign.jurisdiction)
    with transaction.atomic():
        total = len(participating_departments(campaign))
        moved = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.PREPARING).update(
            status=Campaign.Status.OPEN,
            opened_at=timezone.now(),
            opening_total=total,
            opening_done=0,
        )
        if not moved:
            raise CampaignStateError(_("此自评任务已开始填报或已截止，不能再次开始。"))
        campaign.refresh_from_db()
        _start_opening_job(campaign)
    return campaign


def _start_opening_job(campaign: Campaign) -> None:
    from evaluations.tasks import campaign_open_evaluations

    campaign_id = campaign.pk
    transaction.on_commit(lambda: campaign_open_evaluations.delay(campaign_id))


def campaign_evaluations_create(*, campaign: Campaign) -> int:
    """Make the draft evaluation of every participating department that has none, in batches
    (a rerun makes nothing twice), with empty shells of the projects each department evaluated
    in the previous year's campaign; keeps opening_total / opening_done current. Returns how
    many participants have their evaluation."""
    departments = participating_departments(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(opening_total=len(departments), opening_done=0)
    done = 0
    for start in range(0, len(departments), OPENING_BATCH):
        batch = departments[start : start + OPENING_BATCH]
        with transaction.atomic():
            _create_batch(campaign, batch)
            done += len(batch)
            Campaign.objects.filter(pk=campaign.pk).update(opening_done=done)
    return done


def _create_batch(campaign: Campaign, department_ids: list[int]) -> None:
    Evaluation.objects.bulk_create(
        (Evaluation(campaign=campaign, department_id=pk) for pk in department_ids),
        ignore_conflicts=True,
    )
    # Locked, so two runs at once give each evaluation its shells once.
    evaluations = dict(
        Evaluation.objects.select_for_update()
        .filter(campaign=campaign, department_id__in=department_ids)
        .values_list("department_id", "pk")
    )
    with_projects = set(
        ProjectEvaluation.objects.filter(evaluation_id__in=evaluations.values()).values_list(
            "evaluation__department_id", flat=True
        )
    )
    shells = _previous_projects(campaign, set(evaluations) - with_projects)
    ProjectEvaluation.objects.bulk_create(
        ProjectEvaluation(evaluation_id=evaluations[department_id], **names)
        for department_id, names in shells
    )


def _previous_projects(
    campaign: Campaign, department_ids: set[int]
) -> list[tuple[int, dict[str, str]]]:
    """Each department's projects of the previous year's campaign: names only, figures left out."""
    if not department_ids:
        return []
    rows = (
        ProjectEvaluation.objects.filter(
            evaluation__campaign__jurisdiction_id=campaign.jurisdiction_id,
            evaluation__campaign__fiscal_year=campaign.fiscal_year - 1,
            evaluation__department_id__in=department_ids,
        )
        .order_by("evaluation__department_id", "pk")
        .values_list(
            "evaluation__department_id", "name", "supervising_department", "implementing_unit"
        )
    )
    seen: set[tuple[int, str]] = set()
    shells = []
    for department_id, name, supervising, implementing in rows:
        if (department_id, name) in seen:
            continue
        seen.add((department_id, name))
        shells.append(
            (
                department_id,
                {
                    "name": name,
                    "supervising_department": supervising,
                    "implementing_unit": implementing,
                },
            )
        )
    return shells


def campaign_close(*, campaign: Campaign, by: AnyUser) -> Campaign:
    """截止: the campaign closes now; from then the deadline lock (evaluations.workflow.locked)
    holds every department's data, but for an evaluation an admin reopens."""
    ensure_bureau_admin(user=by, jurisdiction=campaign.jurisdiction)
    moved = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).update(
        status=Campaign.Status.CLOSED, closed_at=timezone.now()
    )
    if not moved:
        raise CampaignStateError(_("只有填报中的自评任务可以截止。"))
    campaign.refresh_from_db()
    return campaign
