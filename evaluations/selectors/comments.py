"""The reviewer's comments of the latest return, indexed by where they sit: (section, row, field).

While the evaluation is returned, everyone sees them at their fields; once it is submitted again
the reviewer still sees them, as 「上次退回意见」, to check that each was answered. The index also
says whether this user may write new comments (a reviewer, while the evaluation is submitted) and
where: the return page, prefilled from the query string.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.roles import Role
from evaluations.models import Evaluation, ReviewComment, Transition
from evaluations.tables.registry import Section, scoped_sections, sections_for

State = Evaluation.State
Key = tuple[str, int | None, str]


@dataclass
class CommentIndex:
    """The comments shown on this page, and how this user may add one."""

    comments: list[ReviewComment] = field(default_factory=list)
    heading: Any = ""
    # Form prefix ("funds-figures") → section key ("funds.figures"), to place a rendered field.
    prefixes: dict[str, str] = field(default_factory=dict)
    # The return page's address while this user may write comments, else "".
    write_url: str = ""
    by_key: dict[Key, list[ReviewComment]] = field(default_factory=dict)
    by_section: dict[str, list[ReviewComment]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_key: dict[Key, list[ReviewComment]] = defaultdict(list)
        by_section: dict[str, list[ReviewComment]] = defaultdict(list)
        for comment in self.comments:
            by_key[(comment.section, comment.row, comment.field)].append(comment)
            by_section[comment.section].append(comment)
        self.by_key, self.by_section = dict(by_key), dict(by_section)

    def __bool__(self) -> bool:
        return bool(self.comments or self.write_url)

    def place(self, form_prefix: str) -> tuple[str, int | None] | None:
        """The section key and row (None for a one-form section) of a form's prefix."""
        if form_prefix in self.prefixes:
            return self.prefixes[form_prefix], None
        head, _, tail = form_prefix.rpartition("-")
        if head in self.prefixes and tail.isdigit():
            return self.prefixes[head], int(tail)
        return None

    def at(self, key: str, row: int | None, name: str) -> list[ReviewComment]:
        return self.by_key.get((key, row, name), [])

    def write_link(self, key: str, row: int | None = None, name: str = "") -> str:
        """The return page with one comment prefilled on this section, row and field."""
        query = {"section": key, **({"row": row} if row is not None else {})}
        if name:
            query["field"] = name
        return f"{self.write_url}?{urlencode(query)}"


def latest_return(evaluation: Evaluation) -> Transition | None:
    """The return whose comments still stand: the one that put the evaluation in 已退回, or,
    once it is submitted again, the return that submission answered."""
    last_two = list(
        Transition.objects.filter(evaluation=evaluation)
        .select_related("actor")
        .order_by("-at", "-pk")[:2]
    )
    if evaluation.state == State.RETURNED and last_two and last_two[0].name == "return":
        return last_two[0]
    if (
        evaluation.state == State.SUBMITTED
        and len(last_two) == 2
        and last_two[0].name == "submit"
        and last_two[1].name == "return"
    ):
        return last_two[1]
    return None


def review_comment_index(*, evaluation: Evaluation, roles: frozenset[Role]) -> CommentIndex:
    """The comments this user sees at the fields, and where a reviewer writes new ones."""
    reviewer = Role.REVIEWER in roles
    transition = latest_return(evaluation)
    if transition is not None and evaluation.state == State.SUBMITTED and not reviewer:
        transition = None
    comments = (
        list(ReviewComment.objects.filter(transition=transition).order_by("pk"))
        if transition is not None
        else []
    )
    write_url = ""
    if reviewer and evaluation.state == State.SUBMITTED:
        write_url = reverse(
            "department:evaluation_return",
            kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
        )
    heading = _("上次退回意见") if evaluation.state == State.SUBMITTED else _("退回意见")
    return CommentIndex(
        comments=comments,
        heading=heading,
        prefixes={section.prefix: section.key for section in every_section(evaluation)},
        write_url=write_url,
    )


def every_section(evaluation: Evaluation) -> list[Section]:
    return [*sections_for(evaluation), *scoped_sections(evaluation)]


# --- what a comment's row and field are called, read from the section's form (no query) --------


def is_rows(form: Any) -> bool:
    return hasattr(form, "forms") and hasattr(form, "empty_form")


def row_label(row_form: Any, index: int) -> str:
    """「第 3 行（办公费）」: the row's number from 1 and, where it has one, its name."""
    node = getattr(row_form, "node", None)
    name = node.line.name if node is not None else (row_form.initial or {}).get("name")
    number = _("第 %(n)s 行") % {"n": index + 1}
    return f"{number}（{name}）" if name else str(number)


def field_labels(form: Any) -> list[tuple[str, str]]:
    """(name, label) of the inputs a comment may be on: of one row for a row table."""
    sample = form.empty_form if is_rows(form) else form
    return [
        (name, str(bound.label))
        for name, bound in ((n, sample[n]) for n in sample.fields)
        if not bound.is_hidden and name not in {"DELETE", "ORDER", "id", "parent", "order"}
    ]


def row_labels(form: Any) -> list[tuple[int, str]]:
    """(index from 0, label) of the rows already saved of a row table; none for a plain form."""
    if not is_rows(form):
        return []
    return [
        (index, row_label(row, index))
        for index, row in enumerate(form.forms)
        if getattr(row.instance, "pk", None) is not None or row.initial
    ]


def place_label(form: Any, row: int | None, name: str) -> str:
    """Where a comment sits in the section: 「第 3 行（办公费） · 金额」, or nothing for the
    whole section."""
    parts = []
    if row is not None:
        rows = form.forms if is_rows(form) else []
        parts.append(
            row_label(rows[row], row) if row < len(rows) else _("第 %(n)s 行") % {"n": row + 1}
        )
    if name:
        parts.append(dict(field_labels(form)).get(name, name) if form is not None else name)
    return " · ".join(str(part) for part in parts)


@dataclass(frozen=True)
class CommentTarget:
    """A section a comment may be on, with its saved rows and its inputs, as the return page
    offers them."""

    key: str
    title: str
    rows: list[tuple[int, str]]
    fields: list[tuple[str, str]]


def comment_targets(evaluation: Evaluation) -> list[CommentTarget]:
    """Every section of the evaluation, its rows and fields named as its form names them."""
    targets = []
    for section in every_section(evaluation):
        form = section.form(evaluation)
        title = section.title_for(evaluation) if section.title_for else section.title
        targets.append(CommentTarget(section.key, str(title), row_labels(form), field_labels(form)))
    return targets
