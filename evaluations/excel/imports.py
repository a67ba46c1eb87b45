"""An exported workbook read back: every section bound to its own form from the cells named in
「_meta」, every problem reported with its sheet and cell. Saving is `services.excel_import`'s job;
nothing here writes.

The workbook is streamed (openpyxl's read-only mode) and closed before any form is built: the
「_meta」 sheet is read once, then each sheet the layouts name, once, from its first named row to its
last, keeping only the cells the layouts name. Bytes reach here only through `safety.check_xlsx`.
"""

import datetime
import io
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.forms import BaseForm, BaseFormSet
from django.http import QueryDict
from django.utils.translation import gettext as _
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from config import safe_json
from departments.roles import Role
from evaluations.excel.layout import (
    COLUMN,
    COORDINATE,
    FORMAT,
    MAX_ROW,
    MAX_ROWS_PER_SECTION,
    META_SHEET,
    NO,
    YES,
    ExcelRefused,
    field_choices,
)
from evaluations.excel.safety import max_cells
from evaluations.models import Evaluation
from evaluations.selectors.conflicts import Difference, form_differences
from evaluations.selectors.evaluations import section_versions
from evaluations.tables.registry import Section, scoped_sections, section_for, sections_for

# openpyxl parses with defusedxml when it is installed, unless OPENPYXL_DEFUSEDXML says otherwise.
if not openpyxl.DEFUSEDXML:
    raise ImproperlyConfigured("openpyxl must parse XML with defusedxml (OPENPYXL_DEFUSEDXML).")

META_HEADER_ROWS = 5  # format, evaluation, department, a blank row, the column titles
# The layouts' JSON, all sections together: 湛江 2019 exports 10,029 characters, and 35,913 with
# 1,000 more funds lines. Bounded before parsing, as the depth check reads every character.
MAX_META_CHARACTERS = 1_000_000
TRUE_WORDS = {"是", "yes", "y", "true", "1", "√", "✓", "on"}
FALSE_WORDS = {"否", "no", "n", "false", "0", "×", "off"}


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


@dataclass(frozen=True)
class CellValue:
    """What the import needs of a cell: its value, and its type ("f" for a formula)."""

    value: Any = None
    data_type: str = "n"


EMPTY = CellValue()


@dataclass(frozen=True)
class SheetCells:
    """The cells of one sheet that the layouts name; any other reads as empty."""

    title: str
    cells: dict[str, CellValue]

    def __getitem__(self, coordinate: str) -> CellValue:
        return self.cells.get(coordinate, EMPTY)


@dataclass(frozen=True)
class WorkbookContents:
    """What the import reads of a workbook: the layouts, the sheets' order, the named cells."""

    layouts: list[dict[str, Any]]
    sheetnames: list[str]
    sheets: dict[str, SheetCells]


# ---------------------------------------------------------------------------------------------
# Reading the workbook


@contextmanager
def opened(data: bytes, *, name: str) -> Iterator[Any]:
    """The workbook of checked bytes, streamed (read-only, formulas kept), closed on leaving."""
    with _damage_refused(name):
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    try:
        yield workbook
    finally:
        workbook.close()


def read_workbook(data: bytes, evaluation: Evaluation, *, name: str) -> WorkbookContents:
    """The layouts of a file exported for this evaluation and the cells they name, in one pass
    over each sheet they name; raise ExcelRefused for a file that cannot be read."""
    with opened(data, name=name) as workbook:
        layouts = read_meta(workbook, evaluation, name=name)
        worksheets = {sheet.title: sheet for sheet in workbook.worksheets}
        sheets = {
            title: _sheet_cells(worksheets[title], wanted, name=name)
            for title, wanted in _named_cells(layouts).items()
            if title in worksheets
        }
        return WorkbookContents(layouts, list(workbook.sheetnames), sheets)


