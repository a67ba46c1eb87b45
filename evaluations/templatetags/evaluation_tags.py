from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from django import template
from django.forms import BoundField, CheckboxInput, Select, Textarea
from django.utils.safestring import SafeString, mark_safe

from evaluations.models import Evaluation
from evaluations.tables.narrative import render_markdown
from evaluations.tables.registry import section_for
from rubrics.engine.metrics import CENT, percent, points_fixed

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` for dictionaries whose keys are not identifiers (None otherwise)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.simple_tag
def evaluation_scoring(evaluation: Any) -> dict[str, Any] | None:
    """The evaluation's scoring sheet computed now: {"result", "items" by field key}."""
    from evaluations.scoring.department import evaluation_scoring as compute
    from evaluations.tables.scores import field_key

    computed = compute(evaluation)
    if computed is None:
        return None
    _, result = computed
    return {"result": result, "items": {field_key(item.code): item for item in result.items}}


@register.filter
def score_input(form: Any, key: str) -> Any:
    """`form|score_input:key`: the score field of an indicator, or None when the form lacks it."""
    return form[f"score__{key}"] if f"score__{key}" in form.fields else None


@register.filter
def note_input(form: Any, key: str) -> Any:
    return form[f"note__{key}"] if f"note__{key}" in form.fields else None


@register.filter
def fieldkey(code: str) -> str:
    from evaluations.tables.scores import field_key

    return field_key(code)


@register.filter
def points(value: Any) -> str:
    """Scores with two decimals, rounded half up; a dash when there is none."""

    return "—" if value is None else points_fixed(value)


@register.filter
def is_textarea(bound_field: Any) -> bool:
    """Whether a form field renders as a text area (laid out across the whole grid row)."""
    return isinstance(bound_field.field.widget, Textarea)


@register.filter
def percent_of(numerator: Any, denominator: Any) -> str:
    """`a|percent_of:b`: a ÷ b as a percentage, half-up to 0.01%; 「—」 without a denominator."""
    try:
        return percent(Decimal(numerator) / Decimal(denominator))
    except (TypeError, ArithmeticError):
        return "—"


@register.filter
def two_decimals(value: Any) -> str:
    """A Decimal amount half-up to two decimals; empty for no value."""
    if value is None or value == "":
        return ""
    return format(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP), "f")


@register.filter
def metric_display(metrics: list[Any], key: str) -> str:
    """`metrics|metric_display:"key"`: the shown value of one computed metric, 「—」 if none."""
    return next((metric.display for metric in metrics if metric.key == key), "—")


@register.filter
def ratio_percent(value: Decimal | None) -> str:
    """A fraction as a percentage, half-up to 2 decimals (0.96789 → 96.79%); 「—」 when absent."""
    return "—" if value is None else percent(value)


@register.filter
def money(value: Decimal | None) -> str:
    """An amount in 万元 with two decimals, rounded half up; blank when there is none."""
    if value is None:
        return ""
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")


@register.simple_tag
def fresh_form(key: str, evaluation: Evaluation) -> Any:
    """Section `key`'s form as saved now, for live templates that re-render after a save."""
    section = section_for(evaluation, key)
    return section.form(evaluation) if section else None


@register.filter
def widget_html(bound: BoundField) -> SafeString:
    """A text, number, date, hidden, checkbox or select input without the widget templates.

    Wide row tables render thousands of inputs; Django's template per widget makes a 300-line
    table take seconds, this takes milliseconds.
    """
    widget = bound.field.widget
    value = bound.value()
    attrs = _attrs({**widget.attrs, "id": bound.auto_id})
    name = escape(bound.html_name)
    if isinstance(widget, Select):
        selected = set(widget.format_value(value))
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in selected else ""}>'
            f"{escape(str(text))}</option>"
            for v, text in widget.choices
        )
        return mark_safe(f'<select name="{name}"{attrs}>{options}</select>')  # noqa: S308
    if isinstance(widget, CheckboxInput):
        checked = " checked" if widget.check_test(value) else ""
        return mark_safe(f'<input type="checkbox" name="{name}"{attrs}{checked}>')  # noqa: S308
    shown = widget.format_value(value)
    shown_attr = "" if shown is None else f' value="{escape(str(shown))}"'
    kind = widget.input_type
    return mark_safe(f'<input type="{kind}" name="{name}"{attrs}{shown_attr}>')  # noqa: S308


def _attrs(attrs: dict[str, Any]) -> str:
    """Escaped HTML attributes; True gives a bare attribute, False and None none."""
    return "".join(
        f" {key}" if value is True else f' {key}="{escape(str(value))}"'
        for key, value in attrs.items()
        if value is not None and value is not False
    )


@register.filter
def report_markdown(text: str) -> SafeString:
    """A report chapter's Markdown as sanitised HTML (see evaluations.tables.narrative)."""
    return render_markdown(text)


@register.filter
def of_section(violations: list[Any], key: str) -> list[Any]:
    """`violations|of_section:section.key`: the rule violations one section card lists."""
    return [violation for violation in violations if violation.section == key]


@register.simple_tag
def funds_computed_oob(evaluation: Evaluation, prefix: str) -> SafeString:
    """The funds table's computed cells after a save (see tables.funds.computed_oob_html)."""
    from evaluations.models.funds import FundTree
    from evaluations.tables.funds import computed_oob_html

    return computed_oob_html(FundTree.of(evaluation), prefix)


@register.simple_tag
def scored_projects(evaluation: Evaluation) -> list[tuple[Any, Any]]:
    """The evaluation's projects, each with its scoring (two queries whatever their number)."""
    from evaluations.models import ProjectEvaluation
    from evaluations.scoring.projects import project_scoring

    projects = ProjectEvaluation.objects.filter(evaluation=evaluation).prefetch_related(
        "indicators"
    )
    return [(project, project_scoring(evaluation, project)) for project in projects]
