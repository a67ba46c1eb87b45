from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Importing a table module registers its table and sections; this order is the order of the tabs.
TABLE_MODULES = ("basic", "funds", "assets", "targets", "hunan", "projects", "report", "scores")


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("绩效自评")

    def ready(self) -> None:
        for name in TABLE_MODULES:
            import_module(f"evaluations.tables.{name}")