@contextmanager
def _damage_refused(name: str) -> Iterator[None]:
    """openpyxl's errors on a damaged file (it raises many kinds, and wraps them) as a refusal."""
    try:
        yield
    except Exception as error:
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


def _rows(sheet: Any, *, name: str, **bounds: Any) -> Iterator[tuple[Any, ...]]:
    """A sheet's rows as openpyxl streams them; only openpyxl's own errors become a refusal."""
    with _damage_refused(name):
        yield from sheet.iter_rows(**bounds)


def read_meta(workbook: Any, evaluation: Evaluation, *, name: str) -> list[dict[str, Any]]:
    """The section layouts of a file exported for this evaluation; raise ExcelRefused if not."""
    sheet = next((s for s in workbook.worksheets if s.title == META_SHEET), None)
    if sheet is None:
        raise ExcelRefused(_("此文件不是从本平台下载的自评表（缺少 _meta 工作表），未导入。"))
    rows = _rows(sheet, name=name, values_only=True)
    header = [row[1] if len(row) > 1 else None for row in islice(rows, META_HEADER_ROWS)]
    header += [None] * (META_HEADER_ROWS - len(header))
    if header[0] != FORMAT:
        raise ExcelRefused(_("此文件的格式版本不受支持，请重新下载后填写。"))
    if header[1] != evaluation.pk or header[2] != evaluation.department.slug:
        raise ExcelRefused(_("此文件是另一份自评的表格，未导入。请下载本自评的 Excel 后填写。"))
    layouts: list[dict[str, Any]] = []
    characters = named = 0
    for row in rows:
        chunks = [value for value in row[2:] if isinstance(value, str)]
        characters += sum(len(chunk) for chunk in chunks)
        if characters > MAX_META_CHARACTERS:
            raise ExcelRefused(damaged_meta_message())
        if chunks:
            layout = _layout("".join(chunks))
            named += _named_count(layout)
            if named > max_cells():  # more than the file can hold: not what the export wrote
                raise ExcelRefused(damaged_meta_message())
            layouts.append(layout)
    return layouts


def damaged_meta_message() -> str:
    return _("_meta 工作表已损坏，请重新下载后填写。")


def _layout(text: str) -> dict[str, Any]:
    try:
        layout = safe_json.loads(text, decimals=False)
    except safe_json.UnsafeJSON as error:
        raise ExcelRefused(damaged_meta_message()) from error
    if not _well_formed(layout):
        raise ExcelRefused(damaged_meta_message())
    return layout


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
        first_row = layout.get("first_row")
        counts = [layout.get(name) for name in ("count", "initial")]
        return (
            isinstance(columns, dict)
            and all(isinstance(c, str) and COLUMN.fullmatch(c) for c in columns.values())
            and isinstance(first_row, int)
            and 1 <= first_row <= MAX_ROW
            and all(isinstance(n, int) and 0 <= n <= MAX_ROWS_PER_SECTION for n in counts)
            and isinstance(hidden, list)
            and all(isinstance(row, dict) for row in hidden)
        )
    return False


def _named_count(layout: Mapping[str, Any]) -> int:
    if layout["kind"] == "rows":
        return int(layout["count"]) * len(layout["columns"])
    return len(layout["cells"])


def _row_cells(layout: Mapping[str, Any], index: int) -> dict[str, str]:
    """Field name → coordinate in a grid's row `index` (from 0)."""
    number = int(layout["first_row"]) + index
    return {name: f"{letter}{number}" for name, letter in layout["columns"].items()}


def _layout_cells(layout: Mapping[str, Any]) -> Iterator[str]:
    if layout["kind"] == "rows":
        for index in range(int(layout["count"])):
            yield from _row_cells(layout, index).values()
    else:
        yield from layout["cells"].values()


