"""Excel round trip of an evaluation, generic over the registered sections.

Export: one sheet per official table (and one per project), each section as a block of
「项目 | 值 | 单位」 rows (one-row forms) or as a grid (formsets), inputs unlocked, computed figures
as plain values in locked cells, sheets protected without a password. A hidden sheet 「_meta」
records the evaluation, the department, each section's version and where its fields were written.

Import: the file is checked before anything parses it (size, zip structure, zip bomb, XML
declarations), then every section is bound to its own form from the cells named in 「_meta」;
every problem is reported with its sheet and cell. Computed figures come from the forms' own
APIs where they offer them: a row form's `cells()`, a formset's `totals()` or `total_cells()` and
`column_label(column)`. Saving is `services.excel_import`'s job; nothing here writes.
"""

import dataclasses
import datetime
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.files.uploadedfile import UploadedFile
from django.forms import BaseForm, BaseFormSet
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from departments.roles import Role
from evaluations.models import Evaluation
from evaluations.selectors.conflicts import Difference, form_differences
from evaluations.selectors.evaluations import section_versions
from evaluations.tables.registry import (
    Section,
    scoped_sections,
    section_for,
    sections_for,
    tables_for,
)

# openpyxl parses with defusedxml when it is installed, unless OPENPYXL_DEFUSEDXML says otherwise.
if not openpyxl.DEFUSEDXML:
    raise ImproperlyConfigured("openpyxl must parse XML with defusedxml (OPENPYXL_DEFUSEDXML).")

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_PART = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members large enough to matter
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 1000
# A DTD is how an XML entity bomb or an external entity gets in; spreadsheets never need one.
XML_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
META_SHEET = "_meta"
COORDINATE = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
COLUMN = re.compile(r"[A-Z]{1,3}")
MAX_ROW = 1_048_576  # Excel's last row
MAX_ROWS_PER_SECTION = 5000
FORMAT = 1
META_CHUNK = 30000  # a cell holds at most 32,767 characters
SHEET_TITLE_MAX = 31
WIDE_SHEET_COLUMNS = 6
FORBIDDEN_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT = "s"
LABEL_COLUMN = "__label__"
SKIPPED_FIELDS = {"ORDER"}
YES, NO = "是", "否"
TRUE_WORDS = {"是", "yes", "y", "true", "1", "√", "✓", "on"}
FALSE_WORDS = {"否", "no", "n", "false", "0", "×", "off"}

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


class ExcelRefused(ValueError):
    """A file that is not read at all; the message says why, in the user's words."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, at a cell of a sheet."""

    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell} {self.message}"


@dataclass(frozen=True)
class Conflict:
    """A section saved by someone else since the export, whose data in the file differs."""

    key: str
    title: str
    sheet: str
    differences: list[Difference]


@dataclass
class Change:
    """A section whose data in the file differs from the saved one: the data to post, the
    version it is based on, and where its fields came from (to place save-time errors)."""

    key: str
    title: str
    posted: QueryDict
    version: int
    layout: dict[str, Any]


@dataclass
class ImportPlan:
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Export


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
        return _choices(form_field).get(str(value), str(value))
    return str(value)


def _number(value: Any) -> Any:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)


def _choices(form_field: forms.ChoiceField) -> dict[str, str]:
    """value → label, optgroups flattened."""
    found: dict[str, str] = {}
    choices: Iterable[Any] = form_field.choices  # type: ignore[assignment]
    for value, label in choices:
        if isinstance(label, list | tuple):
            found.update((str(v), str(text)) for v, text in label)
        else:
            found[str(value)] = str(label)
    return found


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
        options = [label for value, label in _choices(form_field).items() if value != ""]
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


# ---------------------------------------------------------------------------------------------
# Checks before parsing


def max_bytes() -> int:
    return int(getattr(settings, "EXCEL_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "EXCEL_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES))


