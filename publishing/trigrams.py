"""pg_trgm where the server has it: the portal's search index and its ranking.

PostgreSQL has no Chinese text parser (zhparser is not available), so the portal matches words as
substrings and ranks by trigram similarity. pg_trgm is a contrib extension: Debian's and most
servers ship it, the embedded server of the quick start (pgserver) does not. Without it, search
still finds the same publications (substring matching needs no extension), unindexed and ranked
by date; with it, a GIN trigram index serves the matching and similarity ranks it.
"""

from functools import cache

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

INDEX = "publication_search_trgm"


def extension_available(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def create_extension(connection: BaseDatabaseWrapper) -> bool:
    """Create pg_trgm if the server offers it; whether it is there now."""
    if not extension_available(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    return True


def create_index(connection: BaseDatabaseWrapper) -> None:
    """The search index, where pg_trgm exists (a migration's step, so never twice)."""
    if create_extension(connection):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON publishing_publication "
                "USING gin (search_text gin_trgm_ops)"
            )


@cache
def installed(alias: str = "default", name: str = "") -> bool:
    """Whether pg_trgm is installed in the database `name` (asked once per process and database:
    an extension is not added to a running site without a migration and a restart)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def ranks_by_similarity(alias: str = "default") -> bool:
    return installed(alias, str(connections[alias].settings_dict["NAME"]))
