from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_library(**kwargs: Any) -> None:
    from rubrics.services import rubric_library_sync

    rubric_library_sync()


class RubricsConfig(AppConfig):
    name = "rubrics"
    verbose_name = _("评分规则")

    def ready(self) -> None:
        # The library's YAML files are the source; rows follow them after every migrate.
        post_migrate.connect(_sync_library, sender=self, dispatch_uid="rubrics_library_sync")
