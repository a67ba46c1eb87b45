"""What differs between the values a user submitted and the values saved meanwhile by someone else."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Difference:
    label: str
    mine: str
    theirs: str


def form_differences(submitted: Any, current: Any) -> list[Difference]:
    """Field by field (row by row for formsets): the user's value and the saved one, where they differ."""
    if isinstance(submitted, BaseFormSet):
        return _formset_differences(submitted, current)
    return _form_differences(submitted, current, row="")


def _formset_differences(submitted: BaseFormSet, current: BaseFormSet) -> list[Difference]:
    """Saved rows are matched by id (rows the other person added or deleted shift positions);
    rows without ids (tables saved whole) by position."""
    theirs_by_id = {_row_id(row): row for row in current.forms if _row_id(row) is not None}
    if not theirs_by_id:
        return _positional_differences(submitted, current)
    differences: list[Difference] = []
    for index, mine in enumerate(submitted.forms, start=1):
        theirs = theirs_by_id.pop(_row_id(mine), None)
        if theirs is not None:
            differences += _form_differences(mine, theirs, row=f"第 {index} 行 ")
        elif mine.has_changed() and _row_id(mine) is not None:
            differences.append(Difference(f"第 {index} 行", _("您的修改"), _("该行已被他人删除")))
    differences += [
        Difference(_("他人新增的行"), _display(None), _row_name(theirs))
        for theirs in theirs_by_id.values()
    ]
    return differences


def _positional_differences(submitted: BaseFormSet, current: BaseFormSet) -> list[Difference]:
    differences: list[Difference] = []
    mine_rows, their_rows = submitted.forms, current.forms
    if len(mine_rows) != len(their_rows):
        differences.append(Difference(_("行数"), str(len(mine_rows)), str(len(their_rows))))
    for index, (mine, theirs) in enumerate(zip(mine_rows, their_rows, strict=False), start=1):
        differences += _form_differences(mine, theirs, row=f"第 {index} 行 ")
    return differences


def _row_id(row: BaseForm) -> Any:
    instance = getattr(row, "instance", None)
    return getattr(instance, "pk", None)


def _row_name(row: BaseForm) -> str:
    instance = getattr(row, "instance", None)
    return str(getattr(instance, "name", "") or getattr(instance, "pk", ""))


def _form_differences(submitted: BaseForm, current: BaseForm, *, row: str) -> list[Difference]:
    differences = []
    for name, field in submitted.fields.items():
        # A row's fields depend on the row (a parent line has no figures): compare what both show.
        if field.disabled or name in {"id", "DELETE", "ORDER"} or name not in current.fields:
            continue
        mine, theirs = submitted[name].value(), current[name].value()
        if _normalise(field, mine) != _normalise(field, theirs):
            differences.append(Difference(f"{row}{field.label}", _display(mine), _display(theirs)))
    return differences


def _normalise(field: Any, value: Any) -> Any:
    try:
        return field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return value


def _display(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
