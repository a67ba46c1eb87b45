"""Sections over any number of rows (固定资产情况表, 绩效目标申报情况汇总表).

Rows are identified by their position, not their id: an autosave does not re-render the form
(typing is never interrupted), so a row added on the page has no id to send back. Each save
replaces the evaluation's rows by the submitted ones, in order, in two queries.
"""

from collections.abc import Callable, Mapping
from typing import Any, cast

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.http import QueryDict

from evaluations.models import Evaluation
from evaluations.models.parts import rows_of
from evaluations.tables.registry import Section

EXTRA_ROWS = 3


class RowsFormSet(forms.BaseFormSet):
    """A formset whose rows can be read the same way whether bound, valid or not."""

    def row_values(self) -> list[Mapping[str, Any]]:
        """Each shown row's values: cleaned when the formset was validated, else as saved."""
        found = []
        for form in self.forms:
            if form.is_bound and hasattr(form, "cleaned_data"):
                found.append(form.cleaned_data)
            else:
                found.append(form.initial)
        return found

    def kept_rows(self) -> list[Mapping[str, Any]]:
        """The rows to store: saved or newly filled in, and not marked for deletion."""
        kept: list[Mapping[str, Any]] = []
        for index, form in enumerate(self.forms):
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            kept.append({name: v for name, v in form.cleaned_data.items() if name != "DELETE"})
        return kept


def rows_section(
    *,
    key: str,
    title: str,
    table: str,
    model: type[models.Model],
    fields: list[str],
    template: str,
    values: Callable[[Evaluation, list[Any]], Mapping[str, Any]],
    live_template: str | None = None,
    formset: type[RowsFormSet] = RowsFormSet,
    **options: Any,
) -> Section:
    """A section editing all rows of `model` (with `evaluation` and `position`) of an evaluation.

    `values` receives the evaluation and its rows in order (one query).
    """
    form_class = forms.modelform_factory(model, fields=fields)
    formset_class = cast(
        type[RowsFormSet],
        forms.formset_factory(form_class, formset=formset, extra=EXTRA_ROWS, can_delete=True),
    )
    manager = model._default_manager

    def build_form(
        evaluation: Evaluation, data: QueryDict | None = None, files: Any = None, *, prefix: str
    ) -> RowsFormSet:
        saved = manager.filter(evaluation=evaluation).order_by("position")
        initial = [model_to_dict(row, fields=fields) for row in saved]
        return formset_class(data, files, prefix=prefix, initial=initial)

    def save(evaluation: Evaluation, rows: RowsFormSet) -> None:
        manager.filter(evaluation=evaluation).delete()
        manager.bulk_create(
            model(evaluation=evaluation, position=position, **row)
            for position, row in enumerate(rows.kept_rows(), start=1)
        )

    def read(evaluation: Evaluation) -> Mapping[str, Any]:
        return values(evaluation, rows_of(evaluation, model))

    return Section(
        key=key,
        title=title,
        table=table,
        build_form=build_form,
        save=save,
        values=read,
        template=template,
        live_template=live_template,
        **options,
    )
