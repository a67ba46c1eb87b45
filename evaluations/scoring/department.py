"""Scoring an evaluation: gather its inputs and claims, run the pure engine, compare with claims."""

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, ForeignObjectRel, Max, Model
from django_scopes import scope

from evaluations.models import Campaign, Evaluation, IndicatorScore, SectionState
from evaluations.models.parts import part_accessors, rows_of
from evaluations.selectors.evaluations import evaluation_inputs
from rubrics import selectors as rubric_selectors
from rubrics.engine.definition import Rubric as RubricDefinition
from rubrics.engine.io import ROW_KEYS, parse_inputs
from rubrics.engine.metrics import INPUTS, compute_metric
from rubrics.engine.scoring import Claim, Result, score
from rubrics.models import Rubric

# Inputs that compare a department with its jurisdiction: key → the metric averaged over the campaign.
AGGREGATES = {"fixed_assets_avg_utilization": "fixed_asset_utilization"}


def campaign_rubric(campaign: Campaign) -> Rubric | None:
    """The department rubric a campaign scores with: the version pinned on it, else the current
    default (read only; see `rubrics.selectors.campaign_rubric`)."""
    return rubric_selectors.campaign_rubric(campaign=campaign)


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


# Rows an evaluation's sections read for its inputs and claims, loaded for a whole campaign at
# once when rescoring it (not the report's chapters: scoring reads none of their text).
PREFETCHED_ROWS = (
    "fund_lines",
    "fixed_asset_lines",
    "target_declarations",
    "indicators",
    "indicator_scores",
)


def campaign_evaluations(campaign: Campaign) -> list[Evaluation]:
    """Every evaluation of the campaign with all its rows, in a fixed number of queries.

    Reads the whole jurisdiction on purpose: callers let only averages or their own results out.
    """
    with scope(jurisdiction=campaign.jurisdiction_id, department=None):
        evaluations = list(
            Evaluation.objects.filter(campaign=campaign)
            .select_related("department", *part_accessors())
            .order_by("pk")  # any order: the pages' order would only add a join and a sort
        )
        by_pk = {evaluation.pk: evaluation for evaluation in evaluations}
        for evaluation in evaluations:
            evaluation.campaign = campaign  # one instance: its rubric row is loaded once
            evaluation._prefetched_objects_cache = {name: [] for name in PREFETCHED_ROWS}  # type: ignore[attr-defined]
        for accessor in PREFETCHED_ROWS:
            _attach_rows(accessor, by_pk)
    return evaluations


def _attach_rows(accessor: str, by_pk: Mapping[int, Evaluation]) -> None:
    """One query for a table's rows of the whole campaign, shared out where `rows_of` reads them.

    Not `prefetch_related`: it builds a filtered queryset per evaluation and table, which cost
    more than reading the rows (1,000 evaluations: 2 s of the 4). Plain lists are enough because
    these evaluations never leave this module and only `rows_of` reads them. The rows are picked
    by the ids the scoped query returned, so the tenant scope's joins are not repeated.
    """
    relation = cast(ForeignObjectRel, Evaluation._meta.get_field(accessor))
    model, field = cast(type[Model], relation.related_model), relation.remote_field
    for row in model._base_manager.filter(evaluation_id__in=list(by_pk)):
        evaluation = by_pk[row.evaluation_id]  # type: ignore[attr-defined]
        field.set_cached_value(row, evaluation)  # row.evaluation without a query
        evaluation._prefetched_objects_cache[accessor].append(row)  # type: ignore[attr-defined]


def campaign_averages(all_values: Iterable[Mapping[str, Any]]) -> dict[str, Decimal | None]:
    """The jurisdiction aggregates (平均固定资产利用率 …) over the evaluations that have them."""
    found: dict[str, Decimal | None] = {}
    values_list = list(all_values)
    for key, metric_key in AGGREGATES.items():
        known = [
            v for v in (compute_metric(metric_key, x).value for x in values_list) if v is not None
        ]
        found[key] = sum(known, Decimal(0)) / len(known) if known else None
    return found


def campaign_aggregates(campaign: Campaign) -> dict[str, Decimal | None]:
    """The campaign's aggregates, recomputed only when a section of the campaign was saved.

    Every evaluation's page needs them, and computing them reads the whole campaign; the cache
    key carries the latest save, so a change anywhere in the campaign makes a new key.
    """
    with scope(jurisdiction=campaign.jurisdiction_id, department=None):
        stamp = SectionState.objects.filter(evaluation__campaign=campaign).aggregate(
            latest=Max("updated_at"), count=Count("pk")
        )
    latest = stamp["latest"].timestamp() if stamp["latest"] else 0
    key = f"campaign-aggregates:{campaign.pk}:{latest}:{stamp['count']}"
    found = cache.get(key)
    if found is None:
        with scope(jurisdiction=campaign.jurisdiction_id, department=None):
            found = campaign_averages(evaluation_inputs(e) for e in campaign_evaluations(campaign))
        cache.set(key, found, timeout=3600)
    return dict(found)


def claims_of(rows: Iterable[IndicatorScore]) -> tuple[dict[str, Claim], dict[str, Claim]]:
    claimed, verified = {}, {}
    for row in rows:
        if row.claimed is not None:
            claimed[row.indicator_code] = Claim(score=row.claimed)
        if row.verified is not None:
            verified[row.indicator_code] = Claim(score=row.verified)
    return claimed, verified


def _scored(
    definition: RubricDefinition, evaluation: Evaluation, values: Mapping[str, Any]
) -> Result:
    claimed, verified = claims_of(rows_of(evaluation, IndicatorScore))
    return score(definition, scoring_inputs(values), claimed, verified)


def evaluation_scoring(evaluation: Evaluation) -> tuple[RubricDefinition, Result] | None:
    """The evaluation's scoring sheet, computed from its data now; None without a rubric."""
    rubric = campaign_rubric(evaluation.campaign)
    if rubric is None:
        return None
    definition = rubric.definition()
    values = {**evaluation_inputs(evaluation), **campaign_aggregates(evaluation.campaign)}
    return definition, _scored(definition, evaluation, values)


def campaign_scorings(campaign: Campaign) -> dict[int, Result]:
    """Rescore every evaluation of a campaign from the database: evaluation id → result."""
    rubric = campaign_rubric(campaign)
    if rubric is None:
        return {}
    definition = rubric.definition()
    with scope(jurisdiction=campaign.jurisdiction_id, department=None), _collector_paused():
        evaluations = campaign_evaluations(campaign)
        values = {evaluation.pk: evaluation_inputs(evaluation) for evaluation in evaluations}
        averages = campaign_averages(values.values())
        return {
            evaluation.pk: _scored(definition, evaluation, {**values[evaluation.pk], **averages})
            for evaluation in evaluations
        }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a campaign is rescored.

    The batch builds some 300,000 objects (rows, inputs, results) that all stay alive until it
    ends; the collector would walk every live object of the process several times over without
    finding garbage: half the batch's time with 1,000 evaluations. What the batch leaves behind
    is collected as usual afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
