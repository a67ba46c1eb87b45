"""What differs between the values a user submitted and the values saved meanwhile by someone else."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseFormSet


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
    differences: list[Difference] = []
    mine_rows, their_rows = submitted.forms, current.forms
    if len(mine_rows) != len(their_rows):
        differences.append(Difference("行数", str(len(mine_rows)), str(len(their_rows))))
    for index, (mine, theirs) in enumerate(zip(mine_rows, their_rows, strict=False), start=1):
        differences += _form_differences(mine, theirs, row=f"第 {index} 行 ")
    return differences


def _form_differences(submitted: BaseForm, current: BaseForm, *, row: str) -> list[Difference]:
    differences = []
    for name, field in submitted.fields.items():
        if field.disabled or name in {"id", "DELETE", "ORDER"}:
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
