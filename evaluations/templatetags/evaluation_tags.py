from decimal import Decimal
from typing import Any

from django import template

from rubrics.metrics import percent, points_fixed

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` for dictionaries whose keys are not identifiers."""
    return mapping.get(key)


@register.filter
def ratio_percent(value: Decimal | None) -> str:
    """A fraction as a percentage, half-up to 2 decimals (0.96789 → 96.79%); 「—」 when absent."""
    return "—" if value is None else percent(value)


@register.filter
def two_decimals(value: Decimal | None) -> str:
    """Points or 万元 with two decimals, half-up (9.675 → 9.68); 「—」 when absent."""
    return "—" if value is None else points_fixed(value)
