"""The one write path of a section: the form view, the autosave, the API and the Excel import.

`section_submit` owns the role and state guard, validation, the version check and the save, and
answers with what happened (saved, invalid, conflict). Each section saves only the columns it
owns, so two sections that share a row never overwrite each other.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.roles import Role
from departments.selectors import AnyUser
from evaluations.models import Evaluation, SectionState
from evaluations.selectors.conflicts import Difference, form_differences
from evaluations.tables.base import RowGone
from evaluations.tables.registry import Section
from evaluations.tasks import summarize_on_commit


class SectionConflict(Exception):
    """Someone saved the section after the version this save was based on."""

    def __init__(self, state: SectionState) -> None:
        super().__init__(f"Section {state.key} is at version {state.version}.")
        self.state = state


class SectionNotEditable(PermissionDenied):
    """The user's role or the evaluation's state does not allow changing the section."""

    def __init__(self) -> None:
        super().__init__(_("您的角色或此自评的状态不允许修改此栏目。"))


class Outcome(StrEnum):
    SAVED = "saved"
    INVALID = "invalid"
    CONFLICT = "conflict"


@dataclass
class SectionSave:
    """What a submitted section came to: the bound form, the version now, and on a conflict the
    winner's state and where its values differ from the submitted ones."""

    outcome: Outcome
    form: Any
    version: int
    state: SectionState | None = None
    differences: list[Difference] = field(default_factory=list)


def section_submit(
    *,
    evaluation: Evaluation,
    section: Section,
    data: QueryDict,
    files: Any = None,
    based_on: int,
    by: AnyUser,
    roles: frozenset[Role],
) -> SectionSave:
    """Validate `data` for the section and save it if nobody saved the section since `based_on`.

    Raise `SectionNotEditable` when the role or the evaluation's state forbids the change.
    """
    if not section.can_edit(roles, evaluation):
        raise SectionNotEditable
    form = section.form(evaluation, data, files)
    if not form.is_valid():
        return SectionSave(Outcome.INVALID, form, based_on)
    try:
        state = section_save(
            evaluation=evaluation, section=section, form=form, based_on=based_on, by=by
        )
    except SectionConflict as conflict:
        return _conflict(evaluation, section, form, conflict.state)
    return SectionSave(Outcome.SAVED, form, state.version, state=state)


def _conflict(
    evaluation: Evaluation, section: Section, form: Any, state: SectionState
) -> SectionSave:
    # Read afresh: the winner committed after this request loaded the evaluation.
    now = Evaluation.objects.select_related("campaign", "department").get(pk=evaluation.pk)
    differences = form_differences(form, section.form(now))
    return SectionSave(Outcome.CONFLICT, form, state.version, state=state, differences=differences)


def section_version(*, evaluation: Evaluation, key: str) -> SectionState:
    """The section's current state (version 0 when it was never saved)."""
    state, _ = SectionState.objects.get_or_create(evaluation=evaluation, key=key)
    return state


@transaction.atomic
def section_save(
    *, evaluation: Evaluation, section: Section, form: Any, based_on: int, by: AnyUser
) -> SectionState:
    """Save a valid section form if nobody saved it since `based_on`; raise SectionConflict if so.

    A row the form names that someone deleted meanwhile is a conflict too.
    """
    state = section_version(evaluation=evaluation, key=section.key)
    state = SectionState.objects.select_for_update().get(pk=state.pk)
    if state.version != based_on:
        raise SectionConflict(state)
    try:
        with transaction.atomic():
            section.save(evaluation, form)
    except RowGone as gone:
        raise SectionConflict(state) from gone
    state.version += 1
    state.updated_by_id = by.pk
    state.save(update_fields=["version", "updated_by", "updated_at"])
    _touch(evaluation, section)
    summarize_on_commit(evaluation.pk)
    return state


def _touch(evaluation: Evaluation, section: Section) -> None:
    """Move the evaluation's 更新时间, if it is still in a state the section may be changed in.

    Last in the save, so saves of different sections run side by side until here; then this
    row lock orders the save against a submission (which moves the state in one UPDATE): a save
    that comes after it finds no row to touch and rolls back, one before it is in the snapshot.
    The base manager: the scoped one would filter through a subquery PostgreSQL does not re-check
    after waiting for the lock.
    """
    touched = Evaluation._base_manager.filter(
        pk=evaluation.pk, state__in=section.editable_states
    ).update(updated_at=timezone.now())
    if not touched:
        raise SectionNotEditable
