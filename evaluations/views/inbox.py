"""消息 (the inbox): a person's own notifications, whatever their departments.

Not a tenant URL: the entries belong to their recipient, so every read filters by the user
and another person's entry is a 404. Opening an entry marks it read, hence a POST (a GET never
writes), and then goes to the page it is about, only if that is a path of this site.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.models import Notification
from evaluations.selectors.inbox import inbox_page
from evaluations.services.notifications import mark_read

UNREAD = "unread"


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == UNREAD
    page = inbox_page(user=request.user, unread_only=unread_only, number=request.GET.get("page"))
    return TemplateResponse(
        request,
        "evaluations/inbox.html",
        {"page": page, "entries": page.object_list, "unread_only": unread_only},
    )


@login_required
@require_POST
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    mark_read(user=request.user, ids=[notification.pk])
    return HttpResponseRedirect(site_path(notification.url) or reverse("inbox:list"))


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_read(user=request.user)
    if count:
        messages.success(request, _("已将 %(count)d 条消息标为已读。") % {"count": count})
    return redirect("inbox:list")


def site_path(url: str) -> str | None:
    """The URL if it is a path of this site ("/d/…"), never another host: no open redirect."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return url
    return None


urls: list[URLPattern] = [
    path("", inbox, name="list"),
    path("<int:pk>/open/", inbox_open, name="open"),
    path("read-all/", inbox_read_all, name="read-all"),
]
