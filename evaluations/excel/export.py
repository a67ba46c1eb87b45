"""An evaluation as an .xlsx, generic over the registered sections.

One sheet per official table (and one per project), each section as a block of 「项目 | 值 | 单位」
rows (one-row forms) or as a grid (formsets), inputs unlocked, computed figures as plain values in
locked cells, sheets protected without a password. A hidden sheet 「_meta」 records the evaluation,
the department, each section's version and where its fields were written, for `imports` to read
back. Computed figures come from the forms' own APIs where they offer them: a row form's
`cells()`, a formset's `totals()` or `total_cells()` and `column_label(column)`.
"""

import dataclasses
import datetime
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from departments.roles import Role
from evaluations.excel.layout import FORMAT, META_CHUNK, META_SHEET, NO, YES, field_choices
from evaluations.models import Evaluation
from evaluations.selectors.evaluations import section_versions
from evaluations.tables.registry import Section, scoped_sections, sections_for, tables_for

SHEET_TITLE_MAX = 31
WIDE_SHEET_COLUMNS = 6
FORBIDDEN_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT = "s"
LABEL_COLUMN = "__label__"
SKIPPED_FIELDS = {"ORDER"}

TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E2EC")
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
COMPUTED_FILL = PatternFill("solid", fgColor="EEF2F6")
THIN = Side(style="thin", color="9AA5B1")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class SheetWriter:
    """Writes blocks down one sheet and remembers the widths its columns need."""

    sheet: Any
    row: int = 1
    widths: dict[int, float] = field(default_factory=dict)

    def cell(
        self,
        row: int,
        column: int,
        value: Any,
        *,
        input: bool = False,
        style: str = "",
        number_format: str | None = None,
        wrap: bool = False,
    ) -> Any:
        cell = self.sheet.cell(row=row, column=column)
        _set_value(cell, value)
        if number_format and value is not None:
            cell.number_format = number_format
        if input:
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
            cell.border = BORDER
        elif style == "header":
            cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        elif style == "value":
            cell.fill, cell.border = COMPUTED_FILL, BORDER
        elif style == "plain":
            cell.border = BORDER
        if wrap:
            cell.alignment = WRAP
        self.widen(column, value, cap=60 if wrap else 40)
        return cell

    def widen(self, column: int, value: Any, *, cap: float = 40) -> None:
        text = "" if value is None else str(value)
        longest = max((_display_width(line) for line in text.splitlines() or [""]), default=0)
        self.widths[column] = max(self.widths.get(column, 8), min(longest + 2, cap))

    def finish(self) -> None:
        for column, width in self.widths.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = width


def _display_width(text: str) -> int:
    """Columns a text takes: CJK characters are twice as wide as Latin ones."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _set_value(cell: Any, value: Any) -> None:
    """A value as data, never as a formula: every string is stored as text."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = TEXT
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text when the user edits the cell
    else:
        cell.value = value


