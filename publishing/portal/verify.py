"""Not built yet (issue 13)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def upload(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def code(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
