"""Excel import: every section an uploaded workbook changes is saved, all or nothing."""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from departments.roles import Role
from departments.selectors import AnyUser
from evaluations.excel import safety
from evaluations.excel.imports import (
    Change,
    Conflict,
    Problem,
    form_problems,
    gone_message,
    import_plan,
    read_workbook,
)
from evaluations.models import Evaluation
from evaluations.services.sections import Outcome, section_submit
from evaluations.tables.registry import section_for


@dataclass
class ExcelImportResult:
    """What an import did: the sections saved, or why nothing was (problems, conflicts)."""

    saved: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


class _RollBack(Exception):
    def __init__(self, result: ExcelImportResult) -> None:
        super().__init__("Excel import rolled back.")
        self.result = result


def excel_import(
    *, evaluation: Evaluation, upload: UploadedFile | None, by: AnyUser, roles: frozenset[Role]
) -> ExcelImportResult:
    """Save every section an exported workbook changes, all or nothing.

    Raise `ExcelRefused` for a file that is not read at all (not an .xlsx, too large, a zip or XML
    bomb, more cells than the tables hold, another evaluation's). Each changed section is saved
    through `section_submit`, the one write path (role and state guard, validation, version),
    on a form bound anew after the sections before it were saved (some share one row).
    """
    data = safety.checked_bytes(upload)
    contents = read_workbook(data, evaluation, name=(upload.name if upload else "") or "")
    plan = import_plan(evaluation, contents, roles=roles)
    if plan.problems or plan.conflicts:
        return ExcelImportResult(problems=plan.problems, conflicts=plan.conflicts)
    try:
        with transaction.atomic():
            return _save_changes(evaluation, plan.changes, by=by, roles=roles)
    except _RollBack as rollback:
        return rollback.result


def _save_changes(
    evaluation: Evaluation, changes: list[Change], *, by: AnyUser, roles: frozenset[Role]
) -> ExcelImportResult:
    result = ExcelImportResult()
    # Last section first: later sections fill in rows that earlier ones lay out (the funds
    # figures of the lines the structure names), so rows the layout deletes are filled in first.
    for change in reversed(changes):
        section = section_for(evaluation, change.key)
        if section is None:
            raise _RollBack(ExcelImportResult(problems=_gone(change)))
        done = section_submit(
            evaluation=evaluation,
            section=section,
            data=change.posted,
            based_on=change.version,
            by=by,
            roles=roles,
        )
        if done.outcome is Outcome.INVALID:
            raise _RollBack(ExcelImportResult(problems=form_problems(change.layout, done.form)))
        if done.outcome is Outcome.CONFLICT:
            found = Conflict(section.key, section.title, change.layout["sheet"], [])
            raise _RollBack(ExcelImportResult(conflicts=[found]))
        result.saved.insert(0, change.title)
    return result


def _gone(change: Change) -> list[Problem]:
    return [
        Problem(
            str(change.layout["sheet"]),
            str(change.layout.get("title_cell", "A1")),
            gone_message(),
        )
    ]