def workbook_bytes(evaluation: Evaluation) -> bytes:
    """The evaluation as an .xlsx: a sheet per table and per project, and the hidden _meta."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    every = [*sections_for(evaluation), *scoped_sections(evaluation)]
    versions = section_versions(evaluation, every)
    layouts: list[dict[str, Any]] = []
    used: set[str] = set()
    for title, sections, trim in _sheets(evaluation):
        writer = SheetWriter(workbook.create_sheet(_sheet_title(title, used)))
        _set_value(writer.sheet.cell(1, 1), title)
        writer.sheet.cell(1, 1).font = TITLE_FONT
        _set_value(writer.sheet.cell(2, 1), _subtitle(evaluation))
        writer.sheet.cell(2, 1).font = Font(italic=True, color="52606D")
        writer.row = 3
        for section in sections:
            layout = _write_section(writer, evaluation, section, trim=trim)
            layout.update(
                key=section.key,
                version=versions[section.key],
                sheet=writer.sheet.title,
            )
            layouts.append(layout)
        writer.finish()
        _protect(writer.sheet)
    _write_meta(workbook, evaluation, layouts)
    workbook.security = WorkbookProtection(lockStructure=True)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _sheets(evaluation: Evaluation) -> Iterator[tuple[str, list[Section], str]]:
    """(sheet title, sections, prefix to drop from the sections' titles) in the tables' order."""
    for table in tables_for(evaluation):
        sections = sections_for(evaluation, table=table.slug)
        if sections:
            yield table.title, sections, ""
    scopes: dict[str, list[Section]] = {}
    for section in scoped_sections(evaluation):
        scopes.setdefault(section.scope, []).append(section)
    for scope, sections in scopes.items():
        # A scope's sections are titled "<its name> · <section>": the name is what they share.
        shared = _common_start([section.title for section in sections])
        name = shared.rstrip(" ·") if " · " in shared else ""
        yield _("项目：%(name)s") % {"name": name or scope}, sections, shared if name else ""


def _common_start(texts: list[str]) -> str:
    first, last = min(texts), max(texts)
    length = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), None)
    return first[: len(first) if length is None else length]


def _subtitle(evaluation: Evaluation) -> str:
    return _("%(department)s · %(year)d 年度 · 黄色单元格可填写，灰色为计算值或只读") % {
        "department": evaluation.department.name,
        "year": evaluation.campaign.fiscal_year,
    }


def _sheet_title(title: str, used: set[str]) -> str:
    """A valid, unique sheet title of at most 31 characters."""
    clean = FORBIDDEN_IN_SHEET_TITLES.sub("", title).strip("'") or "Sheet"
    candidate, number = clean[:SHEET_TITLE_MAX], 2
    while candidate.lower() in used or candidate == META_SHEET:
        suffix = f"({number})"
        candidate = clean[: SHEET_TITLE_MAX - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def _protect(sheet: Any) -> None:
    """Locked cells stay as written; resizing rows and columns is still allowed. Wide sheets
    print landscape, one page wide."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    if sheet.max_column > WIDE_SHEET_COLUMNS:
        sheet.page_setup.orientation = "landscape"


def _write_section(
    writer: SheetWriter, evaluation: Evaluation, section: Section, *, trim: str
) -> dict[str, Any]:
    writer.row += 1
    title_cell = writer.sheet.cell(writer.row, 1)
    _set_value(title_cell, section.title.removeprefix(trim) or section.title)
    title_cell.font = SECTION_FONT
    layout: dict[str, Any] = {"title_cell": title_cell.coordinate}
    writer.row += 1
    form = section.form(evaluation)
    editable = section.can_edit(frozenset({Role.FILLER}), evaluation)
    if isinstance(form, BaseFormSet):
        layout.update(_write_rows(writer, evaluation, section, form, editable=editable))
    else:
        layout.update(_write_form(writer, form, editable=editable))
    return layout


def _write_form(writer: SheetWriter, form: BaseForm, *, editable: bool) -> dict[str, Any]:
    """「项目 | 值 | 单位」 rows, one per visible field."""
    for column, header in enumerate((_("项目"), _("值"), _("单位")), start=1):
        writer.cell(writer.row, column, header, style="header")
    writer.row += 1
    cells: dict[str, str] = {}
    hidden: dict[str, Any] = {}
    for name, form_field in form.fields.items():
        if name in SKIPPED_FIELDS or _unsupported(form_field):
            continue
        if form_field.widget.is_hidden:
            hidden[name] = _json_value(form[name].value())
            continue
        writer.cell(writer.row, 1, str(form_field.label or name), style="plain", wrap=True)
        cell = _write_field(writer, writer.row, 2, form, name, editable=editable)
        writer.cell(writer.row, 3, getattr(form_field, "unit", "") or None, style="plain")
        cells[name] = cell.coordinate
        writer.row += 1
    return {"kind": "form", "cells": cells, "hidden": hidden}


def _write_field(
    writer: SheetWriter, row: int, column: int, form: BaseForm, name: str, *, editable: bool
) -> Any:
    form_field = form.fields[name]
    value = _export_value(form_field, form[name].value(), name=name)
    is_input = editable and not form_field.disabled
    cell = writer.cell(
        row,
        column,
        value,
        input=is_input,
        style="value",
        number_format=_number_format(form_field),
        wrap=isinstance(form_field.widget, forms.Textarea),
    )
    if isinstance(form_field, forms.DateField) and value is not None:
        cell.number_format = "yyyy-mm-dd"
    if is_input:
        _add_validation(writer.sheet, cell, form_field)
    return cell


def _write_rows(
    writer: SheetWriter,
    evaluation: Evaluation,
    section: Section,
    formset: BaseFormSet,
    *,
    editable: bool,
) -> dict[str, Any]:
    """A header of the field labels, then one row per form (saved rows and the blank ones)."""
    row_forms = list(formset.forms)
    columns = _row_columns(formset, row_forms)
    labels = _row_labels(section, evaluation) if _needs_labels(row_forms) else {}
    if labels:  # the first column names every row: an input where the row has a name field
        if "name" in columns:
            columns.remove("name")
        columns.insert(0, "name" if _has_name(formset, row_forms) else LABEL_COLUMN)
    header_row = writer.row
    for index, column in enumerate(columns, start=1):
        writer.cell(header_row, index, _column_header(formset, row_forms, column), style="header")
    first_row = header_row + 1
    hidden_rows: list[dict[str, Any]] = []
    for offset, form in enumerate(row_forms):
        row = first_row + offset
        computed = _computed_cells(form)
        hidden_rows.append(
            {
                name: _json_value(form[name].value())
                for name, form_field in form.fields.items()
                if form_field.widget.is_hidden
            }
        )
        for index, column in enumerate(columns, start=1):
            if column in form.fields:
                _write_field(writer, row, index, form, column, editable=editable)
            elif column in (LABEL_COLUMN, "name"):
                label, depth = labels.get(offset, ("", 0))
                cell = writer.cell(row, index, label or None, style="value")
                cell.alignment = Alignment(indent=depth, wrap_text=True, vertical="top")
            else:
                value = computed.get(column)
                writer.cell(row, index, value, style="value", number_format=_format_of(value))
    writer.row = first_row + len(row_forms)
    _write_totals(writer, formset, columns)
    return {
        "kind": "rows",
        "columns": {
            column: get_column_letter(index)
            for index, column in enumerate(columns, start=1)
            if column != LABEL_COLUMN
        },
        "first_row": first_row,
        "count": len(row_forms),
        "initial": formset.initial_form_count(),
        "hidden": hidden_rows,
    }


def _row_columns(formset: BaseFormSet, row_forms: list[BaseForm]) -> list[str]:
    """Every form's visible fields and computed cells, merged in their order; 删除 last."""
    merged: list[str] = []
    for form in [*row_forms, formset.empty_form]:
        order = [
            name
            for name, form_field in form.fields.items()
            if not form_field.widget.is_hidden
            and name not in SKIPPED_FIELDS
            and not _unsupported(form_field)
        ]
        cells = getattr(form, "cells", None)
        if cells is not None:  # the form lays out its own columns: fields outside them first
            laid_out = [cell.column for cell in cells()]
            order = [name for name in order if name not in laid_out] + laid_out
        previous: str | None = None
        for column in order:
            if column not in merged:
                merged.insert(merged.index(previous) + 1 if previous else 0, column)
            previous = column
    if "DELETE" in merged:  # the 删除 mark reads best at the end of the row
        merged.remove("DELETE")
        merged.append("DELETE")
    return merged


def _has_name(formset: BaseFormSet, row_forms: list[BaseForm]) -> bool:
    return any("name" in form.fields for form in [*row_forms, formset.empty_form])


def _computed_cells(form: BaseForm) -> dict[str, Any]:
    """Figures a row form computes (the funds table's parents and 小计), by column."""
    cells = getattr(form, "cells", None)
    if cells is None:
        return {}
    return {cell.column: cell.value for cell in cells() if getattr(cell, "field", None) is None}


def _needs_labels(row_forms: list[BaseForm]) -> bool:
    """Rows that do not show their own name (the funds figures of existing lines) need a label."""
    return any("name" not in form.fields for form in row_forms)


def _row_labels(section: Section, evaluation: Evaluation) -> dict[int, tuple[str, int]]:
    """Row index → (label, depth), from the row collections the section gives the rules."""
    found: dict[int, tuple[str, int]] = {}
    for value in section.values(evaluation).values():
        if not isinstance(value, list):
            continue
        for row in value:
            if not isinstance(row, Mapping):
                continue
            match = re.match(r"(\d+)-", str(row.get("anchor", "")))
            if match and row.get("label"):
                depth = row.get("depth")
                found.setdefault(
                    int(match.group(1)),
                    (str(row["label"]), depth if isinstance(depth, int) else 0),
                )
    return found


def _column_header(formset: BaseFormSet, row_forms: list[BaseForm], column: str) -> str:
    if column == LABEL_COLUMN:
        return _("项目")
    if column == "DELETE":
        return _("删除")
    for form in [*row_forms, formset.empty_form]:
        if column in form.fields:
            return str(form.fields[column].label or column)
    column_label = getattr(formset, "column_label", None)
    if column_label is not None:
        return str(column_label(column))
    model = getattr(formset, "model", None)
    try:
        return str(model._meta.get_field(column).verbose_name) if model else column
    except FieldDoesNotExist:
        return column


def _write_totals(writer: SheetWriter, formset: BaseFormSet, columns: list[str]) -> None:
    """The 合计 row a formset computes, as plain values."""
    totals = _totals(formset)
    if not set(totals) & set(columns[1:]):
        return
    row = writer.row
    for index, column in enumerate(columns, start=1):
        if index == 1:
            writer.cell(row, index, _("合计"), style="value").font = BOLD
        elif column in totals:
            value = totals[column]
            writer.cell(row, index, value, style="value", number_format=_format_of(value))
        else:
            writer.cell(row, index, None, style="value")
    writer.row += 1


def _totals(formset: BaseFormSet) -> dict[str, Any]:
    total_cells = getattr(formset, "total_cells", None)
    if total_cells is not None:
        return {cell.column: cell.value for cell in total_cells()}
    totals = getattr(formset, "totals", None)
    if totals is None:
        return {}
    found = totals()
    if dataclasses.is_dataclass(found) and not isinstance(found, type):
        return dataclasses.asdict(found)
    return dict(found)


def _unsupported(form_field: forms.Field) -> bool:
    return isinstance(form_field, forms.FileField | forms.MultipleChoiceField)


def _export_value(form_field: forms.Field, value: Any, *, name: str) -> Any:
    """A form value as the cell shows it: numbers, dates, 是/否, a choice's label, or text."""
    if value is None or value == "":
        return None
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        if value in (True, "True", "true", "on"):
            return YES
        return None if name == "DELETE" else NO
    if isinstance(form_field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        return _number(value)
    if isinstance(form_field, forms.DateField):
        return value if isinstance(value, datetime.date) else str(value)
    if isinstance(form_field, forms.ChoiceField):
        return field_choices(form_field).get(str(value), str(value))
    return str(value)


def _number(value: Any) -> Any:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)


def _number_format(form_field: forms.Field) -> str | None:
    if isinstance(form_field, forms.DecimalField | forms.FloatField):
        return "0.00"
    if isinstance(form_field, forms.IntegerField):  # after: decimals are integer fields too
        return "0"
    return None


def _format_of(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "0"
    if isinstance(value, Decimal | float):
        return "0.00"
    return None


def _add_validation(sheet: Any, cell: Any, form_field: forms.Field) -> None:
    """A drop-down for 是/否 and short choice lists (Excel caps a list at 255 characters)."""
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        options = [YES, NO]
    elif isinstance(form_field, forms.ChoiceField) and not isinstance(
        form_field, forms.ModelChoiceField
    ):
        options = [label for value, label in field_choices(form_field).items() if value != ""]
    else:
        return
    formula = ",".join(options)
    if not options or len(formula) > 250 or any('"' in o or "," in o for o in options):
        return
    validation = DataValidation(type="list", formula1=f'"{formula}"', allow_blank=True)
    sheet.add_data_validation(validation)
    validation.add(cell)


def _json_value(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def _write_meta(workbook: Any, evaluation: Evaluation, layouts: list[dict[str, Any]]) -> None:
    """The hidden sheet the import reads: who the file is for, and each section's layout."""
    sheet = workbook.create_sheet(META_SHEET)
    sheet.sheet_state = "hidden"
    for row, (name, value) in enumerate(
        (
            ("format", FORMAT),
            ("evaluation", evaluation.pk),
            ("department", evaluation.department.slug),
        ),
        start=1,
    ):
        sheet.cell(row, 1, name)
        _set_value(sheet.cell(row, 2), value)
    sheet.cell(5, 1, "section")
    sheet.cell(5, 2, "version")
    sheet.cell(5, 3, "layout")
    for row, layout in enumerate(layouts, start=6):
        _set_value(sheet.cell(row, 1), layout["key"])
        sheet.cell(row, 2, layout["version"])
        text = json.dumps(layout, ensure_ascii=False)
        for offset in range(0, len(text), META_CHUNK):
            _set_value(
                sheet.cell(row, 3 + offset // META_CHUNK), text[offset : offset + META_CHUNK]
            )
    sheet.protection.sheet = True
