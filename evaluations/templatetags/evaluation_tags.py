from typing import Any

from django import template
from django.utils.safestring import SafeString

from evaluations.narrative import render_markdown

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` for dictionaries whose keys are not identifiers."""
    return mapping.get(key)


@register.filter
def report_markdown(text: str) -> SafeString:
    """A report chapter's Markdown as sanitised HTML (see evaluations.narrative)."""
    return render_markdown(text)
