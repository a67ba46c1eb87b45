from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.forms import Textarea
from django.utils.safestring import SafeString

from evaluations.formatting import money, widget_html
from evaluations.tables.narrative import render_chapter
from rubrics.engine.metrics import CENT, percent, points_fixed

register = template.Library()
register.filter("money", money)
register.filter("widget_html", widget_html)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` for dictionaries whose keys are not identifiers (None otherwise)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


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
def report_markdown(text: str) -> SafeString:
    """A report chapter (HTML, or legacy Markdown) as sanitised HTML (evaluations.tables.narrative)."""
    return render_chapter(text)


@register.filter
def of_section(violations: list[Any], key: str) -> list[Any]:
    """`violations|of_section:section.key`: the rule violations one section card lists."""
    return [violation for violation in violations if violation.section == key]