def _named_cells(layouts: list[dict[str, Any]]) -> dict[str, dict[int, dict[int, str]]]:
    """Sheet → row → column number → coordinate, of every cell the layouts name."""
    found: dict[str, dict[int, dict[int, str]]] = {}
    for layout in layouts:
        rows = found.setdefault(str(layout["sheet"]), {})
        for coordinate in _layout_cells(layout):
            letters, row = coordinate_from_string(coordinate)
            rows.setdefault(row, {})[column_index_from_string(letters)] = coordinate
    return found


def _sheet_cells(sheet: Any, wanted: dict[int, dict[int, str]], *, name: str) -> SheetCells:
    """The wanted cells of a sheet, in one pass over the rows from the first wanted to the last."""
    if not wanted:  # its sections show no field
        return SheetCells(sheet.title, {})
    first, last = min(wanted), max(wanted)
    width = max(max(columns) for columns in wanted.values())
    cells: dict[str, CellValue] = {}
    rows = _rows(sheet, name=name, min_row=first, max_row=last, min_col=1, max_col=width)
    for number, row in enumerate(rows, start=first):
        for column, coordinate in wanted.get(number, {}).items():
            cell = row[column - 1]
            cells[coordinate] = CellValue(cell.value, cell.data_type)
    return SheetCells(sheet.title, cells)


# ---------------------------------------------------------------------------------------------
# The plan


def import_plan(
    evaluation: Evaluation, contents: WorkbookContents, *, roles: frozenset[Role]
) -> ImportPlan:
    """Every section of the file bound to its form: the problems, the conflicts, the changes."""
    plan = ImportPlan()
    current_versions = section_versions(
        evaluation, [*sections_for(evaluation), *scoped_sections(evaluation)]
    )
    for layout in contents.layouts:
        sheet_name = str(layout["sheet"])
        title_cell = str(layout.get("title_cell", "A1"))
        section = section_for(evaluation, str(layout["key"]))
        if section is None:
            plan.problems.append(Problem(sheet_name, title_cell, gone_message()))
            continue
        if sheet_name not in contents.sheets:
            plan.problems.append(
                Problem(sheet_name, "A1", _("找不到此工作表，请不要改名或删除工作表。"))
            )
            continue
        current = section.form(evaluation)
        posted, unreadable = posted_data(section, current, contents.sheets[sheet_name], layout)
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
    plan.problems.sort(key=lambda problem: _reading_order(contents.sheetnames, problem))
    return plan


def _reading_order(names: list[str], problem: Problem) -> tuple[int, int, int]:
    """Sheets in the workbook's order, then rows top to bottom, then columns left to right."""
    letters, row = coordinate_from_string(problem.cell)
    sheet = names.index(problem.sheet) if problem.sheet in names else len(names)
    return sheet, row, column_index_from_string(letters)


def gone_message() -> str:
    return _("此栏目已不存在（可能已被删除），请重新下载。")


def _differences(form: Any, current: Any) -> list[Difference]:
    """What the file changes in a section; rows marked for deletion and new rows of saved
    objects count too (rows are compared by id, so a new one has nothing to differ from)."""
    found = form_differences(form, current)
    if not isinstance(form, BaseFormSet):
        return found
    for index, row in enumerate(form.forms, start=1):
        label = _("第 %(n)d 行") % {"n": index}
        if form.can_delete and "DELETE" in row.fields and row["DELETE"].data:
            found.append(Difference(label, _("删除"), _("保留")))
        elif _new_object(row) and row.has_changed():
            found.append(Difference(label, _("新增"), _("无")))
    return found


def _new_object(row: BaseForm) -> bool:
    instance = getattr(row, "instance", None)
    return instance is not None and instance.pk is None


def posted_data(
    section: Section, current: Any, sheet: SheetCells, layout: Mapping[str, Any]
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
            cells = _row_cells(layout, index)
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
    sheet: SheetCells,
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


def cell_data(form_field: forms.Field, cell: CellValue) -> str | None:
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
    choices = field_choices(form_field)
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
            cells = _row_cells(layout, index)
            number = int(layout["first_row"]) + index
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
