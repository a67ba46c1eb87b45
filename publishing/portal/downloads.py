"""Not built yet (issue 13)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def download(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
