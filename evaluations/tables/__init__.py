"""The official tables. Importing this package registers every table and its sections."""

# Registration order is the order of the tabs.
from evaluations.tables import basic, funds, assets, targets, hunan, projects, report, scores  # noqa: I001

__all__ = ["assets", "basic", "funds", "hunan", "projects", "report", "scores", "targets"]
