"""What one request shows of an evaluation beside its forms: built by the view, read by templates.

Templates only format. Everything that queries or scores is here, computed the first time a
template asks for it and kept for the rest of that one request (never on a model instance).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from html import escape
from typing import Any

from django.utils.safestring import SafeString

from departments.roles import Role
from evaluations.models import Evaluation, ProjectEvaluation
from evaluations.models.funds import FundTree
from evaluations.scoring.department import evaluation_scoring
from evaluations.scoring.projects import project_scoring
from evaluations.selectors.checks import ExplanationIndex, explanations_of
from evaluations.tables.funds import computed_oob_html
from evaluations.tables.registry import section_for
from evaluations.tables.scores import field_key
from evaluations.workflow import fillable
from rubrics.engine.scoring import ItemResult, Result, Subtotal


@dataclass
class WarningNotes:
    """The evaluation's explanations, and whether (and where) this user may write them."""

    explanations: ExplanationIndex
    can_write: bool
    url: str
    next: str
    csrf_token: str

    @cached_property
    def form_start(self) -> str:
        """The opening of every explanation form on the page, escaped once."""
        url = escape(self.url)
        return (
            f'<form method="post" action="{url}" hx-post="{url}" hx-swap="none" '
            'class="explain-form">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(self.csrf_token)}">'
            f'<input type="hidden" name="next" value="{escape(self.next)}">'
        )


def warning_notes(
    *, evaluation: Evaluation, roles: frozenset[Role], url: str, here: str, csrf_token: str
) -> WarningNotes:
    """Every explanation of the evaluation (one query) and the form's target for this user."""
    return WarningNotes(
        explanations=explanations_of(evaluation),
        can_write=fillable(evaluation, roles),
        url=url,
        next=here,
        csrf_token=csrf_token,
    )


class EvaluationPage:
    """The parts of a page that cost queries or scoring, each computed once when first shown."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation

    @cached_property
    def scoring(self) -> dict[str, Any] | None:
        """The scoring sheet computed now: {"result", "items" by form field key}."""
        computed = evaluation_scoring(self.evaluation)
        if computed is None:
            return None
        _, result = computed
        return {
            "result": result,
            "items": {field_key(item.code): item for item in result.items},
            "sheet": sheet_totals(result),
        }

    @cached_property
    def projects(self) -> list[tuple[ProjectEvaluation, Any]]:
        """The evaluation's projects, each with its scoring (two queries whatever their number)."""
        projects = ProjectEvaluation.objects.filter(evaluation=self.evaluation).prefetch_related(
            "indicators"
        )
        return [(project, project_scoring(self.evaluation, project)) for project in projects]

    @cached_property
    def funds_forms(self) -> dict[str, Any]:
        """Both funds sections' forms as saved now, re-rendered after lines change."""
        forms = {}
        for name in ("figures", "structure"):
            section = section_for(self.evaluation, f"funds.{name}")
            forms[name] = section.form(self.evaluation) if section else None
        return forms

    @cached_property
    def funds_computed_oob(self) -> SafeString:
        """The funds table's computed cells after a save (see tables.funds.computed_oob_html)."""
        return computed_oob_html(FundTree.of(self.evaluation), "funds-figures")


@dataclass(frozen=True)
class SheetLine:
    """A first-level indicator (or the whole sheet): computed, self-assessed and verified sums."""

    key: str  # names the line's cells in the page, for the live update
    subtotal: Subtotal | None
    computed: Decimal
    claimed: Decimal | None
    verified: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        """Self-assessed minus computed: what the department claims beyond (or below) the rules."""
        return None if self.claimed is None else self.claimed - self.computed


def _sum(scores: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the given scores, None when none is given."""
    given = [score for score in scores if score is not None]
    return sum(given, Decimal(0)) if given else None


def _under(item: ItemResult, code: str) -> bool:
    return item.code == code or item.code.startswith(f"{code}.")


def sheet_totals(result: Result) -> dict[str, Any]:
    """Per first-level indicator and for the sheet: the self-score and verified sums beside the
    computed ones, which the engine's subtotals (computed only) do not carry."""
    lines = [
        SheetLine(
            key=field_key(f"sub_{subtotal.code}"),
            subtotal=subtotal,
            computed=subtotal.score,
            claimed=_sum(item.claimed for item in result.items if _under(item, subtotal.code)),
            verified=_sum(item.verified for item in result.items if _under(item, subtotal.code)),
        )
        for subtotal in result.subtotals
        if subtotal.level == 1
    ]
    total = SheetLine(
        key="total",
        subtotal=None,
        computed=result.total,
        claimed=_sum(item.claimed for item in result.items),
        verified=_sum(item.verified for item in result.items),
    )
    return {"lines": lines, "total": total}
