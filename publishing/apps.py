from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import connections
from django.db.models.signals import pre_migrate
from django.utils.translation import gettext_lazy as _


def trigram_extension(using: str = "default", **kwargs: Any) -> None:
    """pg_trgm before any table: the migration creates it too, but test databases are made from
    the models (`--no-migrations`), which skips migrations' operations."""
    with connections[using].cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("信息公开")

    def ready(self) -> None:
        from publishing.documents.fonts import check_harfbuzz_subset

        checks.register(check_harfbuzz_subset)
        pre_migrate.connect(trigram_extension, sender=self)
