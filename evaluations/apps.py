from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("绩效自评")

    def ready(self) -> None:
        from evaluations import tables  # noqa: F401  (registers the official tables)
