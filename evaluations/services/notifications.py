"""Telling people what happened: an inbox entry (站内消息) now, an e-mail once the change commits.

The inbox entries are written in the caller's transaction, so they exist exactly when the change
does; the e-mail goes out from a Celery task sent on commit (a rolled-back change sends nothing).
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from departments.models import DepartmentMembership, JurisdictionMembership
from departments.roles import Role
from departments.selectors import person_name
from evaluations.models import Evaluation, Notification, Transition

# Who hears of each transition besides the person who made it.
DEPARTMENT = frozenset({Role.FILLER, Role.DEPARTMENT_HEAD})
AUDIENCE: dict[str, tuple[frozenset[Role], bool]] = {
    # step → (department roles told, whether the bureau's reviewers are told)
    "submit": (DEPARTMENT, True),
    "return": (DEPARTMENT, False),
    "approve": (DEPARTMENT, False),
    "publish": (DEPARTMENT, True),
    "reopen": (DEPARTMENT, True),
    "withdraw": (DEPARTMENT, True),
}

SUBJECTS = {
    "submit": "%(department)s %(year)s 年度自评已提交",
    "return": "%(department)s %(year)s 年度自评被退回修改",
    "approve": "%(department)s %(year)s 年度自评已审核通过",
    "publish": "%(department)s %(year)s 年度自评已公开",
    "reopen": "%(department)s %(year)s 年度自评已重新开放填报",
    "withdraw": "%(department)s %(year)s 年度自评已撤回公开",
}


def evaluation_url(evaluation: Evaluation) -> str:
    return reverse(
        "department:evaluation",
        kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
    )


def department_people(evaluation: Evaluation, roles: Iterable[Role]) -> list[int]:
    with scopes_disabled():
        return list(
            DepartmentMembership.objects.filter(
                department_id=evaluation.department_id, role__in=list(roles)
            )
            .values_list("user_id", flat=True)
            .distinct()
        )


def bureau_reviewers(evaluation: Evaluation) -> list[int]:
    with scopes_disabled():
        return list(
            JurisdictionMembership.objects.filter(
                jurisdiction_id=evaluation.department.jurisdiction_id, role=Role.REVIEWER
            )
            .values_list("user_id", flat=True)
            .distinct()
        )


def notify_transition(*, transition: Transition) -> list[Notification]:
    """Tell everyone concerned by a transition, but its actor."""
    evaluation = transition.evaluation
    roles, reviewers = AUDIENCE.get(transition.name, (DEPARTMENT, False))
    recipients = set(department_people(evaluation, roles))
    if reviewers:
        recipients |= set(bureau_reviewers(evaluation))
    recipients.discard(transition.actor_id)
    subject = _(SUBJECTS.get(transition.name, "%(department)s %(year)s 年度自评状态变更")) % {
        "department": evaluation.department.name,
        "year": evaluation.campaign.fiscal_year,
    }
    body = _("操作人：%(who)s；时间：%(when)s。") % {
        "who": person_name(transition.actor),
        "when": timezone.localtime(transition.at).strftime("%Y-%m-%d %H:%M"),
    }
    if transition.reason:
        body += _("理由：%(reason)s") % {"reason": transition.reason}
    return notify(
        user_ids=sorted(recipients),
        subject=subject,
        body=body,
        url=evaluation_url(evaluation),
        evaluation=evaluation,
    )


def notify(
    *,
    user_ids: Iterable[int],
    subject: str,
    body: str,
    url: str,
    evaluation: Evaluation | None = None,
) -> list[Notification]:
    """Put one entry in each person's inbox and send each an e-mail after the commit."""
    created = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id, evaluation=evaluation, subject=subject, body=body, url=url
        )
        for user_id in user_ids
    )
    ids = [notification.pk for notification in created]
    if ids:
        from evaluations.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's entries read (all unread ones when no ids are given); returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def email_notifications(*, notification_ids: Iterable[int]) -> int:
    """Send the e-mail of each entry not yet e-mailed; returns how many went out. Idempotent:
    an entry is marked e-mailed in the same statement that claims it, so a retried task skips it."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=list(notification_ids)).select_related(
        "recipient"
    ):
        address = notification.recipient.email
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not address or not claimed:
            continue
        body = f"{notification.body}\n\n{settings.SITE_URL}{notification.url}"
        send_mail(notification.subject, body, None, [address])
        sent += 1
    return sent