def checked_bytes(upload: UploadedFile | None) -> bytes:
    """The upload's content if it is an .xlsx safe to parse; raise ExcelRefused otherwise."""
    if upload is None:
        raise ExcelRefused(_("请选择要导入的 Excel 文件（.xlsx）。"))
    name = os.path.basename(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise ExcelRefused(_("文件「%(name)s」是空文件，未导入。") % {"name": name})
    if size > max_bytes():
        raise ExcelRefused(
            _("文件「%(name)s」大小为 %(size)s，超过 %(limit)s 的上限，未导入。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    check_xlsx(data, name=name)
    return data


def check_xlsx(data: bytes, *, name: str) -> None:
    """Refuse what is not an .xlsx, a zip bomb, or XML with a DTD (entity bombs, external entities)."""
    not_xlsx = _("文件「%(name)s」不是 Excel 工作簿（.xlsx），未导入。") % {"name": name}
    if len(data) > max_bytes():
        raise ExcelRefused(
            _("文件「%(name)s」超过 %(limit)s 的上限，未导入。")
            % {"name": name, "limit": filesizeformat(max_bytes())}
        )
    if not data.startswith(b"PK\x03\x04"):
        raise ExcelRefused(not_xlsx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ExcelRefused(not_xlsx) from error
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ExcelRefused(not_xlsx)
    _check_sizes(members, name=name)
    try:
        if WORKBOOK_PART not in archive.read("[Content_Types].xml"):
            raise ExcelRefused(not_xlsx)
        for member in members:  # every part: a renamed one may still be parsed as XML
            content = archive.read(member)
            if any(marker in content for marker in XML_DECLARATIONS):
                raise ExcelRefused(
                    _(
                        "文件「%(name)s」含有 XML 文档类型或实体声明（%(part)s），"
                        "出于安全原因未导入。"
                    )
                    % {"name": name, "part": member.filename}
                )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise ExcelRefused(not_xlsx) from error


def _check_sizes(members: list[zipfile.ZipInfo], *, name: str) -> None:
    bomb = _("文件「%(name)s」解压后过大（疑似压缩炸弹），未导入。") % {"name": name}
    if len(members) > MAX_MEMBERS:
        raise ExcelRefused(bomb)
    if sum(member.file_size for member in members) > max_uncompressed_bytes():
        raise ExcelRefused(bomb)
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ExcelRefused(bomb)


# ---------------------------------------------------------------------------------------------
# Import


def load(data: bytes, *, name: str) -> Any:
    """The workbook of checked bytes (see `check_xlsx`); formulas are kept as formulas."""
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file, and wraps them
        if any(isinstance(cause, DefusedXmlException) for cause in _causes(error)):
            raise ExcelRefused(
                _("文件「%(name)s」含有 XML 实体声明，出于安全原因未导入。") % {"name": name}
            ) from error
        raise ExcelRefused(
            _("文件「%(name)s」已损坏或不是有效的 Excel 工作簿，未导入。") % {"name": name}
        ) from error


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def read_meta(workbook: Any, evaluation: Evaluation) -> list[dict[str, Any]]:
    """The section layouts of a file exported for this evaluation; raise ExcelRefused if not."""
    if META_SHEET not in workbook.sheetnames:
        raise ExcelRefused(_("此文件不是从本平台下载的自评表（缺少 _meta 工作表），未导入。"))
    sheet = workbook[META_SHEET]
    if sheet["B1"].value != FORMAT:
        raise ExcelRefused(_("此文件的格式版本不受支持，请重新下载后填写。"))
    if sheet["B2"].value != evaluation.pk or sheet["B3"].value != evaluation.department.slug:
        raise ExcelRefused(_("此文件是另一份自评的表格，未导入。请下载本自评的 Excel 后填写。"))
    layouts = []
    for row in sheet.iter_rows(min_row=6, values_only=True):
        chunks = [value for value in row[2:] if isinstance(value, str)]
        if not chunks:
            continue
        try:
            layout = json.loads("".join(chunks))
        except ValueError as error:
            raise ExcelRefused(_("_meta 工作表已损坏，请重新下载后填写。")) from error
        if not _well_formed(layout):
            raise ExcelRefused(_("_meta 工作表已损坏，请重新下载后填写。"))
        layouts.append(layout)
    return layouts


def _well_formed(layout: Any) -> bool:
    """Whether a layout read back from _meta names only real cells and a bounded number of rows."""
    if not isinstance(layout, dict) or not isinstance(layout.get("version"), int):
        return False
    if not isinstance(layout.get("key"), str) or not isinstance(layout.get("sheet"), str):
        return False
    if not COORDINATE.fullmatch(str(layout.get("title_cell", "A1"))):
        return False
    if layout.get("kind") == "form":
        cells, hidden = layout.get("cells"), layout.get("hidden", {})
        return (
            isinstance(cells, dict)
            and isinstance(hidden, dict)
            and all(isinstance(c, str) and COORDINATE.fullmatch(c) for c in cells.values())
        )
    if layout.get("kind") == "rows":
        columns, hidden = layout.get("columns"), layout.get("hidden", [])
        numbers = [layout.get(name) for name in ("first_row", "count", "initial")]
        count = layout.get("count")
        return (
            isinstance(columns, dict)
            and all(isinstance(c, str) and COLUMN.fullmatch(c) for c in columns.values())
            and all(isinstance(n, int) and 0 <= n <= MAX_ROW for n in numbers)
            and isinstance(count, int)
            and count <= MAX_ROWS_PER_SECTION
            and isinstance(hidden, list)
            and all(isinstance(row, dict) for row in hidden)
        )
    return False


def import_plan(evaluation: Evaluation, workbook: Any, *, roles: frozenset[Role]) -> ImportPlan:
    """Every section of the file bound to its form: the problems, the conflicts, the changes."""
    plan = ImportPlan()
    layouts = read_meta(workbook, evaluation)
    current_versions = section_versions(
        evaluation, [*sections_for(evaluation), *scoped_sections(evaluation)]
    )
    for layout in layouts:
        sheet_name = str(layout["sheet"])
        title_cell = str(layout.get("title_cell", "A1"))
        section = section_for(evaluation, str(layout["key"]))
        if section is None:
            plan.problems.append(Problem(sheet_name, title_cell, gone_message()))
            continue
        if sheet_name not in workbook.sheetnames:
            plan.problems.append(
                Problem(sheet_name, "A1", _("找不到此工作表，请不要改名或删除工作表。"))
            )
            continue
        current = section.form(evaluation)
        posted, unreadable = posted_data(section, current, workbook[sheet_name], layout)
        form = section.form(evaluation, posted)
        problems = unreadable + form_problems(layout, form, skip={p.cell for p in unreadable})
        differences = _differences(form, current)
        # A cell that cannot be read is a change too: it no longer holds the saved value.
        changed = bool(differences or unreadable)
        if changed and current_versions.get(section.key, 0) != layout["version"]:
            plan.conflicts.append(Conflict(section.key, section.title, sheet_name, differences))
            continue
        if not changed:
            continue
        if not section.can_edit(roles, evaluation):
            plan.problems.append(
                Problem(
                    sheet_name,
                    title_cell,
                    _("「%(title)s」不能由您修改，请恢复原值。") % {"title": section.title},
                )
            )
            continue
        plan.problems += problems
        if not problems:
            plan.changes.append(
                Change(section.key, section.title, posted, int(layout["version"]), layout)
            )
    plan.problems.sort(key=lambda problem: _reading_order(workbook, problem))
    return plan


def _reading_order(workbook: Any, problem: Problem) -> tuple[int, int, int]:
    """Sheets in the workbook's order, then rows top to bottom, then columns left to right."""
    names = workbook.sheetnames
    letters, row = coordinate_from_string(problem.cell)
    sheet = names.index(problem.sheet) if problem.sheet in names else len(names)
    return sheet, row, column_index_from_string(letters)


def gone_message() -> str:
    return _("此栏目已不存在（可能已被删除），请重新下载。")


def _differences(form: Any, current: Any) -> list[Difference]:
    """What the file changes in a section; rows marked for deletion count too."""
    found = form_differences(form, current)
    if isinstance(form, BaseFormSet) and form.can_delete:
        for index, row in enumerate(form.forms, start=1):
            if "DELETE" in row.fields and row["DELETE"].data:
                found.append(Difference(_("第 %(n)d 行") % {"n": index}, _("删除"), _("保留")))
    return found


def posted_data(
    section: Section, current: Any, sheet: Any, layout: Mapping[str, Any]
) -> tuple[QueryDict, list[Problem]]:
    """The cells named by the layout as the form-encoded data the section's form reads."""
    posted = QueryDict(mutable=True)
    problems: list[Problem] = []
    prefix = section.prefix
    if layout["kind"] == "rows":
        count, initial = int(layout["count"]), int(layout["initial"])
        posted[f"{prefix}-TOTAL_FORMS"] = str(count)
        posted[f"{prefix}-INITIAL_FORMS"] = str(initial)
        hidden = list(layout.get("hidden") or [])
        for index in range(count):
            form = current.forms[index] if index < len(current.forms) else current.empty_form
            row = int(layout["first_row"]) + index
            cells = {name: f"{letter}{row}" for name, letter in layout["columns"].items()}
            row_hidden = hidden[index] if index < len(hidden) else {}
            problems += _put(posted, f"{prefix}-{index}", form, sheet, cells, row_hidden)
    else:
        problems += _put(
            posted, prefix, current, sheet, layout["cells"], layout.get("hidden") or {}
        )
    return posted, problems


def _put(
    posted: QueryDict,
    prefix: str,
    form: BaseForm,
    sheet: Any,
    cells: Mapping[str, str],
    hidden: Mapping[str, Any],
) -> list[Problem]:
    problems = []
    for name, value in hidden.items():
        if value is not None and name in form.fields:
            posted[f"{prefix}-{name}"] = str(value)
    for name, coordinate in cells.items():
        form_field = form.fields.get(name)
        if form_field is None or form_field.disabled:
            continue
        cell = sheet[coordinate]
        try:
            value = cell_data(form_field, cell)
        except ValueError as error:
            label = str(form_field.label or name)
            problems.append(Problem(sheet.title, coordinate, f"{label}：{error}"))
            continue
        value = _keep_line_endings(value, form[name].value())
        if value is not None:
            posted[f"{prefix}-{name}"] = value
    return problems


def cell_data(form_field: forms.Field, cell: Any) -> str | None:
    """A cell's value as the text a browser would post for the field; ValueError if it can't be."""
    value = cell.value
    if cell.data_type == "f":
        raise ValueError(_("是公式，请直接填写值。"))
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        return _yes_no(value)
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return day.isoformat()
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if isinstance(form_field, forms.ChoiceField):
        return _choice_value(form_field, text)
    if isinstance(form_field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        return text.strip()
    return text


def _yes_no(value: Any) -> str:
    word = str(value).strip().lower() if not isinstance(value, bool) else str(value).lower()
    if word in TRUE_WORDS:
        return "true"
    if word in FALSE_WORDS:
        return "false"
    raise ValueError(_("请填写“是”或“否”，而不是「%(value)s」。") % {"value": value})


def _float_text(value: float) -> str:
    """The shortest decimal that reads back as the same float: what the user typed."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(_("不是数字。"))
    text = repr(value)
    return format(Decimal(text), "f") if "e" in text or "E" in text else text


def _choice_value(form_field: forms.ChoiceField, text: str) -> str:
    """A choice by its label as exported (or by its value); ValueError if it is neither."""
    choices = _choices(form_field)
    wanted = text.strip()
    for value, label in choices.items():
        if label == text or label.strip() == wanted:
            return value
    if wanted in choices:
        return wanted
    raise ValueError(_("「%(value)s」不是可选项。") % {"value": wanted})


def _keep_line_endings(value: str | None, saved: Any) -> str | None:
    """Excel stores line breaks as LF: a text equal to the saved one but for CRLF is unchanged."""
    if (
        isinstance(value, str)
        and isinstance(saved, str)
        and "\r" in saved
        and saved.replace("\r\n", "\n").replace("\r", "\n") == value
    ):
        return saved
    return value


def form_problems(
    layout: Mapping[str, Any], form: Any, *, skip: Iterable[str] = ()
) -> list[Problem]:
    """A bound form's errors at the cells its fields came from (the section title otherwise)."""
    skipped = set(skip)
    sheet = str(layout["sheet"])
    title_cell = str(layout.get("title_cell", "A1"))
    problems: list[Problem] = []
    if form.is_valid():
        return problems
    if isinstance(form, BaseFormSet):
        for message in form.non_form_errors():
            problems.append(Problem(sheet, title_cell, str(message)))
        for index, row in enumerate(form.forms):
            number = int(layout["first_row"]) + index
            cells = {name: f"{letter}{number}" for name, letter in layout["columns"].items()}
            first = f"{next(iter(layout['columns'].values()), 'A')}{number}"
            problems += _field_problems(sheet, row, cells, first, skipped)
    else:
        problems += _field_problems(sheet, form, layout["cells"], title_cell, skipped)
    return problems


def _field_problems(
    sheet: str, form: BaseForm, cells: Mapping[str, str], fallback: str, skipped: set[str]
) -> list[Problem]:
    problems = []
    for name, messages in form.errors.items():
        coordinate = cells.get(name, fallback)
        if coordinate in skipped:
            continue
        form_field = form.fields.get(name)
        label = str(form_field.label) if form_field is not None and form_field.label else ""
        for message in messages:
            text = f"{label}：{message}" if label and name in cells else str(message)
            problems.append(Problem(sheet, coordinate, text))
    return problems
