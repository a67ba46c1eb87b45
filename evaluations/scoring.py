"""Scoring an evaluation: gather its inputs and claims, run the pure engine, compare with claims."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django_scopes import scope

from evaluations.models import Campaign, Evaluation, IndicatorScore
from evaluations.selectors import evaluation_values
from rubrics.definition import Rubric as RubricDefinition
from rubrics.engine import ROW_KEYS, Claim, Result, parse_inputs, score
from rubrics.metrics import INPUTS, compute_metric
from rubrics.models import Rubric
from rubrics.selectors import DEFAULT_DEPARTMENT_RUBRICS, latest_rubric

# Inputs that compare a department with its jurisdiction: key → the metric averaged over the campaign.
AGGREGATES = {"fixed_assets_avg_utilization": "fixed_asset_utilization"}


def campaign_rubric(campaign: Campaign) -> Rubric | None:
    """The department rubric a campaign scores with: its own, or the default of its table set.

    Remembered on the campaign instance: one request asks several times (tables, sections, sheet).
    """
    if not hasattr(campaign, "_rubric"):
        default = DEFAULT_DEPARTMENT_RUBRICS.get(campaign.table_set)
        fallback = latest_rubric(default) if default else None
        campaign._rubric = campaign.rubric if campaign.rubric_id else fallback  # type: ignore[attr-defined]
    return campaign._rubric  # type: ignore[attr-defined]


def scoring_inputs(values: Mapping[str, Any]) -> dict[str, Any]:
    """The data-dictionary inputs among an evaluation's values, typed as the engine wants them."""
    raw = {key: value for key, value in values.items() if key in INPUTS and value is not None}
    if "indicators" in raw:
        raw["indicators"] = [_indicator_row(row) for row in raw["indicators"]]
    return parse_inputs(raw)


def _indicator_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A declared indicator row for the engine: the department's 得分 is its claimed score."""
    found = {key: value for key, value in row.items() if key in ROW_KEYS}
    if found.get("claimed") is None and row.get("score") is not None:
        found["claimed"] = row["score"]
    return found


def campaign_average(campaign: Campaign, metric_key: str) -> Decimal | None:
    """The average of a metric over the campaign's evaluations that have it.

    Only the average leaves this function: it reads the whole jurisdiction on purpose.
    """
    with scope(jurisdiction=campaign.jurisdiction_id, department=None):
        evaluations = list(Evaluation.objects.filter(campaign=campaign).select_related("campaign"))
        found = [compute_metric(metric_key, evaluation_values(e)).value for e in evaluations]
    known = [value for value in found if value is not None]
    return sum(known, Decimal(0)) / len(known) if known else None


def claims_of(rows: Iterable[IndicatorScore]) -> tuple[dict[str, Claim], dict[str, Claim]]:
    claimed, verified = {}, {}
    for row in rows:
        if row.claimed is not None:
            claimed[row.indicator_code] = Claim(score=row.claimed)
        if row.verified is not None:
            verified[row.indicator_code] = Claim(score=row.verified)
    return claimed, verified


def evaluation_scoring(evaluation: Evaluation) -> tuple[RubricDefinition, Result] | None:
    """The evaluation's scoring sheet, computed from its data now; None without a rubric."""
    rubric = campaign_rubric(evaluation.campaign)
    if rubric is None:
        return None
    definition = rubric.definition()
    values = dict(evaluation_values(evaluation))
    for key, metric_key in AGGREGATES.items():
        values[key] = campaign_average(evaluation.campaign, metric_key)
    claimed, verified = claims_of(IndicatorScore.objects.filter(evaluation=evaluation))
    return definition, score(definition, scoring_inputs(values), claimed, verified)
