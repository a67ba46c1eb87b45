"""Helpers to declare a section over one `EvaluationPart` model with a generic grid form."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models
from django.forms import ModelForm, modelform_factory
from django.http import QueryDict

from evaluations.models import Evaluation
from evaluations.models.parts import EvaluationPart, forget_part, part_of
from evaluations.tables.registry import Section


class RowGone(Exception):
    """A row the save would update was deleted by someone else after the form was built."""


def owned_fields(form: ModelForm) -> list[str]:
    """The columns a section's form edits (enabled fields only): all that its save may write."""
    model = form._meta.model
    return [
        column.name
        for column in model._meta.concrete_fields
        if not column.primary_key
        and column.name in form.fields
        and not form.fields[column.name].disabled
    ]


def save_owned(row: models.Model, fields: Iterable[str]) -> None:
    """Write only `fields` of an existing row, so what other sections wrote meanwhile stays."""
    columns = [row._meta.get_field(name) for name in fields]
    values = {column.attname: getattr(row, column.attname) for column in columns}  # type: ignore[union-attr]
    if values and not type(row)._base_manager.filter(pk=row.pk).update(**values):
        raise RowGone(f"{row._meta.label} {row.pk}")


def save_part(evaluation: Evaluation, form: ModelForm) -> None:
    """Save a part section: its own columns of the evaluation's one row, created if missing.

    Two sections saved at once may both find no row: `get_or_create` lets one insert it and the
    other read it, and each then writes only its own columns.
    """
    row = form.save(commit=False)
    if row.pk is None:
        existing, _ = type(row).objects.get_or_create(evaluation=evaluation)
        row.pk = existing.pk
        row._state.adding = False
    save_owned(row, owned_fields(form))
    forget_part(evaluation, row)


def part_section(
    *,
    key: str,
    title: str,
    table: str,
    model: type[EvaluationPart],
    fields: list[str],
    units: Mapping[str, str] | None = None,
    values: Callable[[Any], Mapping[str, Any]] | None = None,
    template: str = "evaluations/sections/_grid.html",
    **options: Any,
) -> Section:
    """A section whose form edits some fields of the evaluation's one row of `model`.

    `values` maps the row to data-dictionary keys; by default each field's name is its key.
    """
    form_class = modelform_factory(model, fields=fields)
    to_values = values or (lambda row: {name: getattr(row, name) for name in fields})

    def build_form(
        evaluation: Evaluation, data: QueryDict | None = None, files: Any = None, *, prefix: str
    ) -> ModelForm:
        # A bound form changes its instance while validating: never the cached one, which still
        # gives the saved values (for the conflict diff) until `save` replaces it.
        row = part_of(evaluation, model, fresh=data is not None) or model(evaluation=evaluation)
        form = form_class(data, files, instance=row, prefix=prefix)
        for name, unit in (units or {}).items():
            form.fields[name].unit = unit  # type: ignore[attr-defined]
        return form

    def read(evaluation: Evaluation) -> Mapping[str, Any]:
        row = part_of(evaluation, model)
        return to_values(row) if row else {}

    return Section(
        key=key,
        title=title,
        table=table,
        build_form=build_form,
        save=save_part,
        values=read,
        template=template,
        **options,
    )
