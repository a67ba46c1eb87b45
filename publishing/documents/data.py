"""What the documents show of one evaluation, read once through the evaluations app's selectors.

Templates only format. Everything here comes from the same code the site uses: the sections'
values and metrics (`evaluation_values`), the scoring sheet (`evaluation_scoring`), the funds
tree (`FundTree`), the fixed-asset totals, each project's scoring and the report's sanitised
chapters. Each part is computed the first time a template asks for it, for one rendering.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from evaluations.formatting import money
from evaluations.models import (
    AssetManagement,
    Benefits,
    Campaign,
    Disclosures,
    Evaluation,
    Fairness,
    FixedAssetLine,
    HunanBasicData,
    HunanOverall,
    Indicator,
    OverallTargets,
    ProjectEvaluation,
    ProjectOrganisation,
    ProjectTargets,
    ReportSection,
    SpendingControl,
    TargetDeclaration,
    UnitInfo,
    WorkCompletion,
)
from evaluations.models.funds import MONEY_COLUMNS, TYPED_COLUMNS, FundNode, FundTree
from evaluations.models.parts import EvaluationPart, Part, part_of, rows_of
from evaluations.scoring.department import evaluation_scoring
from evaluations.scoring.projects import ProjectScoring, project_scoring
from evaluations.selectors.evaluations import evaluation_metrics, evaluation_values
from evaluations.tables.assets import LINE_FIELDS, AssetTotals, share, totals_of
from evaluations.tables.funds import DISPLAY_COLUMNS
from evaluations.tables.hunan import COLUMNS, THREE_PUBLIC_ITEMS, column_labels, percent_of
from evaluations.tables.narrative import render_chapter, report_headings
from publishing.documents.scoresheet import ScoreSheet, score_sheet
from rubrics.engine.metrics import CENT, MetricValue, percent, points_fixed


@dataclass(frozen=True)
class Rate:
    """A rate as the table prints it: computed from its figures, with the stated one if it differs."""

    text: str
    stated: str = ""


def rate(computed_pct: Decimal | None, stated_pct: Decimal | None) -> Rate:
    """Percent figures (85.39 for 85.39%) from a section's values: computed first, else stated."""
    shown = computed_pct if computed_pct is not None else stated_pct
    if shown is None:
        return Rate("")
    differs = computed_pct is not None and stated_pct is not None and stated_pct != computed_pct
    return Rate(f"{shown}%", f"{stated_pct}%" if differs else "")


# How each column of 财政资金情况表 is printed, for its widths: figures, document details, remark.
FUND_COLUMN_KINDS = tuple(
    "money" if column in MONEY_COLUMNS else "remark" if column == "remark" else "detail"
    for column in DISPLAY_COLUMNS
)


@dataclass(frozen=True)
class Claimed:
    """A figure of a self-evaluation sheet as stated, with the computed one where it differs."""

    text: str
    computed: str = ""


def claimed(stated: Decimal | None, computed: Decimal | None, unit: str = "") -> Claimed:
    if stated is None:
        return Claimed("", f"{computed}{unit}" if computed is not None else "")
    differs = computed is not None and computed != stated
    return Claimed(f"{stated}{unit}", f"{computed}{unit}" if differs else "")


@dataclass(frozen=True)
class Chapter:
    heading: str
    html: SafeString


@dataclass(frozen=True)
class FundRow:
    """One line of 财政资金情况表: its name, depth, and its cells in the seed's column order."""

    name: str
    depth: int
    is_parent: bool
    cells: tuple[tuple[str, str], ...]  # (shown, stated where the department wrote another)


@dataclass(frozen=True)
class AssetRow:
    line: FixedAssetLine
    in_use_share: str
    idle_share: str


@dataclass(frozen=True)
class IndicatorLine:
    """A 绩效指标 row, with the score the rubric engine computes and its flag (projects only)."""

    row: Indicator
    computed: str = ""
    flag: str = ""


@dataclass(frozen=True)
class ProjectSheet:
    project: ProjectEvaluation
    lines: list[IndicatorLine]
    scoring: ProjectScoring | None
    execution_rate: Claimed
    funds_score: Claimed
    total_score: Claimed


