"""An embedded PostgreSQL server for the quick start and the tests, used when DATABASE_URL is unset.

pgserver ships PostgreSQL inside its wheel, so no system install is needed. The server listens on a
Unix socket in the data directory only, and is left running between commands (like a system
service) so that `runserver`'s reloader, test runs and management commands share one server;
`make db-stop` stops it.
"""

import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "zipingjia"


def database_url(data_dir: Path) -> str:
    """Start the server if it is not running, make sure our database exists, and return its URL."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import pgserver  # imported here: production installs do not ship it

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    _create_database_once(socket_dir)
    return f"postgresql://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def _create_database_once(socket_dir: Path) -> None:
    import psycopg

    with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres") as conn:
        conn.autocommit = True
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if found.fetchone() is None:
            conn.execute(f"CREATE DATABASE {DATABASE_NAME}")


def stop(data_dir: Path) -> None:
    """Stop the embedded server if it runs (used by `make db-stop`)."""
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    if (data_dir / "postmaster.pid").exists():
        pg_ctl(["-w", "stop"], pgdata=data_dir, user="pgserver" if _is_root() else None)


def _is_root() -> bool:
    import os

    return os.geteuid() == 0
