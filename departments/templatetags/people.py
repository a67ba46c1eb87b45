"""People as others see them, in Chinese order: 林国栋, not 国栋 林 (Django's get_full_name)."""

from typing import Any

from django import template

from departments.selectors import person_name

register = template.Library()


@register.filter
def person(user: Any) -> str:
    return person_name(user)
