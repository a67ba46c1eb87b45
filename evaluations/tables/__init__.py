"""The official tables. Importing this package registers every table and its sections."""

from evaluations.tables import basic, report

__all__ = ["basic", "report"]
