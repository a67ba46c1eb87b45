"""What changed between two versions of an evaluation, field by field: two submissions, or the
latest submission and the data as it stands now.

A version is a snapshot (`evaluation_snapshot`): each section's form data, or its rows. Labels
come from the section's form as it is built today; rows are matched by their id where they have
one, else by position. Numbers are compared as numbers (「3954.00」 is 「3954」) and an empty
value is the same whether stored as null or as an empty string.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django import forms
from django.forms import BaseFormSet
from django.urls import reverse
from django.utils.translation import gettext as _

from departments.selectors import person_name
from evaluations.models import Evaluation, ReviewComment, Submission, Transition
from evaluations.selectors.snapshots import evaluation_snapshot
from evaluations.tables.registry import Section, scoped_sections, sections_for, table_by_slug

CHANGED, ADDED, REMOVED = "changed", "added", "removed"
# Fields a formset adds for its own bookkeeping, and the row's identity: never a change.
SKIPPED_FIELDS = frozenset({"id", "DELETE", "ORDER"})
# Fields that name a row, in order of preference.
ROW_NAME_FIELDS = ("name", "label", "indicator", "title")
NUMBER_FIELDS = (forms.DecimalField, forms.IntegerField, forms.FloatField)
# A long text (a report chapter) is shown around its first and last difference only.
EXCERPT_OVER = 160
EXCERPT_CONTEXT = 40

Fields = Callable[[], Mapping[str, forms.Field]]


@dataclass(frozen=True)
class FieldChange:
    """One field of one row (or of a plain form) that differs between two versions."""

    row: str | None
    label: str
    old: str
    new: str
    kind: str  # CHANGED, ADDED or REMOVED
    field: str = ""
    # The row's index in the earlier version, from 0: where a reviewer's comment points.
    row_index: int | None = None
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionChanges:
    """A section's changes, with its title and the page that shows it (None if it is gone)."""

    key: str
    title: str
    url: str | None
    changes: list[FieldChange]
    kind: str = CHANGED  # ADDED or REMOVED when the whole section is new or gone
    # The latest return's comments on this section that no change here answers.
    comments: tuple[str, ...] = ()
    table_title: str = ""  # the official table it belongs to

    @property
    def has_rows(self) -> bool:
        """Whether the changes are in rows (a plain form's need no 行 column)."""
        return any(change.row for change in self.changes)


@dataclass(frozen=True)
class SubmissionChoice:
    """A submission as the page offers it: its number, time, who submitted it and its hash."""

    number: int
    at: Any
    who: str
    sha256: str


