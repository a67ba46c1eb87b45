"""Helpers to declare a section over one `EvaluationPart` model with a generic grid form."""

from collections.abc import Callable, Mapping
from typing import Any

from django.forms import ModelForm, modelform_factory
from django.http import QueryDict

from evaluations.models import Evaluation
from evaluations.models.parts import EvaluationPart, forget_part, part_of
from evaluations.tables.registry import Section


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
        save=lambda evaluation, form: forget_part(evaluation, form.save()),
        values=read,
        template=template,
        **options,
    )
