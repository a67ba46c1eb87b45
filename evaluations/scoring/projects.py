"""Scoring a project evaluation (项目支出绩效自评) with its campaign's project rubric.

One project's inputs (budget totals, funds by source, the indicator rows it declares) and its
claims (the 得分 of 预算执行率, each row's 得分, the 总分) go through the pure engine; the
engine's items are then lined up with the rows as the department entered them. Reads only the
campaign's rubric and the project's rows (prefetched where projects are listed).
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from evaluations.models import Campaign, Evaluation, Indicator, ProjectEvaluation
from evaluations.scoring.department import scoring_inputs
from rubrics.engine.definition import Rubric as RubricDefinition
from rubrics.engine.scoring import TOTAL_CLAIM_KEYS, Claim, ItemResult, Result, Subtotal, score
from rubrics.models import Rubric
from rubrics.selectors import campaign_project_rubric

EXECUTION_RATE = "budget_execution_rate"
SOURCES = ("current", "carryover", "other")
AMOUNTS = ("initial", "full_year", "executed")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RowScore:
    """One declared indicator row beside what the engine made of it."""

    number: int  # 第 n 行, as the checks panel counts them
    row: Indicator
    item: ItemResult | None  # None when the row cannot be scored (see `reason`)
    reason: str = ""

    @property
    def flag(self) -> str | None:
        return self.reason or (self.item.flag if self.item else None)


@dataclass(frozen=True)
class ProjectScoring:
    """A project's scoring sheet: 预算执行率, each row, the subtotals and the total."""

    project_pk: int
    rubric: Rubric
    result: Result
    funds: ItemResult | None
    rows: tuple[RowScore, ...]
    warnings: tuple[str, ...]

    @property
    def subtotals(self) -> tuple[Subtotal, ...]:
        return self.result.subtotals

    @property
    def flag_count(self) -> int:
        """Claims the engine flags (预算执行率, rows, subtotals, the stated total); rows it could
        not score are counted among the warnings instead, as nothing was claimed against a rule."""
        flags = [self.funds.flag if self.funds else None, self.result.total_flag]
        flags += [row.item.flag for row in self.rows if row.item]
        flags += [subtotal.flag for subtotal in self.subtotals]
        return sum(1 for flag in flags if flag)

    @property
    def funds_score_shown(self) -> Decimal | None:
        """The 预算执行率 score as a sheet writes it (2 decimals, half up), for the checks."""
        if self.funds is None or self.funds.score is None:
            return None
        return self.funds.score.quantize(CENT, rounding=ROUND_HALF_UP)


def project_rubric(campaign: Campaign) -> Rubric | None:
    """The rubric a campaign scores its projects with: the version pinned on it, else the current
    default of its table set (the national framework, mof-2020-project, unless the table set has
    its own); None when no project rubric is loaded."""
    return campaign_project_rubric(campaign=campaign)


def source_inputs(project: ProjectEvaluation) -> list[dict[str, Any]]:
    """`funds_by_source` as the data dictionary names it: one entry per source of money."""
    return [
        {
            "source": source,
            **{f"budget_{amount}": getattr(project, f"{source}_{amount}") for amount in AMOUNTS},
        }
        for source in SOURCES
    ]


def unscorable(row: Indicator) -> str:
    """Why the engine cannot take a row (it needs a 一级指标 to file it and a 分值), or ""."""
    if not row.level1.strip():
        return _("缺少一级指标，未计分")
    if row.weight is None:
        return _("缺少分值，未计分")
    if row.weight < 0:
        return _("分值为负，未计分")
    return ""


def declared_row(row: Indicator) -> dict[str, Any]:
    """A row in the data dictionary's shape; its 得分 becomes the claim (see `_indicator_row`)."""
    return {
        "level1": row.level1,
        "level2": row.level2,
        "name": row.name.strip() or str(row),  # the engine needs a name; the sheet may leave it
        "target": row.target,
        "actual": row.actual,
        "weight": row.weight,
        "score": row.score,
    }