@dataclass(frozen=True)
class Comparison:
    """Two versions compared: `before` a submission, `after` a later one or None (the live data)."""

    before: int
    after: int | None
    sections: list[SectionChanges]
    # Comments of the latest return in between, on sections that did not change at all.
    unanswered: list[tuple[str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(section.changes) for section in self.sections)


# --- versions ------------------------------------------------------------------------------------


def submission_choices(*, evaluation: Evaluation) -> list[SubmissionChoice]:
    """The evaluation's submissions, first to last."""
    submissions = (
        Submission.objects.filter(evaluation=evaluation)
        .select_related("transition__actor")
        .only("number", "sha256", "transition__at", "transition__actor")
        .order_by("number")
    )
    return [
        SubmissionChoice(s.number, s.transition.at, person_name(s.transition.actor), s.sha256)
        for s in submissions
    ]


def default_range(
    *, evaluation: Evaluation, numbers: Sequence[int]
) -> tuple[int, int | None] | None:
    """What a reader most likely wants compared: while the department edits (draft, returned), its
    data against the latest submission; once submitted again, the latest against the one before.
    None when there is nothing to compare (never submitted, or submitted once and not reopened)."""
    if not numbers:
        return None
    latest = max(numbers)
    if evaluation.state in {Evaluation.State.DRAFT, Evaluation.State.RETURNED}:
        return latest, None
    if len(numbers) >= 2:
        return sorted(numbers)[-2], latest
    return None


def comparison(*, evaluation: Evaluation, before: int, after: int | None) -> Comparison | None:
    """Submission `before` against submission `after` (None: the data now); None if either is
    not a submission of the evaluation."""
    wanted = {before} | ({after} if after is not None else set())
    found = {
        s.number: s
        for s in Submission.objects.filter(evaluation=evaluation, number__in=wanted).select_related(
            "transition"
        )
    }
    if set(found) != wanted:
        return None
    earlier = found[before]
    later = found[after] if after is not None else None
    content = later.content if later is not None else evaluation_snapshot(evaluation)
    sections = snapshot_changes(evaluation=evaluation, before=earlier.content, after=content)
    comments = _return_comments(evaluation, earlier, later)
    sections, unanswered = _with_comments(sections, comments, earlier.content)
    return Comparison(before, after, sections, unanswered)


def changes_since_submission(*, evaluation: Evaluation) -> Comparison | None:
    """The data now against the latest submission; None if never submitted."""
    latest = Submission.objects.filter(evaluation=evaluation).order_by("-number").first()
    if latest is None:
        return None
    return comparison(evaluation=evaluation, before=latest.number, after=None)


def submission_changes(*, evaluation: Evaluation, number: int) -> Comparison | None:
    """Submission `number` against the one before it; None for the first or a missing one."""
    if number < 2:
        return None
    return comparison(evaluation=evaluation, before=number - 1, after=number)


# --- the comparison ------------------------------------------------------------------------------


def snapshot_changes(
    *, evaluation: Evaluation, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[SectionChanges]:
    """Every section that differs between two snapshots, in the order the evaluation shows them
    (a stored snapshot's keys come back from PostgreSQL in its own order), then the sections gone."""
    old_sections = before.get("sections", {})
    new_sections = after.get("sections", {})
    live = {
        section.key: section
        for section in (*sections_for(evaluation), *scoped_sections(evaluation))
    }
    keys = dict.fromkeys(
        [*(key for key in live if key in new_sections or key in old_sections), *new_sections]
    )
    keys.update(dict.fromkeys(old_sections))
    found = []
    for key in keys:
        old, new = old_sections.get(key), new_sections.get(key)
        if old is not None and new is not None and old.get("data") == new.get("data"):
            continue
        section = live.get(key)
        changes = _section_data_changes(
            (old or {}).get("data", {}),
            (new or {}).get("data", {}),
            _fields_of(section or _kin(key, live), evaluation),
            _row_names(key, old_sections, new_sections),
        )
        if not changes:
            continue
        kind = ADDED if old is None else REMOVED if new is None else CHANGED
        content = new or old or {}
        table = table_by_slug(content.get("table", ""))
        found.append(
            SectionChanges(
                key,
                content.get("title") or key,
                _section_url(evaluation, section) if section else None,
                changes,
                kind,
                table_title=str(table.title) if table else "",
            )
        )
    return found


def _kin(key: str, live: Mapping[str, Section]) -> Section | None:
    """For a section made per object that is gone (a deleted project's "project.7.funds"), one of
    its family still there ("project.12.funds"), whose form has the same fields."""
    family = f"{key.split('.', 1)[0]}.{key.rsplit('.', 1)[-1]}"
    return next((s for s in live.values() if s.family == family and s.key != key), None)


def _section_url(evaluation: Evaluation, section: Section) -> str:
    if section.url:
        return f"{section.url}#{section.prefix}"
    page = reverse(
        "department:evaluation_table",
        kwargs={
            "department": evaluation.department.slug,
            "pk": evaluation.pk,
            "table": section.table,
        },
    )
    return f"{page}#{section.prefix}"


def _fields_of(section: Section | None, evaluation: Evaluation) -> Fields:
    """The section's fields by name, built when first asked for (most sections do not change); a
    formset's empty row has every field a row can have."""

    @cache
    def fields() -> dict[str, forms.Field]:
        if section is None:
            return {}
        form = section.form(evaluation)
        if isinstance(form, BaseFormSet):
            form = form.empty_form
        return dict(form.fields)

    return fields


def _section_data_changes(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    fields: Fields,
    names: Mapping[Any, str],
) -> list[FieldChange]:
    if "rows" in old or "rows" in new:
        return _rows_changes(old.get("rows", []), new.get("rows", []), fields, names)
    return _fields_changes(old, new, fields, row=None, row_index=None)


def _fields_changes(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    fields: Fields,
    *,
    row: str | None,
    row_index: int | None,
) -> list[FieldChange]:
    """The fields that differ between two versions of one form (or one row); a missing version
    makes every filled-in field of the other one added or removed."""
    kind = ADDED if old is None else REMOVED if new is None else CHANGED
    old, new = old or {}, new or {}
    names = [*new, *(name for name in old if name not in new)]
    found = []
    for name in names:
        if name in SKIPPED_FIELDS:
            continue
        before, after = old.get(name), new.get(name)
        if before == after or (_blank(before) and _blank(after)):
            continue
        # A row added or removed: its unticked boxes say nothing.
        if kind != CHANGED and (before is False or after is False):
            continue
        form_field = fields().get(name)
        if _same(before, after, form_field):
            continue
        old_text, new_text = _excerpts(_display(before, form_field), _display(after, form_field))
        label = str(form_field.label) if form_field and form_field.label else name
        found.append(FieldChange(row, label, old_text, new_text, kind, name, row_index))
    return found


# --- rows ----------------------------------------------------------------------------------------


def _rows_changes(
    old_rows: list[Mapping[str, Any]],
    new_rows: list[Mapping[str, Any]],
    fields: Fields,
    names: Mapping[Any, str],
) -> list[FieldChange]:
    """Rows matched by id where the rows carry one, else by position; each row's field changes."""
    old = _kept(old_rows)
    new = _kept(new_rows)
    found: list[FieldChange] = []
    for old_index, old_row, new_position, new_row in _matched(old, new):
        position = new_position if new_row is not None else _position_of(old, old_index)
        label = _row_label(new_row or old_row or {}, names, position)
        found += _fields_changes(old_row, new_row, fields, row=label, row_index=old_index)
    return found


def _kept(rows: list[Mapping[str, Any]]) -> list[tuple[int, Mapping[str, Any]]]:
    """The rows that hold data, with their index: a formset's empty extra rows are left out (with
    no id where rows have ids, or nothing filled in)."""
    has_ids = any("id" in row for row in rows)
    kept = []
    for index, row in enumerate(rows):
        empty = (
            row.get("id") is None if has_ids else all(_blank(v) or v is False for v in row.values())
        )
        if not empty:
            kept.append((index, row))
    return kept


def _matched(
    old: list[tuple[int, Mapping[str, Any]]], new: list[tuple[int, Mapping[str, Any]]]
) -> Iterable[tuple[int | None, Mapping[str, Any] | None, int, Mapping[str, Any] | None]]:
    """(old index, old row, new position from 1, new row), the later version's rows first, then
    the rows only the earlier one has."""
    if any("id" in row for _, row in (*old, *new)):
        by_id = {row["id"]: (index, row) for index, row in old}
        seen = set()
        for position, (_, row) in enumerate(new, start=1):
            index, earlier = by_id.get(row["id"], (None, None))
            seen.add(row["id"])
            yield index, earlier, position, row
        for index, row in old:
            if row["id"] not in seen:
                yield index, row, 0, None
        return
    for position in range(1, max(len(old), len(new)) + 1):
        index, earlier = old[position - 1] if position <= len(old) else (None, None)
        later = new[position - 1][1] if position <= len(new) else None
        yield index, earlier, position, later


def _position_of(rows: list[tuple[int, Mapping[str, Any]]], index: int | None) -> int:
    return next((p for p, (i, _) in enumerate(rows, start=1) if i == index), 0)


def _row_names(
    key: str, old_sections: Mapping[str, Any], new_sections: Mapping[str, Any]
) -> dict[Any, str]:
    """Row names by id from the sections of the same group ("funds", "project.12"): the fund
    lines' figures carry no name, their structure does."""
    group = key.rsplit(".", 1)[0]
    names: dict[Any, str] = {}
    for sections in (old_sections, new_sections):
        for other, content in sections.items():
            if other.rsplit(".", 1)[0] != group:
                continue
            for row in content.get("data", {}).get("rows", []):
                name = _own_name(row)
                if row.get("id") is not None and name and (other == key or row["id"] not in names):
                    names[row["id"]] = name
    return names


def _own_name(row: Mapping[str, Any]) -> str:
    return next((str(row[f]) for f in ROW_NAME_FIELDS if not _blank(row.get(f))), "")


def _row_label(row: Mapping[str, Any], names: Mapping[Any, str], position: int) -> str:
    name = _own_name(row) or names.get(row.get("id"), "")
    return name or _("第 %(n)s 行") % {"n": position}


# --- values --------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _same(before: Any, after: Any, form_field: forms.Field | None) -> bool:
    if _blank(before) and _blank(after):
        return True
    numeric = form_field is None or isinstance(form_field, NUMBER_FIELDS)
    if numeric:
        a, b = _number(before), _number(after)
        if a is not None and b is not None:
            return a == b
    return bool(before == after)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _display(value: Any, form_field: forms.Field | None) -> str:
    """The value as the form shows it: a choice by its label, yes or no, a list joined."""
    if _blank(value):
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = _choices(form_field)
    if isinstance(value, list):
        return "、".join(choices.get(str(v), str(v)) for v in value)
    # Choices of a tree (上级项目) are indented with full-width spaces.
    return choices.get(str(value), str(value)).strip()


def _choices(form_field: forms.Field | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for value, label in getattr(form_field, "choices", None) or ():
        if isinstance(label, list | tuple):  # a group of choices
            found.update((str(v), str(text)) for v, text in label)
        else:
            found[str(value)] = str(label)
    return found


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """Two long texts cut to what differs, with some context around it."""
    if len(old) <= EXCERPT_OVER or len(new) <= EXCERPT_OVER:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1

    def cut(text: str) -> str:
        first = max(0, start - EXCERPT_CONTEXT)
        last = min(len(text), len(text) - end + EXCERPT_CONTEXT)
        return ("…" if first else "") + text[first:last] + ("…" if last < len(text) else "")

    return cut(old), cut(new)


# --- review comments -----------------------------------------------------------------------------


def _return_comments(
    evaluation: Evaluation, before: Submission, after: Submission | None
) -> list[ReviewComment]:
    """The comments of the latest return between the two versions (the one the changes answer)."""
    returns = Transition.objects.filter(
        evaluation=evaluation, name="return", at__gte=before.transition.at
    )
    if after is not None:
        returns = returns.filter(at__lte=after.transition.at)
    latest = returns.order_by("-at", "-pk").first()
    if latest is None:
        return []
    return list(ReviewComment.objects.filter(transition=latest).order_by("pk"))


def _with_comments(
    sections: list[SectionChanges], comments: list[ReviewComment], before: Mapping[str, Any]
) -> tuple[list[SectionChanges], list[tuple[str, str]]]:
    """Each comment beside the change it is about; else at the head of its section; comments on
    sections that did not change at all are returned apart, with the section's title."""
    by_section: dict[str, list[ReviewComment]] = {}
    for comment in comments:
        by_section.setdefault(comment.section, []).append(comment)
    placed = []
    for section in sections:
        left = list(by_section.pop(section.key, []))
        changes = []
        for change in section.changes:
            mine = [c for c in left if _points_at(c, change)]
            left = [c for c in left if c not in mine]
            changes.append(replace(change, comments=tuple(c.text for c in mine)))
        placed.append(replace(section, changes=changes, comments=tuple(c.text for c in left)))
    titles = {key: content.get("title", key) for key, content in before.get("sections", {}).items()}
    unanswered = [
        (titles.get(key, key), comment.text) for key, rest in by_section.items() for comment in rest
    ]
    return placed, unanswered


def _points_at(comment: ReviewComment, change: FieldChange) -> bool:
    if not comment.field or comment.field != change.field:
        return False
    return comment.row is None or comment.row == change.row_index
