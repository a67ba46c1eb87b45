"""湖南 tables of a department-overall evaluation (seed 003, 岳阳市商务局 2023):
部门整体支出绩效评价基础数据表 and 部门整体支出绩效自评表."""

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.forms import BaseForm, BaseModelFormSet
from django.utils.translation import gettext_lazy as _

from evaluations.models import Campaign, Evaluation, HunanBasicData, HunanOverall, Indicator
from evaluations.models.parts import rows_of
from evaluations.tables.base import part_section
from evaluations.tables.indicators import indicator_formset, indicator_values, save_indicators
from evaluations.tables.registry import Section, Table, register, register_table

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
THREE_PUBLIC_ITEMS = [
    ("three_public", _("三公经费")),
    ("vehicle", _("1、公务用车购置和维护经费")),
    ("vehicle_purchase", _("其中：公车购置")),
    ("vehicle_running", _("公车运行维护")),
    ("overseas", _("2、出国经费")),
    ("reception", _("3、公务接待")),
]
COLUMNS = ["prior", "budget", "actual"]
FUNDS_FIELDS = [
    "budget_initial",
    "budget_full_year",
    "budget_executed",
    "funds_weight",
    "execution_rate_stated",
    "funds_score",
]


def with_cell_labels(section: Section) -> Section:
    """Inputs shown in table cells get their field label as aria-label (no visible label)."""

    def build_form(
        evaluation: Evaluation, data: Any = None, files: Any = None, *, prefix: str
    ) -> Any:
        form = cast(BaseForm, section.build_form(evaluation, data, files, prefix=prefix))
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
        return form

    return dataclasses.replace(section, build_form=build_form)


def hunan(evaluation: Evaluation) -> bool:
    return evaluation.campaign.table_set == Campaign.TableSet.HUNAN_OVERALL


