"""Number inputs that keep what was typed.

A browser's `<input type="number">` sends an empty value for text it cannot read (「abc」, 「1e400」),
and an empty value would erase the stored figure. As text inputs with a numeric keyboard, they send
what was typed, and the form refuses it at the field with a message while the stored value stays.
"""

from typing import Any, cast

from django import forms
from django.core.validators import DecimalValidator
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext_lazy as _

DROPPED_ATTRS = ("step", "min", "max")


class NumberTextInput(forms.TextInput):
    """A number typed as text; phones still show their numeric keyboard."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, whole: bool = False) -> None:
        kept = {key: value for key, value in (attrs or {}).items() if key not in DROPPED_ATTRS}
        super().__init__({"inputmode": "numeric" if whole else "decimal", **kept})


class FigureValidator(DecimalValidator):
    """The column's digits, said the way a finance officer reads a figure."""

    # Lazy strings, as in Django's own validator (its stubs say str).
    messages = cast(
        dict[str, str],
        {
            "invalid": _("请输入数字。"),
            "max_digits": _("数值过大：最多 %(max)s 位数字。"),
            "max_decimal_places": _("最多 %(max)s 位小数。"),
            "max_whole_digits": _("数值过大：整数部分最多 %(max)s 位。"),
        },
    )


def numbers_as_text(form: Any) -> Any:
    """Give every number field of a form (of each row of a formset) a text input."""
    for each in form.forms if isinstance(form, BaseFormSet) else [form]:
        _retype(each)
    return form


def _retype(form: BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.NumberInput):
            whole = isinstance(field, forms.IntegerField)
            field.widget = NumberTextInput(field.widget.attrs, whole=whole)
        field.validators = [_figure(validator) for validator in field.validators]


def _figure(validator: Any) -> Any:
    if type(validator) is DecimalValidator:
        return FigureValidator(validator.max_digits, validator.decimal_places)
    return validator
