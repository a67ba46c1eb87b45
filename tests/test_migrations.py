"""The migrations build the schema the models describe, and no model change lacks its migration.

The tests' databases are made from the models directly (`--no-migrations` in pyproject.toml: one
`migrate` costs each xdist worker a quarter of a minute), so this test is what applies every
migration to PostgreSQL: into a database of its own, compared with the test database table by
table, column by column, constraint by constraint and index by index.
"""

import io
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.test_jobs import current_database_url

ROOT = Path(__file__).resolve().parent.parent

COLUMNS = """
    SELECT table_name, column_name, data_type, is_nullable, character_maximum_length,
           numeric_precision, numeric_scale, column_default, is_identity
    FROM information_schema.columns WHERE table_schema = 'public'
"""
# Constraints and indexes without their names: a renamed field keeps the name it had.
CONSTRAINTS = """
    SELECT rel.relname, con.contype, pg_get_constraintdef(con.oid)
    FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
    JOIN pg_namespace ns ON ns.oid = rel.relnamespace WHERE ns.nspname = 'public'
"""
INDEXES = "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
INDEX_NAME = re.compile(r"INDEX \S+ ON")


def project_tables() -> set[str]:
    """The tables of this project's apps (Django's own differ by its history, e.g. auth's m2m ids)."""
    return {
        model._meta.db_table
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT
        for model in config.get_models(include_auto_created=True)
    }


def schema(cursor: Any) -> dict[str, Counter[tuple[Any, ...]]]:
    tables = project_tables()

    def rows(sql: str) -> list[tuple[Any, ...]]:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall() if row[0] in tables]

    indexes = [(table, INDEX_NAME.sub("INDEX ON", sql)) for table, sql in rows(INDEXES)]
    return {
        "columns": Counter(rows(COLUMNS)),
        "constraints": Counter(rows(CONSTRAINTS)),
        "indexes": Counter(indexes),
    }


@pytest.fixture
def migrated_database() -> Iterator[str]:
    """The URL of a new database (beside this worker's test database) that `migrate` built."""
    name = f"{connection.settings_dict['NAME']}_migrated"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = current_database_url().rsplit("/", 1)[0] + f"/{name}"
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "--skip-checks", "-v", "0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
        )
        yield url
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_migrations_build_the_schema_the_models_describe(
    db: None, migrated_database: str
) -> None:
    with connection.cursor() as cursor:
        from_models = schema(cursor)
    with psycopg.connect(migrated_database) as migrated, migrated.cursor() as cursor:
        from_migrations = schema(cursor)
    assert len(from_models["columns"]) > 100, "the project's tables were not found"
    for part, expected in from_models.items():
        assert from_migrations[part] - expected == Counter(), f"{part} only the migrations make"
        assert expected - from_migrations[part] == Counter(), f"{part} only the models make"


def test_no_model_change_lacks_its_migration(db: None) -> None:
    """`makemigrations --check`, in this process (`make lint` ran it in a Django of its own).

    The session runs with pytest-django's migrations switched off (`--no-migrations`); the setting
    is put back for the command, so that it reads the migrations the project has.
    """
    output = io.StringIO()
    with override_settings(MIGRATION_MODULES={}):
        try:
            call_command("makemigrations", check=True, dry_run=True, stdout=output)
        except SystemExit:
            pytest.fail(f"models changed without a migration:\n{output.getvalue()}")
    assert "No changes detected" in output.getvalue()
