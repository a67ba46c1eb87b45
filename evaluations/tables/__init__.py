"""The official tables. Importing this package registers every table and its sections."""

from evaluations.tables import assets, basic, targets

__all__ = ["assets", "basic", "targets"]
