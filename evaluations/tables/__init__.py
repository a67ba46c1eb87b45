"""The official tables. Importing this package registers every table and its sections."""

from evaluations.tables import basic
from evaluations.tables import funds

__all__ = ["basic", "funds"]