def project_sheet(evaluation: Evaluation, project: ProjectEvaluation) -> ProjectSheet:
    """One 项目支出绩效自评表 with what its campaign's project rubric makes of it."""
    scoring = project_scoring(evaluation, project)
    if scoring is None:
        lines = [IndicatorLine(row) for row in project.indicators.all()]
        funds_score = total = None
    else:
        lines = [
            IndicatorLine(
                line.row,
                points_fixed(line.item.score) if line.item and line.item.score is not None else "",
                line.flag or "",
            )
            for line in scoring.rows
        ]
        funds_score = scoring.funds_score_shown
        total = scoring.result.total.quantize(CENT, rounding=ROUND_HALF_UP)
    return ProjectSheet(
        project,
        lines,
        scoring,
        claimed(
            project.execution_rate_stated,
            percent_of(project.budget_executed, project.budget_full_year),
            "%",
        ),
        claimed(project.funds_score, funds_score),
        claimed(project.total_score, total),
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fund_row(node: FundNode) -> FundRow:
    """A line's cells: blanks stay blank on typed lines, parents' sums are blank when zero."""
    stated = node.stated_differences()
    cells = []
    for column in DISPLAY_COLUMNS:
        if column not in MONEY_COLUMNS:
            cells.append((_cell(getattr(node.line, column)), ""))
            continue
        typed_blank = not node.is_parent and column in TYPED_COLUMNS
        figure = node.figures[column]
        if (typed_blank and getattr(node.line, column) is None) or (node.is_parent and not figure):
            cells.append(("", money(stated.get(column))))
        else:
            cells.append((money(figure), money(stated.get(column))))
    return FundRow(node.line.name, node.depth, node.is_parent, tuple(cells))


class DocumentData:
    """One evaluation as the documents print it; built per rendering, never kept between them."""

    def __init__(self, evaluation: Evaluation, *, draft: bool) -> None:
        self.evaluation = evaluation
        self.draft = draft
        self.department = evaluation.department
        self.campaign = evaluation.campaign
        self.year = evaluation.campaign.fiscal_year

    @cached_property
    def filled_on(self) -> date | None:
        """填报日期: the day of the latest submission; blank on a draft never submitted."""
        submitted = self.evaluation.submitted_at
        return timezone.localdate(submitted) if submitted else None

    # --- the evaluation's values, metrics and scoring --------------------------------------

    @cached_property
    def values(self) -> dict[str, Any]:
        return evaluation_values(self.evaluation)

    @cached_property
    def metrics(self) -> dict[str, MetricValue]:
        return {metric.key: metric for metric in evaluation_metrics(self.values)}

    @cached_property
    def sheet(self) -> ScoreSheet | None:
        computed = evaluation_scoring(self.evaluation)
        return None if computed is None else score_sheet(self.evaluation, *computed)

    def rate(self, stem: str) -> Rate:
        return rate(self.values.get(f"{stem}_computed_pct"), self.values.get(f"{stem}_stated_pct"))

    # --- 自评报告 --------------------------------------------------------------------------

    @cached_property
    def chapters(self) -> list[Chapter]:
        texts = {row.order: row.text for row in rows_of(self.evaluation, ReportSection)}
        return [
            Chapter(heading, render_chapter(texts.get(order, "")))
            for order, heading in enumerate(report_headings(self.evaluation), start=1)
        ]

    @cached_property
    def report_layout(self) -> str:
        """Which seed the report looks like: 004 (project), 003 (湖南), 000 (a letter with the
        2017 annex tables) or 001 (附件1 with its cover block)."""
        table_set = self.campaign.table_set
        if table_set == Campaign.TableSet.PROJECT_ONLY:
            return "project"
        if table_set == Campaign.TableSet.HUNAN_OVERALL:
            return "hunan"
        return "letter" if self.report_annexes else "cover"

    @cached_property
    def report_annexes(self) -> list[str]:
        """The 2017 tables a Guangdong report carries as its annexes (seed 000), when filled."""
        if self.campaign.table_set != Campaign.TableSet.GUANGDONG_OVERALL:
            return []
        return [
            slug
            for slug, rows in (("targets", self.target_declarations), ("assets", self.asset_rows))
            if rows
        ]

    @cached_property
    def report_title(self) -> str:
        name = self.department.name
        return {
            "project": _("项目绩效自评报告"),
            "hunan": _("%(year)d年度%(name)s整体支出绩效自评报告")
            % {"year": self.year, "name": name},
            "letter": _("%(name)s关于部门整体支出自我绩效评价的报告") % {"name": name},
            "cover": _("%(name)s 整体绩效自评报告") % {"name": name},
        }[self.report_layout]

    # --- 基础数据表（基本情况） --------------------------------------------------------------

    @cached_property
    def basic(self) -> dict[str, Any]:
        models: dict[str, type[EvaluationPart]] = {
            "unit": UnitInfo,
            "targets": OverallTargets,
            "project_targets": ProjectTargets,
            "disclosures": Disclosures,
            "assets": AssetManagement,
            "organisation": ProjectOrganisation,
            "spending": SpendingControl,
            "work": WorkCompletion,
            "benefits": Benefits,
            "fairness": Fairness,
        }
        return {name: self._part(model) for name, model in models.items()}

    def _part(self, model: type[Part]) -> Part:
        """The evaluation's row of a one-row table, or a blank one (every cell empty) if none."""
        return part_of(self.evaluation, model) or model(evaluation=self.evaluation)

    @cached_property
    def basic_rates(self) -> dict[str, Rate]:
        stems = (
            "three_public_rate",
            "public_funds_rate",
            "key_work_rate",
            "targets_rate",
            "project_targets_rate",
            "projects_rate",
        )
        rates = {stem: self.rate(stem) for stem in stems}
        utilization = self.metrics.get("fixed_asset_utilization")
        value = utilization.value if utilization else None
        rates["fixed_assets"] = Rate(percent(value) if value is not None else "")
        return rates

    @cached_property
    def disclosures(self) -> list[dict[str, Any]]:
        return list(self.values.get("disclosures") or [])

    # --- 财政资金情况表 ----------------------------------------------------------------------

    @cached_property
    def fund_tree(self) -> FundTree:
        return FundTree.of(self.evaluation)

    fund_columns = FUND_COLUMN_KINDS

    @cached_property
    def fund_rows(self) -> list[FundRow]:
        return [fund_row(node) for node in self.fund_tree.nodes]

    @cached_property
    def fund_total_cells(self) -> list[str]:
        totals = self.fund_tree.totals
        return [
            money(totals[column]) if column in MONEY_COLUMNS and totals[column] else ""
            for column in DISPLAY_COLUMNS
        ]

    # --- 固定资产情况表 and 绩效目标申报情况汇总表 ---------------------------------------------

    @cached_property
    def asset_lines(self) -> list[FixedAssetLine]:
        return rows_of(self.evaluation, FixedAssetLine)

    @cached_property
    def asset_totals(self) -> AssetTotals:
        lines: list[Mapping[str, Any]] = [
            {name: getattr(line, name) for name in LINE_FIELDS} for line in self.asset_lines
        ]
        return totals_of(lines)

    @cached_property
    def asset_rows(self) -> list[AssetRow]:
        total = self.asset_totals.amount
        return [
            AssetRow(line, share(line.in_use_amount, total), share(line.idle_amount, total))
            for line in self.asset_lines
        ]

    @cached_property
    def asset_total_shares(self) -> tuple[str, str]:
        totals = self.asset_totals
        return share(totals.in_use_amount, totals.amount), share(totals.idle_amount, totals.amount)

    @cached_property
    def target_declarations(self) -> list[TargetDeclaration]:
        return rows_of(self.evaluation, TargetDeclaration)

    # --- 湖南 tables and the projects ------------------------------------------------------

    @cached_property
    def hunan_basic(self) -> HunanBasicData:
        return self._part(HunanBasicData)

    @cached_property
    def hunan_overall(self) -> HunanOverall:
        return self._part(HunanOverall)

    @cached_property
    def overall_indicators(self) -> list[Indicator]:
        return rows_of(self.evaluation, Indicator, project_id=None)

    @cached_property
    def hunan_columns(self) -> list[str]:
        return column_labels(self.evaluation)

    @cached_property
    def hunan_three_public(self) -> list[tuple[str, list[Decimal | None]]]:
        row = self.hunan_basic
        return [
            (str(label), [getattr(row, f"{item}_{column}") for column in COLUMNS])
            for item, label in THREE_PUBLIC_ITEMS
        ]

    @cached_property
    def hunan_staff_rate(self) -> Rate:
        values = self.values
        return rate(
            values.get("staff_control_rate_computed"), values.get("staff_control_rate_stated")
        )

    @cached_property
    def hunan_funds(self) -> dict[str, Claimed]:
        """执行率 and 得分 of the overall sheet as stated, with the computed ones beside."""
        values = self.values
        return {
            "execution_rate": claimed(
                values.get("execution_rate_stated"), values.get("execution_rate_computed"), "%"
            ),
            "funds_score": claimed(values.get("funds_score"), values.get("funds_score_computed")),
        }

    @cached_property
    def project_sheets(self) -> list[ProjectSheet]:
        projects = ProjectEvaluation.objects.filter(evaluation=self.evaluation).prefetch_related(
            "indicators"
        )
        return [project_sheet(self.evaluation, project) for project in projects]

    @cached_property
    def project_name(self) -> str:
        """The project a project-only report is about (seed 004): its first project."""
        sheets = self.project_sheets
        return sheets[0].project.name if sheets else ""
