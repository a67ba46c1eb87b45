from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.forms import Textarea

from rubrics.metrics import CENT, percent

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` for dictionaries whose keys are not identifiers."""
    return mapping.get(key)


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