def project_inputs(project: ProjectEvaluation, rows: Iterable[Indicator]) -> dict[str, Any]:
    """The project's data-dictionary inputs, typed for the engine (rows it cannot take left out)."""
    values = {
        "budget_initial": project.budget_initial,
        "budget_full_year": project.budget_full_year,
        "budget_executed": project.budget_executed,
        "funds_by_source": source_inputs(project),
        "indicators": [declared_row(row) for row in rows if not unscorable(row)],
    }
    return scoring_inputs(values)


def funds_node_name(definition: RubricDefinition) -> str | None:
    """The rubric's 预算执行率 indicator: the leaf whose rule reads budget_execution_rate."""
    for leaf in definition.leaves:
        metric = getattr(leaf.rule, "metric", None)
        if getattr(metric, "key", None) == EXECUTION_RATE:
            return leaf.name
    return None


def project_claims(project: ProjectEvaluation, definition: RubricDefinition) -> dict[str, Claim]:
    """What the sheet states: 预算执行率 得分 (with its 执行率) and the 总分."""
    claims: dict[str, Claim] = {}
    funds = funds_node_name(definition)
    if funds and (project.funds_score is not None or project.execution_rate_stated is not None):
        stated = project.execution_rate_stated
        claims[funds] = Claim(
            score=project.funds_score, metric=None if stated is None else stated / HUNDRED
        )
    if project.total_score is not None:
        claims[TOTAL_CLAIM_KEYS[0]] = Claim(score=project.total_score)
    return claims


def row_scores(
    definition: RubricDefinition, rows: list[Indicator], items: Mapping[str, ItemResult]
) -> tuple[RowScore, ...]:
    """Each row with its engine item. The engine files rows under the indicator collecting their
    一级指标 and numbers them within it ("2.1", "2.2" …) in the order given: counted alike here."""
    owners = definition.declared_nodes()
    counts: Counter[str] = Counter()
    found = []
    for number, row in enumerate(rows, start=1):
        reason = unscorable(row)
        node = None if reason else owners.get(row.level1.strip())
        if node is None:
            reason = reason or _("一级指标「%(name)s」不在评分表中，未计分") % {"name": row.level1}
            found.append(RowScore(number, row, None, reason))
            continue
        counts[node.code] += 1
        found.append(RowScore(number, row, items.get(f"{node.code}.{counts[node.code]}")))
    return tuple(found)


def score_project(
    evaluation: Evaluation, project: ProjectEvaluation, rows: Iterable[Indicator]
) -> ProjectScoring | None:
    """Score one project now; None when no project rubric is loaded."""
    rubric = project_rubric(evaluation.campaign)
    if rubric is None:
        return None
    definition = rubric.definition()
    rows = list(rows)
    result = score(definition, project_inputs(project, rows), project_claims(project, definition))
    items = {item.code: item for item in result.items}
    funds = funds_node_name(definition)
    lined_up = row_scores(definition, rows, items)
    # Rows kept from the engine need their own warning; it already warns of unknown 一级指标.
    own = tuple(
        _("第 %(n)d 行「%(name)s」：%(reason)s")
        % {"n": r.number, "name": r.row, "reason": r.reason}
        for r in lined_up
        if unscorable(r.row)
    )
    return ProjectScoring(
        project_pk=project.pk,
        rubric=rubric,
        result=result,
        funds=next((item for item in result.items if item.name == funds), None),
        rows=lined_up,
        warnings=(*own, *result.warnings),
    )


def project_scoring(evaluation: Evaluation, project: ProjectEvaluation) -> ProjectScoring | None:
    """The project's scoring computed now (callers that show it several times keep the result:
    see `tables.projects.project_sections`)."""
    return score_project(evaluation, project, project.indicators.all())


def fresh_project_scoring(evaluation: Evaluation, project_pk: int) -> ProjectScoring | None:
    """The scoring as saved now, for what a save re-renders (its form's instance is a copy)."""
    project = (
        ProjectEvaluation.objects.filter(evaluation=evaluation, pk=project_pk)
        .prefetch_related("indicators")
        .first()
    )
    return None if project is None else project_scoring(evaluation, project)
