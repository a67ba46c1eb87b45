"""The document templates write each table cell on one line: a cell keeps the newlines of its
text (`white-space: pre-line`, see templates/pdf/print.css), so a line break inside a cell's
template would print as an empty line in the PDF."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The funds table's header is shared with the web page of that table.
DOCUMENT_TEMPLATES = [
    *sorted((TEMPLATES / "pdf").glob("*.html")),
    TEMPLATES / "evaluations" / "sections" / "_funds_header.html",
]
OPENED = re.compile(r"<t[dh](?![a-z])")
CLOSED = re.compile(r"</t[dh]>")


def test_every_cell_of_every_document_template_is_on_one_line() -> None:
    split = [
        f"{path.name}:{number}"
        for path in DOCUMENT_TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(OPENED.findall(line)) != len(CLOSED.findall(line))
    ]
    assert split == []
