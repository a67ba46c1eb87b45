"""Filters of the printed documents: they format values, never query or decide."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def yes_no(value: bool | None) -> str:
    """A 是/否 box as the table prints it; blank until answered."""
    if value is None:
        return ""
    return _("是") if value else _("否")


@register.filter
def count(value: Any) -> str:
    """A count, blank when there is none (0 stays 0)."""
    return "" if value is None else str(value)
