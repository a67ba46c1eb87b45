"""The URL of a configured database, for a child process (a Celery worker, a command) that must
use the same one: tests pass their test database on, benchmarks their throw-away one."""

from typing import Any
from urllib.parse import quote


def url_of(database: dict[str, Any]) -> str:
    """A `DATABASE_URL` for Django's settings of one database (a Unix socket host quoted)."""
    host = database["HOST"] or "localhost"
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{database['PORT']}" if database["PORT"] else ""
    user = quote(database["USER"] or "")
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{host}{port}/{database['NAME']}"
