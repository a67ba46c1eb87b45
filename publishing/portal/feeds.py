"""Not built yet (issue 13)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def feed(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
