"""The key figures of a publication, as the portal lists them (stored on the publication when it
is made, so that the portal reads one row).

Figures are display strings, fixed at publication: the portal, the open data and the feed show
what the published documents show, even if the rubric or the formatting changes later. Keys are
stable (the open data's columns); their labels are defined once, in `FIGURE_LABELS`.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from evaluations.formatting import money
from evaluations.models import Evaluation
from evaluations.scoring.department import evaluation_scoring
from evaluations.selectors.evaluations import evaluation_metrics, evaluation_values
from rubrics.engine.definition import Rubric
from rubrics.engine.metrics import percent
from rubrics.engine.scoring import Result

# Every key a publication's figures may have, in the order they are shown.
FIGURE_LABELS = {
    "total_score": _("总分"),
    "score_basis": _("得分口径"),
    "claimed_score": _("单位自评得分"),
    "grade": _("等级"),
    "completion_rate": _("整体支出完成率"),
    "execution_rate": _("预算执行率"),
    "budget_total": _("全年预算数（万元）"),
    "actual_expenditure": _("本年实际支出（万元）"),
}

# Which score the total is: the reviewers' where they verified every indicator; theirs where given
# and the rubric engine's elsewhere when they verified some (approval needs one at least); the
# engine's when they verified none. The grade is the rubric's grade of that total.
SCORE_BASIS_VERIFIED = _("财政核查得分")
SCORE_BASIS_PARTLY_VERIFIED = _("财政核查得分（未核查的指标按系统计算）")
SCORE_BASIS_COMPUTED = _("系统按评分表计算得分")

# Rates by figure key and the data-dictionary metric they show.
RATE_METRICS = {
    "completion_rate": "overall_expenditure_rate",
    "execution_rate": "budget_execution_rate",
}

# Amounts by figure key and the values that hold them, first present wins: the Guangdong tables
# name them as the data dictionary does, the 湖南 基础数据表 has its own totals.
AMOUNT_VALUES = {
    "budget_total": ("budget_full_year", "revenue_total"),
    "actual_expenditure": ("actual_expenditure", "spending_total"),
}


def publication_figures(evaluation: Evaluation) -> dict[str, str]:
    """Display strings by key (total score, grade, rates); called inside the department's scope.

    Only figures the evaluation has are given: a project-only evaluation has no 整体支出完成率.
    """
    values = evaluation_values(evaluation)
    figures = score_figures(evaluation_scoring(evaluation))
    figures.update(rate_figures(values))
    figures.update(amount_figures(values))
    return {key: figures[key] for key in FIGURE_LABELS if figures.get(key)}


def score_figures(scoring: tuple[Rubric, Result] | None) -> dict[str, str]:
    """The total, which total it is, the department's own claim, and the grade of the total.

    From the scoring computed now rather than the summary kept on the evaluation's row, which is
    refreshed by a task after each change and may not have run yet: the figures must be those
    of the score sheet rendered with them."""
    if scoring is None:
        return {}
    definition, result = scoring
    verified = [item for item in result.items if item.verified is not None]
    # Each verified indicator's score replaces the engine's (bonus and penalty stay the engine's).
    total = result.total + sum(
        (item.verified - (item.score or Decimal(0)) for item in verified if item.verified),
        Decimal(0),
    )
    if not verified:
        basis = SCORE_BASIS_COMPUTED
    elif len(verified) == len(result.items):
        basis = SCORE_BASIS_VERIFIED
    else:
        basis = SCORE_BASIS_PARTLY_VERIFIED
    figures = {
        "total_score": money(total),
        "score_basis": str(basis),
        "grade": definition.grade_for(total),
    }
    claimed = result.claimed_total
    if claimed is None and any(item.claimed is not None for item in result.items):
        claimed = sum((item.claimed for item in result.items if item.claimed), Decimal(0))
    if claimed is not None:
        figures["claimed_score"] = money(claimed)
    return figures


def rate_figures(values: dict[str, Any]) -> dict[str, str]:
    """The rates the evaluation's inputs allow, as the site computes them (half up, 2 decimals)."""
    metrics = {metric.key: metric for metric in evaluation_metrics(values)}
    figures = {}
    for key, metric_key in RATE_METRICS.items():
        metric = metrics.get(metric_key)
        if metric is not None and metric.value is not None:
            figures[key] = percent(metric.value)
    return figures


def amount_figures(values: dict[str, Any]) -> dict[str, str]:
    figures = {}
    for key, names in AMOUNT_VALUES.items():
        amount = next((values[name] for name in names if values.get(name) is not None), None)
        if isinstance(amount, Decimal):
            figures[key] = money(amount)
    return figures


def figure_rows(figures: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, label, value) in display order, for the pages and the open data; unknown keys (a
    figure a later version dropped) keep their key as label rather than disappear."""
    known = [
        (key, str(label), figures[key]) for key, label in FIGURE_LABELS.items() if key in figures
    ]
    unknown = [(key, key, value) for key, value in figures.items() if key not in FIGURE_LABELS]
    return known + unknown
