from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("信息公开")

    def ready(self) -> None:
        from publishing.documents.fonts import check_harfbuzz_subset

        checks.register(check_harfbuzz_subset)
