"""The audit context of each request: who, which URL and from which address.

pghistory copies this context into every event its triggers write during the request.
"""

from typing import Any

from django.http import HttpRequest
from pghistory.middleware import HistoryMiddleware


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's middleware (user and URL, for writing methods) plus the client's address."""

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_context(request), "remote_addr": request.META.get("REMOTE_ADDR")}