def percent_of(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator in percent, half-up to 2 decimals, as the sheets write rates."""
    if numerator is None or not denominator:
        return None
    return (numerator / denominator * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def sum_present(*numbers: Decimal | None) -> Decimal | None:
    """The sum of the cells filled in (a blank cell counts as nothing); None if all are blank."""
    present = [number for number in numbers if number is not None]
    return as_written(sum(present, Decimal(0))) if present else None


def as_written(value: Decimal | None) -> Decimal | None:
    """Two decimals when that loses nothing (55.7700 → 55.77), so messages read like the sheet."""
    if value is None or value != value.quantize(CENT):
        return value
    return value.quantize(CENT)


def column_labels(evaluation: Evaluation) -> list[str]:
    year = evaluation.campaign.fiscal_year
    return [
        str(_("%(year)d年决算数") % {"year": year - 1}),
        str(_("%(year)d年预算数") % {"year": year}),
        str(_("%(year)d年决算数") % {"year": year}),
    ]


def funds_values(row: Any) -> dict[str, Any]:
    """Totals, score and the stated rate of a self-evaluation sheet, with what they should be."""
    rate = row.execution_rate
    return {
        **{name: as_written(getattr(row, name)) for name in FUNDS_FIELDS},
        "execution_rate_computed": percent_of(row.budget_executed, row.budget_full_year),
        "funds_score_computed": row.funds_score_computed,
        "budget_overrun": None if rate is None else Decimal(rate > 1),
    }


BASIC = register_table(
    Table("hunan-basic", str(_("部门整体支出绩效评价基础数据表")), applies_to=hunan)
)
OVERALL = register_table(Table("hunan-overall", str(_("部门整体支出绩效自评表")), applies_to=hunan))


def staffing_values(row: HunanBasicData) -> dict[str, Any]:
    return {
        "staff_authorized": row.staff_authorized,
        "staff_actual": row.staff_actual,
        "staff_control_rate_stated": row.staff_control_rate_stated,
        "staff_control_rate_computed": percent_of(
            None if row.staff_actual is None else Decimal(row.staff_actual),
            None if row.staff_authorized is None else Decimal(row.staff_authorized),
        ),
    }


register(
    part_section(
        key="hunan_basic.staffing",
        title=str(_("财政供养人员情况")),
        table=BASIC.slug,
        model=HunanBasicData,
        fields=["staff_authorized", "staff_actual", "staff_control_rate_stated"],
        units={"staff_authorized": "人", "staff_actual": "人", "staff_control_rate_stated": "%"},
        values=staffing_values,
    )
)


def three_public_values(row: HunanBasicData) -> dict[str, Any]:
    """Each cell by its field name, and per column whether the items add up to their totals."""
    cell = {
        f"{item}_{column}": as_written(getattr(row, f"{item}_{column}"))
        for item, _label in THREE_PUBLIC_ITEMS
        for column in COLUMNS
    }
    columns = [
        {
            "label": label,
            "anchor": f"three_public_{column}",
            "three_public": cell[f"three_public_{column}"],
            "three_public_parts": sum_present(
                cell[f"vehicle_{column}"], cell[f"overseas_{column}"], cell[f"reception_{column}"]
            ),
            "vehicle": cell[f"vehicle_{column}"],
            "vehicle_parts": sum_present(
                cell[f"vehicle_purchase_{column}"], cell[f"vehicle_running_{column}"]
            ),
        }
        for column, label in zip(COLUMNS, column_labels(row.evaluation), strict=True)
    ]
    return {**cell, "three_public_columns": columns}


register(
    with_cell_labels(
        part_section(
            key="hunan_basic.three_public",
            title=str(_("经费控制情况")),
            table=BASIC.slug,
            model=HunanBasicData,
            fields=[
                f"{item}_{column}" for item, _label in THREE_PUBLIC_ITEMS for column in COLUMNS
            ],
            values=three_public_values,
            template="evaluations/sections/_hunan_three_public.html",
        )
    )
)

register(
    part_section(
        key="hunan_basic.savings",
        title=str(_("本级专项资金及厉行节约保障措施")),
        table=BASIC.slug,
        model=HunanBasicData,
        fields=[
            "special_fund_name",
            "special_fund_budget",
            "special_fund_actual",
            "savings_measures",
        ],
        units={"special_fund_budget": "万元", "special_fund_actual": "万元"},
    )
)

register(
    with_cell_labels(
        part_section(
            key="hunan_overall.funds",
            title=str(_("年度预算申请")),
            table=OVERALL.slug,
            model=HunanOverall,
            fields=FUNDS_FIELDS,
            values=funds_values,
            template="evaluations/sections/_hunan_overall_funds.html",
            live_template="evaluations/sections/_project_funds_live.html",
        )
    )
)


def sources_values(row: HunanOverall) -> dict[str, Any]:
    return {
        "revenue_total": sum_present(
            row.revenue_general,
            row.revenue_government_fund,
            row.revenue_special_account,
            row.revenue_other,
        ),
        "spending_total": sum_present(row.spending_basic, row.spending_project),
    }


register(
    part_section(
        key="hunan_overall.sources",
        title=str(_("按收入性质分、按支出性质分")),
        table=OVERALL.slug,
        model=HunanOverall,
        fields=[
            "revenue_general",
            "revenue_government_fund",
            "revenue_special_account",
            "revenue_other",
            "spending_basic",
            "spending_project",
        ],
        units=dict.fromkeys(
            [
                "revenue_general",
                "revenue_government_fund",
                "revenue_special_account",
                "revenue_other",
                "spending_basic",
                "spending_project",
            ],
            "万元",
        ),
        values=sources_values,
    )
)

register(
    part_section(
        key="hunan_overall.targets",
        title=str(_("年度总体目标")),
        table=OVERALL.slug,
        model=HunanOverall,
        fields=["target_expected", "target_achieved"],
        values=lambda row: {"target_expected": row.target_expected or None},
    )
)


def overall_indicators(
    evaluation: Evaluation, data: Any = None, files: Any = None, *, prefix: str
) -> BaseModelFormSet:
    return indicator_formset(evaluation, None, data, files, prefix=prefix)


register(
    Section(
        key="hunan_overall.indicators",
        title=str(_("绩效指标")),
        table=OVERALL.slug,
        build_form=overall_indicators,
        save=lambda evaluation, formset: save_indicators(evaluation, None, formset),
        values=lambda evaluation: indicator_values(rows_of(evaluation, Indicator, project_id=None)),
        template="evaluations/sections/_indicators.html",
    )
)

register(
    part_section(
        key="hunan_overall.total",
        title=str(_("总分")),
        table=OVERALL.slug,
        model=HunanOverall,
        fields=["total_weight", "total_score"],
    )
)
