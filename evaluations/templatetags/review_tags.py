"""Reviewers' comments where they belong: under the input they are about, and in the section's
header. The view passes the index (evaluations.selectors.comments); these filters only format it.

On a page without an index (an HTMX fragment, a project page) every filter renders the field as
it would be rendered without them.
"""

import re
from html import escape
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from departments.selectors import person_name
from evaluations.formatting import widget_html
from evaluations.selectors.comments import CommentIndex, ReviewComment, place_label, row_label
from evaluations.workflow import STEPS

register = template.Library()

OPENING_TAG = re.compile(r"^<(input|select|textarea)\b")


def _notes_html(note_id: str, comments: list[ReviewComment], heading: str) -> str:
    texts = "".join(f'<span class="review-note-text">{escape(c.text)}</span>' for c in comments)
    return (
        f'<span class="review-note" id="{escape(note_id)}">'
        f'<strong class="review-note-heading">{escape(heading)}：</strong>{texts}</span>'
    )


def _write_html(url: str, what: str) -> str:
    label = escape(_("写意见"))
    title = escape(_("对「%(what)s」写审核意见") % {"what": what})
    return f'<a class="write-comment" href="{escape(url)}" title="{title}">{label}</a>'


def _where(bound: Any, index: Any) -> tuple[str, int | None] | None:
    if not isinstance(index, CommentIndex) or not isinstance(bound, BoundField):
        return None
    if bound.is_hidden or bound.name == "DELETE":
        return None
    return index.place(bound.form.prefix or "")


@register.filter
def commented(bound: Any, index: Any) -> Any:
    """`{{ field|commented:review_notes }}`: the input, described by the comments on it (shown
    right under it), and for a reviewer of a submitted evaluation a 「写意见」 link."""
    where = _where(bound, index)
    if where is None:
        return bound
    key, row = where
    comments = index.at(key, row, bound.name)
    extra = ""
    attrs = {}
    if comments:
        note_id = f"{bound.auto_id}-review"
        described = [note_id]
        if bound.help_text and bound.auto_id:
            described.append(f"{bound.auto_id}_helptext")
        attrs["aria-describedby"] = " ".join(described)
        extra += _notes_html(note_id, comments, str(index.heading))
    if index.write_url:
        extra += _write_html(index.write_link(key, row, bound.name), str(bound.label))
    return mark_safe(str(bound.as_widget(attrs=attrs or None)) + extra)  # noqa: S308 - escaped above


@register.filter
def commented_cells(row: Any, index: Any) -> SafeString:
    """`{{ row|commented_cells:review_notes }}`: a funds line's cells (built in Python for speed),
    with the comments on its inputs placed as `commented` places them."""
    where = index.place(row.prefix) if isinstance(index, CommentIndex) else None
    if where is None or not any(k[:2] == where for k in index.by_key):
        return row.cells_html
    key, line = where
    name = row.node.line.name if row.node else _("新增项目")
    cells = []
    for cell in row.cells():
        html = cell.td_html(name)
        comments = index.at(key, line, cell.column) if cell.field is not None else []
        if comments:
            note_id = f"{cell.field.auto_id}-review"
            widget = widget_html(cell.field)
            described = OPENING_TAG.sub(rf'<\1 aria-describedby="{note_id}"', widget, count=1)
            notes = _notes_html(note_id, comments, str(index.heading))
            html = html.replace(widget, described + notes, 1)
        cells.append(html)
    return mark_safe("".join(cells))  # noqa: S308 - cells escape their content; notes escaped above


@register.filter
def row_write_link(row: Any, index: Any) -> SafeString:
    """For a reviewer of a submitted evaluation: 「写意见」 on one line of a row table."""
    where = index.place(row.prefix) if isinstance(index, CommentIndex) else None
    if where is None or not index.write_url:
        return mark_safe("")
    key, line = where
    return mark_safe(_write_html(index.write_link(key, line), row_label(row, line or 0)))  # noqa: S308


@register.filter
def comment_place(comment: ReviewComment, form: Any) -> str:
    """Where a comment sits in the section's form: 「第 3 行（办公费）· 金额」."""
    return place_label(form, comment.row, comment.field)


@register.filter
def section_comments(index: Any, key: str) -> list[ReviewComment]:
    """The comments on one section (any row or field), for its header."""
    if not isinstance(index, CommentIndex):
        return []
    return index.by_section.get(key, [])


register.filter("person", person_name)


@register.filter
def step_label(name: str) -> str:
    """A transition's name as its button says it (「审核通过」)."""
    step = STEPS.get(name)
    return str(step.label) if step else name
