"""The official tables. Importing this package registers every table and its sections."""

from evaluations.tables import basic, hunan, projects

__all__ = ["basic", "hunan", "projects"]
