"""What the export writes and the import reads back: the hidden 「_meta」 sheet, the words for
yes and no, a choice field's labels, and the refusal both the checks and the import raise."""

import re
from collections.abc import Iterable
from typing import Any

from django import forms

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
META_SHEET = "_meta"
FORMAT = 1
META_CHUNK = 30000  # a cell holds at most 32,767 characters
COORDINATE = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")
COLUMN = re.compile(r"[A-Z]{1,3}")
MAX_ROW = 1_048_576  # Excel's last row
MAX_ROWS_PER_SECTION = 5000
YES, NO = "是", "否"


class ExcelRefused(ValueError):
    """A file that is not read at all; the message says why, in the user's words."""


def field_choices(form_field: forms.ChoiceField) -> dict[str, str]:
    """value → label, optgroups flattened."""
    found: dict[str, str] = {}
    choices: Iterable[Any] = form_field.choices  # type: ignore[assignment]
    for value, label in choices:
        if isinstance(label, list | tuple):
            found.update((str(v), str(text)) for v, text in label)
        else:
            found[str(value)] = str(label)
    return found
