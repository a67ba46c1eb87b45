"""Writes of rubric rows."""

from dataclasses import dataclass

from django.db import transaction

from rubrics.library_files import library_files
from rubrics.models import Rubric


@dataclass(frozen=True)
class SyncChange:
    rubric_id: str
    version: int
    action: str  # "created" or "updated"


@transaction.atomic
def rubric_library_sync() -> list[SyncChange]:
    """Load the library's YAML files into rows: a changed file updates its latest version while no
    campaign uses it, and becomes a new version once one does. Unchanged files do nothing."""
    changes = []
    for rubric_id, path in library_files().items():
        source = path.read_text(encoding="utf-8")
        latest = Rubric.objects.filter(rubric_id=rubric_id).order_by("-version").first()
        if latest is not None and latest.checksum == Rubric.checksum_of(source):
            continue
        definition = Rubric(source=source).definition()
        if latest is None or latest.in_use:
            row = Rubric(rubric_id=rubric_id, version=(latest.version + 1) if latest else 1)
            action = "created"
        else:
            row, action = latest, "updated"
        row.title, row.kind, row.source = definition.title, definition.kind, source
        row.save()
        changes.append(SyncChange(rubric_id, row.version, action))
    return changes
