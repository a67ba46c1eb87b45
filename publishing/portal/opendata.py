"""Not built yet (issue 13)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def schema(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def publication_json(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def publication_csv(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_json(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def campaign_csv(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
