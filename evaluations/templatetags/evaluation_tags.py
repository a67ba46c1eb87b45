from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` for dictionaries whose keys are not identifiers."""
    return mapping.get(key)
