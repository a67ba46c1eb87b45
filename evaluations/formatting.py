"""How values and inputs are written out: amounts, and inputs without Django's widget templates.

Pure functions used by the template filters and by the tables' own HTML (the funds grid).
"""

from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from django.forms import BoundField, CheckboxInput, Select
from django.utils.safestring import SafeString, mark_safe

from rubrics.engine.metrics import CENT


def money(value: Decimal | None) -> str:
    """An amount in 万元 with two decimals, rounded half up; blank when there is none."""
    if value is None:
        return ""
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")


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
