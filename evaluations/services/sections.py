"""Writes of evaluations. Keyword-only functions; each runs in one transaction."""

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from departments.roles import Role
from departments.selectors import AnyUser
from evaluations.checks.engine import Violation
from evaluations.excel import workbook as excel
from evaluations.models import Evaluation, ProjectEvaluation, SectionState, WarningExplanation
from evaluations.tables.registry import Section, forget_made_sections, section_for


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


@transaction.atomic
def project_create(
    *, evaluation: Evaluation, name: str, supervising_department: str, implementing_unit: str
) -> ProjectEvaluation:
    """Add a project (项目支出绩效自评) to an evaluation; its sections start at version 0."""
    return ProjectEvaluation.objects.create(
        evaluation=evaluation,
        name=name,
        supervising_department=supervising_department,
        implementing_unit=implementing_unit,
    )


@dataclass
class ExcelImportResult:
    """What an import did: the sections saved, or why nothing was (problems, conflicts)."""

    saved: list[str] = field(default_factory=list)
    problems: list[excel.Problem] = field(default_factory=list)
    conflicts: list[excel.Conflict] = field(default_factory=list)


class _RollBack(Exception):
    def __init__(self, result: ExcelImportResult) -> None:
        super().__init__("Excel import rolled back.")
        self.result = result


def excel_import(
    *, evaluation: Evaluation, upload: UploadedFile | None, by: AnyUser, roles: frozenset[Role]
) -> ExcelImportResult:
    """Save every section an exported workbook changes, all or nothing.

    Raise `excel.ExcelRefused` for a file that is not read at all (not an .xlsx, too large, a zip
    or XML bomb, another evaluation's). Each changed section is saved through `section_save`,
    on a form bound anew after the sections before it were saved (some share one row).
    """
    data = excel.checked_bytes(upload)
    workbook = excel.load(data, name=(upload.name if upload else "") or "")
    plan = excel.import_plan(evaluation, workbook, roles=roles)
    if plan.problems or plan.conflicts:
        return ExcelImportResult(problems=plan.problems, conflicts=plan.conflicts)
    try:
        with transaction.atomic():
            return _save_changes(evaluation, plan.changes, by=by)
    except _RollBack as rollback:
        return rollback.result


def _save_changes(
    evaluation: Evaluation, changes: list[excel.Change], *, by: AnyUser
) -> ExcelImportResult:
    result = ExcelImportResult()
    # Last section first: later sections fill in rows that earlier ones lay out (the funds
    # figures of the lines the structure names), so rows the layout deletes are filled in first.
    for change in reversed(changes):
        section = section_for(evaluation, change.key)
        if section is None:
            raise _RollBack(ExcelImportResult(problems=_gone(change)))
        form = section.form(evaluation, change.posted)
        problems = excel.form_problems(change.layout, form)
        if problems:
            raise _RollBack(ExcelImportResult(problems=problems))
        try:
            section_save(
                evaluation=evaluation,
                section=section,
                form=form,
                based_on=change.version,
                by=by,
            )
        except SectionConflict as conflict:
            found = excel.Conflict(section.key, section.title, change.layout["sheet"], [])
            raise _RollBack(ExcelImportResult(conflicts=[found])) from conflict
        result.saved.insert(0, change.title)
    return result


def _gone(change: excel.Change) -> list[excel.Problem]:
    return [
        excel.Problem(
            str(change.layout["sheet"]),
            str(change.layout.get("title_cell", "A1")),
            excel.gone_message(),
        )
    ]


@transaction.atomic
def warning_explain(
    *, evaluation: Evaluation, warning: Violation, text: str, by: AnyUser
) -> WarningExplanation | None:
    """File (or replace) the written explanation (说明) of a warning the rules raise now.

    Filed under the warning's identity, so it stays attached while the same rule fires on the
    same target. A blank text removes the explanation and returns None. The caller checks that
    `warning` is one of the evaluation's current warnings and that `by` may write.
    """
    if warning.is_error:
        raise ValueError(f"{warning.code} is an error: errors are corrected, not explained.")
    identity: dict[str, Any] = {
        "evaluation": evaluation,
        "code": warning.code,
        "section": warning.section,
        "target": warning.target,
    }
    text = text.strip()
    if not text:
        WarningExplanation.objects.filter(**identity).delete()
        return None
    explanation, _ = WarningExplanation.objects.update_or_create(
        **identity, defaults={"text": text, "updated_by_id": by.pk}
    )
    return explanation
