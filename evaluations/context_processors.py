from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from evaluations.selectors.inbox import unread_count


def inbox(request: HttpRequest) -> dict[str, object]:
    """The unread count for the header's 「消息」: one COUNT, run when a page shows it, and only
    for a signed-in user (anonymous pages and responses without a template query nothing)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
