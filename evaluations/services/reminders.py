"""Deadline reminders (截止提醒): N days before a campaign's deadline, and on the day itself, the
fillers and heads of every department that has not submitted hear how long they have left.

Run daily by Celery beat (config/celery.py). Each reminder is an inbox entry with its e-mail
(evaluations.services.notifications.notify). Its subject names the deadline and the days left, so
it is the same text all day: an evaluation that already has it is skipped, and the row lock
taken before looking makes two runs at once send it once.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from departments.scoping import jurisdiction_scope
from evaluations.models import Campaign, Evaluation, Notification
from evaluations.services.notifications import DEPARTMENT, department_people, evaluation_url, notify

# Who has not submitted yet: a draft, or one returned to them.
PENDING = (Evaluation.State.DRAFT, Evaluation.State.RETURNED)


def send_deadline_reminders(*, today: datetime.date) -> int:
    """Remind the departments of every campaign due in its reminder_days or today; returns how
    many evaluations were reminded. A second run on the same day reminds none."""
    # In the site's language whoever runs it: the subject is what a second run looks for.
    with translation.override(settings.LANGUAGE_CODE):
        return _remind_all(today=today)


def _remind_all(*, today: datetime.date) -> int:
    reminded = 0
    for campaign in campaigns_to_remind(today=today):
        with jurisdiction_scope(campaign.jurisdiction_id):
            pending = Evaluation.objects.filter(campaign=campaign, state__in=PENDING)
            for evaluation in pending.select_related("department", "campaign").order_by("pk"):
                reminded += remind(evaluation=evaluation, today=today)
    return reminded


def campaigns_to_remind(*, today: datetime.date) -> list[Campaign]:
    """Open campaigns with reminders (reminder_days > 0) due exactly that many days on, or today."""
    with scopes_disabled():
        candidates = Campaign.objects.filter(
            status=Campaign.Status.OPEN, reminder_days__gt=0, due_on__gte=today
        ).order_by("pk")
        return [
            campaign
            for campaign in candidates
            if campaign.due_on is not None
            and (campaign.due_on - today).days in (0, campaign.reminder_days)
        ]


def remind(*, evaluation: Evaluation, today: datetime.date) -> int:
    """Remind one evaluation's department, unless it was reminded of this deadline today."""
    due = evaluation.campaign.due_on
    if due is None:
        return 0
    subject = reminder_subject(evaluation, days=(due - today).days)
    with transaction.atomic():
        # Lock the evaluation's row: a concurrent run waits here, then sees the entry below.
        row = Evaluation.objects.select_for_update(of=("self",)).filter(pk=evaluation.pk)
        row.values_list("pk").get()
        if Notification.objects.filter(evaluation=evaluation, subject=subject).exists():
            return 0
        recipients = department_people(evaluation, DEPARTMENT)
        if not recipients:
            return 0
        notify(
            user_ids=recipients,
            subject=subject,
            body=reminder_body(evaluation),
            url=evaluation_url(evaluation),
            evaluation=evaluation,
        )
    return 1


def reminder_subject(evaluation: Evaluation, *, days: int) -> str:
    """The same text all day for one deadline: what the second run of a day finds and skips."""
    campaign = evaluation.campaign
    values = {
        "department": evaluation.department.name,
        "year": campaign.fiscal_year,
        "days": days,
        "due": campaign.due_on.isoformat() if campaign.due_on else "",
    }
    if days == 0:
        return _("%(department)s %(year)s 年度自评今天截止（%(due)s）") % values
    return _("%(department)s %(year)s 年度自评距截止还有 %(days)d 天（%(due)s 截止）") % values


def reminder_body(evaluation: Evaluation) -> str:
    return _(
        "自评任务「%(campaign)s」的自评尚未提交（当前状态：%(state)s）。"
        "请填报人尽快完成填报，由单位负责人在截止日期前提交；逾期提交将被标记。"
    ) % {
        "campaign": evaluation.campaign.title,
        "state": Evaluation.State(evaluation.state).label,
    }
