"""Not built yet (issue 13)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def publication(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
