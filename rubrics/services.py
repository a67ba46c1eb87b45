"""Writes of rubric rows."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from rubrics.library_files import library_files
from rubrics.models import Rubric
from rubrics.selectors import current_rubric, default_rubric_ids

if TYPE_CHECKING:
    from evaluations.models import Campaign


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
        latest = current_rubric(rubric_id)
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


def campaign_rubrics_pin(*, campaign: "Campaign") -> list[str]:
    """Record on a saved campaign the rubric versions it scores with where it names none: the
    current versions of its table set's defaults. Returns the fields it filled.

    Called where a campaign is created or changed (the admin, the demo loader). A recorded
    rubric is in use, so the library can no longer change it in place: a later change becomes a
    new version and this campaign's scores stay as they were. Without the library loaded (a
    database being built) nothing is filled, and reads score with the current defaults.
    """
    filled = {}
    for field, rubric_id in default_rubric_ids(campaign.table_set).items():
        if getattr(campaign, f"{field}_id") is not None:
            continue
        row = current_rubric(rubric_id)
        if row is not None:
            setattr(campaign, field, row)
            filled[field] = row
    if filled:
        # An update rather than save(): the caller's save is done, and no tenant scope is needed.
        type(campaign)._base_manager.filter(pk=campaign.pk).update(**filled)
    return list(filled)
