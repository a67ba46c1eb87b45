"""Reads of a person's inbox (站内消息). Every query filters by the recipient: an entry belongs
to a person, not to a tenant, so nobody else reaches it whatever their roles."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from departments.selectors import AnyUser
from evaluations.models import Notification

PAGE_SIZE = 20


def unread_count(*, user: AnyUser) -> int:
    """How many entries the user has not read: one COUNT on the (recipient, read_at) index."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def inbox_entries(*, user: AnyUser, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own entries, newest first."""
    entries = Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")
    if unread_only:
        entries = entries.filter(read_at__isnull=True)
    return entries


def inbox_page(*, user: AnyUser, unread_only: bool, number: str | int | None) -> Page:
    """One page of the inbox; a missing or malformed page number gives the first or last page."""
    entries = inbox_entries(user=user, unread_only=unread_only).only(
        "subject", "body", "url", "created_at", "read_at"
    )
    return Paginator(entries, PAGE_SIZE).get_page(number)
