"""An evaluation's summary: its latest scores, grade and findings, kept on the row for the dashboard.

A campaign of a thousand departments is listed from these columns without rescoring anyone; they
are refreshed after every section save and every transition (`evaluations.tasks.summarize_evaluation`,
sent on commit), and for a whole campaign by `manage.py summarize_evaluations`.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from evaluations.models import Evaluation
from evaluations.scoring.department import evaluation_scoring
from evaluations.selectors.checks import evaluation_violations, explanations_of, unexplained_among
from evaluations.selectors.evaluations import evaluation_values
from rubrics.engine.scoring import Result

# Scores are kept as the dashboard shows them: two decimals (the column's scale).
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Summary:
    """The columns `evaluation_summarize` writes."""

    computed_score: Decimal | None
    claimed_score: Decimal | None
    verified_score: Decimal | None
    grade: str
    error_count: int
    warning_count: int
    flag_count: int


def evaluation_summary(*, evaluation: Evaluation) -> Summary:
    """Score and check the evaluation now (inside its tenant's scope); nothing is written."""
    violations = evaluation_violations(evaluation, evaluation_values(evaluation))
    unexplained = unexplained_among(violations, explanations_of(evaluation))
    scoring = evaluation_scoring(evaluation)
    result = scoring[1] if scoring else None
    return Summary(
        computed_score=_cents(result.total) if result else None,
        claimed_score=_cents(_claimed(result)) if result else None,
        verified_score=_cents(_sum(item.verified for item in result.items)) if result else None,
        grade=result.grade if result else "",
        error_count=sum(1 for violation in violations if violation.is_error),
        warning_count=len(unexplained),
        flag_count=_flags(result) if result else 0,
    )


def evaluation_summarize(*, evaluation: Evaluation) -> Summary:
    """Compute the evaluation's summary and store it with one UPDATE (the row's other columns,
    its state above all, are left as they are: a transition may run meanwhile)."""
    summary = evaluation_summary(evaluation=evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        **asdict(summary), summarized_at=timezone.now()
    )
    return summary


def _claimed(result: Result) -> Decimal | None:
    # The stated 总分 when the department gave one, else the sum of its indicators' self-scores.
    if result.claimed_total is not None:
        return result.claimed_total
    return _sum(item.claimed for item in result.items)


def _flags(result: Result) -> int:
    return len(result.flagged()) + (1 if result.total_flag else 0)


def _sum(scores: Iterable[Decimal | None]) -> Decimal | None:
    given = [score for score in scores if score is not None]
    return sum(given, Decimal(0)) if given else None


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENTS, rounding=ROUND_HALF_UP)
