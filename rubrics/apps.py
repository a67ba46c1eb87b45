from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _sync_library(**kwargs: Any) -> None:
    from rubrics.services import rubric_library_sync

    rubric_library_sync()


def _pin_campaign_rubrics(instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # fixtures load rows exactly as dumped
        return
    from rubrics.services import campaign_rubrics_pin

    campaign_rubrics_pin(instance)


class RubricsConfig(AppConfig):
    name = "rubrics"
    verbose_name = _("评分规则")

    def ready(self) -> None:
        # The library's YAML files are the source; rows follow them after every migrate.
        post_migrate.connect(_sync_library, sender=self, dispatch_uid="rubrics_library_sync")
        # A campaign saved without rubrics records the defaults' current versions, so that what
        # it scores with never changes under it (see `campaign_rubrics_pin`).
        post_save.connect(
            _pin_campaign_rubrics,
            sender="evaluations.Campaign",
            dispatch_uid="rubrics_pin_campaign_rubrics",
        )
