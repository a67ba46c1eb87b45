from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def search_index(using: str = "default", **kwargs: Any) -> None:
    """The search's trigram index where the server has pg_trgm: the migration makes it, but test
    databases are made from the models (`--no-migrations`), which skips migrations' operations."""
    from publishing.trigrams import create_index

    create_index(connections[using])


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("信息公开")

    def ready(self) -> None:
        from publishing.documents.fonts import check_harfbuzz_subset

        checks.register(check_harfbuzz_subset)
        post_migrate.connect(search_index, sender=self)
