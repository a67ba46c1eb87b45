from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

from evaluations.models import Evaluation
from evaluations.sections import section_by_key
from rubrics.metrics import CENT

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` for dictionaries whose keys are not identifiers."""
    return mapping.get(key)


@register.filter
def money(value: Decimal | None) -> str:
    """An amount in 万元 with two decimals, rounded half up; blank when there is none."""
    if value is None:
        return ""
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")


@register.simple_tag
def fresh_form(key: str, evaluation: Evaluation) -> Any:
    """Section `key`'s form as saved now, for live templates that re-render after a save."""
    section = section_by_key(key)
    return section.form(evaluation) if section else None
