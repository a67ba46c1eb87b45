"""Every numeric input of every section has bounds that match its column: generated over the demo.

For each section of each demo evaluation, every number field is set at once to the largest value
its column can hold, then one digit more, then the smallest, then unreadable text. No value may
reach the database unchecked (an overflow would be a 500); what cannot be stored is refused at
the field and the stored value stays.
"""

from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms import BaseFormSet
from django.http import QueryDict
from django_scopes import scope, scopes_disabled

from evaluations.api.views import form_data, posted_data
from evaluations.demo.load import load_demo
from evaluations.models import Evaluation
from evaluations.services.sections import Outcome, section_submit
from evaluations.tables.registry import Section, scoped_sections, sections_for

UNREADABLE = ["abc", "1e400", "NaN", "1,5"]


def number_fields(form: Any) -> tuple[int | None, dict[str, forms.Field]]:
    """The form's number fields by name; for a formset, those of the row that has the most (a
    parent funds line has none), with the row's index."""
    if not isinstance(form, BaseFormSet):
        return None, _numbers(form)
    rows = [(index, _numbers(row)) for index, row in enumerate(form.forms)]
    return max(rows, key=lambda row: len(row[1]), default=(None, {}))


def _numbers(form: Any) -> dict[str, forms.Field]:
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField)
        and not field.disabled
    }


def largest(field: forms.Field) -> Decimal:
    """The largest value the field accepts: its maximum, or all nines in its digits."""
    if getattr(field, "max_value", None) is not None:
        return Decimal(field.max_value)  # type: ignore[attr-defined]
    digits = getattr(field, "max_digits", None)
    places = getattr(field, "decimal_places", None) or 0
    if digits is None:
        return Decimal(2**31 - 1)
    return Decimal("9" * (digits - places) + ("." + "9" * places if places else ""))


def smallest(field: forms.Field) -> Decimal:
    if getattr(field, "min_value", None) is not None:
        return Decimal(field.min_value)  # type: ignore[attr-defined]
    return -largest(field)


def with_values(
    section: Section, evaluation: Evaluation, row: int | None, values: dict[str, str]
) -> QueryDict:
    """The section's current data with the given fields of one row (or of the form) replaced."""
    current = section.form(evaluation)
    data = form_data(current)
    (data if row is None else data["rows"][row]).update(values)
    return posted_data(section, current, data)


class Target:
    def __init__(self, evaluation: Evaluation, section: Section, row: int | None, user: Any):
        self.evaluation, self.section, self.row, self.user = evaluation, section, row, user

    def errors(self, form: Any) -> Any:
        return form.errors if self.row is None else form.forms[self.row].errors


def submit(target: Target, values: dict[str, str]) -> Any:
    evaluation, section = target.evaluation, target.section
    return section_submit(
        evaluation=evaluation,
        section=section,
        data=with_values(section, evaluation, target.row, values),
        based_on=_version(evaluation, section),
        by=target.user,
        roles=frozenset(section.editors),
    )


def _version(evaluation: Evaluation, section: Section) -> int:
    from evaluations.selectors.evaluations import section_versions

    return section_versions(evaluation, [section])[section.key]


def demo_evaluations() -> list[Evaluation]:
    """One demo evaluation of each kind of tables (湛江 2017 has the same tables as 2019)."""
    with scopes_disabled():
        every = Evaluation.objects.select_related("campaign", "department").order_by("-pk")
        kinds = {(e.campaign.table_set, e.department_id): e for e in every}
        return list(kinds.values())


@pytest.mark.django_db
def test_every_number_field_of_every_demo_section_is_bounded_by_its_column(
    django_user_model: Any,
) -> None:
    load_demo()
    user = django_user_model.objects.create(username="bounds")
    checked = 0
    for evaluation in demo_evaluations():
        department = evaluation.department
        with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
            for section in [*sections_for(evaluation), *scoped_sections(evaluation)]:
                row, fields = number_fields(section.form(evaluation))
                checked += len(fields)
                if fields:
                    in_a_state_it_is_edited_in(evaluation, section)
                    check_section(Target(evaluation, section, row, user), fields)
    assert checked > 150  # every table of each kind


def in_a_state_it_is_edited_in(evaluation: Evaluation, section: Section) -> None:
    """A draft for the department's sections, submitted for the reviewer's 核查得分."""
    states = Evaluation.State.DRAFT, Evaluation.State.SUBMITTED
    state = next(state for state in states if state in section.editable_states)
    Evaluation._base_manager.filter(pk=evaluation.pk).update(state=state)
    evaluation.state = state


def check_section(target: Target, fields: dict[str, forms.Field]) -> None:
    key = target.section.key
    top = {name: str(largest(field)) for name, field in fields.items()}
    assert submit(target, top).outcome in (Outcome.SAVED, Outcome.INVALID), key
    over = {name: str(largest(field) * 10 + 1) for name, field in fields.items()}
    refused = submit(target, over)
    assert refused.outcome is Outcome.INVALID, key
    assert set(fields) <= set(target.errors(refused.form)), (key, target.errors(refused.form))
    bottom = {name: str(smallest(field)) for name, field in fields.items()}
    assert submit(target, bottom).outcome in (Outcome.SAVED, Outcome.INVALID), key
    below = {name: str(smallest(field) * 10 - 1) for name, field in fields.items()}
    assert submit(target, below).outcome is Outcome.INVALID, key
    for text in UNREADABLE:
        unreadable = submit(target, dict.fromkeys(fields, text))
        assert unreadable.outcome is Outcome.INVALID, (key, text)
        assert set(fields) <= set(target.errors(unreadable.form)), (key, text)
