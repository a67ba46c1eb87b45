"""Writes of evaluations. Keyword-only functions; each runs in one transaction."""

from typing import Any

from django.db import transaction

from departments.selectors import AnyUser
from evaluations.models import Evaluation, SectionState
from evaluations.tables.registry import Section, forget_made_sections


class SectionConflict(Exception):
    """Someone saved the section after the version this save was based on."""

    def __init__(self, state: SectionState) -> None:
        super().__init__(f"Section {state.key} is at version {state.version}.")
        self.state = state


def section_version(*, evaluation: Evaluation, key: str) -> SectionState:
    """The section's current state (version 0 when it was never saved)."""
    state, _ = SectionState.objects.get_or_create(evaluation=evaluation, key=key)
    return state


@transaction.atomic
def section_save(
    *, evaluation: Evaluation, section: Section, form: Any, based_on: int, by: AnyUser
) -> SectionState:
    """Save a valid section form if nobody saved it since `based_on`; raise SectionConflict if so."""
    state = section_version(evaluation=evaluation, key=section.key)
    state = SectionState.objects.select_for_update().get(pk=state.pk)
    if state.version != based_on:
        raise SectionConflict(state)
    section.save(evaluation, form)
    forget_made_sections(evaluation)
    state.version += 1
    state.updated_by_id = by.pk
    state.save(update_fields=["version", "updated_by", "updated_at"])
    return state
