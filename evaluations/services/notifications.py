"""Telling people what happened: an inbox entry (站内消息) now, an e-mail once the change commits.

The inbox entries are written in the caller's transaction, so they exist exactly when the change
does; the e-mail goes out from a Celery task sent on commit (a rolled-back change sends nothing).
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
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
    # The entry is stored as text read later by others: in the site's language, not the actor's.
    with translation.override(settings.LANGUAGE_CODE):
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
    """Send the e-mail of each entry not yet e-mailed; returns how many went out.

    Idempotent: an entry is claimed (emailed_at set) in the statement that checks it, so a task
    run twice sends it once. A failed send gives the claim back before raising, so the task's
    retry sends it then instead of losing it.
    """
    sent = 0
    connection = get_connection()
    entries = Notification.objects.filter(pk__in=list(notification_ids)).select_related("recipient")
    for notification in entries.order_by("pk"):
        # A deactivated account keeps its inbox but receives no more e-mail.
        address = notification.recipient.email if notification.recipient.is_active else ""
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not address or not claimed:
            continue
        try:
            connection.send_messages([notification_email(notification, address)])
        except Exception:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent


def notification_email(notification: Notification, address: str) -> EmailMessage:
    """The e-mail of an inbox entry, in Chinese, with absolute links (SITE_URL) to its page and
    to the inbox: a mail reader has no site to resolve a path against."""
    lines = [
        _("%(name)s，您好：") % {"name": person_name(notification.recipient)},
        "",
        notification.subject,
    ]
    if notification.body:
        lines.append(notification.body)
    if notification.url:
        lines += ["", _("查看详情：%(link)s") % {"link": absolute_url(notification.url)}]
    lines += [
        _("全部消息：%(link)s") % {"link": absolute_url(reverse("inbox:list"))},
        "",
        _("此邮件由预算绩效自评平台自动发送，请勿直接回复。"),
    ]
    subject = _("【预算绩效自评】%(subject)s") % {"subject": notification.subject}
    return EmailMessage(subject=subject, body="\n".join(lines), to=[address])


def absolute_url(path: str) -> str:
    """A path of this site as a full address; a full address is kept as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"
