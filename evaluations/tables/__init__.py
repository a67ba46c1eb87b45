"""The official tables. Importing this package registers every table and its sections."""

from evaluations.tables import basic, funds

__all__ = ["basic", "funds"]
