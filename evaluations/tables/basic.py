"""整体绩效自评基础数据表（基本情况）(seed 001, 湛江 2019), the table of the Guangdong campaigns."""

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    AssetManagement,
    Benefits,
    Campaign,
    Disclosures,
    Evaluation,
    Fairness,
    OverallTargets,
    ProjectOrganisation,
    ProjectTargets,
    RevenueAndProcurement,
    SpendingControl,
    Staffing,
    UnitInfo,
    WorkCompletion,
)
from evaluations.models.parts import EvaluationPart
from evaluations.tables.base import part_section
from evaluations.tables.registry import Section, SectionForm, Table, register, register_table

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
WAN = str(_("万元"))
GE = str(_("个"))
GRID = "evaluations/sections/basic/_grid.html"


def guangdong(evaluation: Evaluation) -> bool:
    return evaluation.campaign.table_set == Campaign.TableSet.GUANGDONG_OVERALL


def as_percent(ratio: Decimal | None) -> Decimal | None:
    """A stored ratio as the percentage a rule compares, to the 0.01% the table shows."""
    return None if ratio is None else (ratio * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def computed_percent(numerator: Any, denominator: Any) -> Decimal | None:
    """numerator / denominator as a percentage to 0.01%; None without a (non-zero) denominator."""
    if numerator is None or not denominator:
        return None
    return as_percent(Decimal(numerator) / Decimal(denominator))


def fields_of(model: type[EvaluationPart]) -> list[str]:
    return [f.name for f in model._meta.fields if f.name not in {"id", "evaluation"}]


def with_widgets(section: Section) -> Section:
    """Dates as date pickers and text as short text areas, which the generic grid does not do."""

    def build_form(
        evaluation: Evaluation, data: Any = None, files: Any = None, *, prefix: str
    ) -> SectionForm:
        form = cast(forms.BaseForm, section.build_form(evaluation, data, files, prefix=prefix))
        for field in form.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(rows="3", cols="60")
        return form

    return replace(section, build_form=build_form)


def basic_section(
    key: str,
    title: Any,
    model: type[EvaluationPart],
    *,
    units: Mapping[str, str] | None = None,
    extra_values: Callable[[Any], Mapping[str, Any]] | None = None,
    year_values: Callable[[int], Mapping[str, Any]] | None = None,
    template: str = GRID,
    live_template: str | None = None,
) -> Section:
    """A section over every field of `model`; values are the field names plus `extra_values`
    (from the row) and `year_values` (from the evaluated fiscal year)."""
    fields = fields_of(model)

    def values(row: Any) -> Mapping[str, Any]:
        own = {name: getattr(row, name) for name in fields}
        return {**own, **(extra_values(row) if extra_values else {})}

    section = part_section(
        key=f"basic.{key}",
        title=str(title),
        table=TABLE.slug,
        model=model,
        fields=fields,
        units=units,
        values=values,
        template=template,
        live_template=live_template,
    )
    if year_values:
        read = section.values

        def with_year(evaluation: Evaluation) -> Mapping[str, Any]:
            return {**read(evaluation), **year_values(evaluation.campaign.fiscal_year)}

        section = replace(section, values=with_year)
    return register(with_widgets(section))


TABLE = register_table(Table("basic", str(_("整体绩效自评基础数据表")), applies_to=guangdong))

register(
    with_widgets(
        part_section(
            key="basic.unit",
            title=str(_("单位基本情况")),
            table=TABLE.slug,
            model=UnitInfo,
            fields=["subordinate_units", "contact_name", "contact_phone", "contact_email"],
            values=lambda row: {"contact_name": row.contact_name or None},
            template="evaluations/sections/basic/_unit.html",
        )
    )
)

register(
    part_section(
        key="basic.staffing",
        title=str(_("人员情况")),
        table=TABLE.slug,
        model=Staffing,
        fields=["staff_authorized", "staff_actual"],
        units={"staff_authorized": str(_("人")), "staff_actual": str(_("人"))},
    )
)

basic_section("targets", _("绩效目标情况"), OverallTargets)

basic_section(
    "project_targets",
    _("项目绩效目标"),
    ProjectTargets,
    units={name: GE if name.endswith("count") else WAN for name in fields_of(ProjectTargets)},
)


def disclosure_values(row: Disclosures) -> Mapping[str, Any]:
    """The data dictionary's `disclosures` list."""
    return {
        "disclosures": [
            {
                "kind": kind,
                "label": str(label),
                "anchor": f"{kind}_on",
                "published": getattr(row, f"{kind}_published"),
                "published_on": getattr(row, f"{kind}_on"),
                "url": getattr(row, f"{kind}_url") or None,
            }
            for kind, label in Disclosures.KINDS
        ],
    }


basic_section(
    "disclosures",
    _("信息公开"),
    Disclosures,
    extra_values=disclosure_values,
    # The self-evaluation of year N is published in year N + 1.
    year_values=lambda year: {"next_fiscal_year_end": date(year + 1, 12, 31)},
    template="evaluations/sections/basic/_disclosures.html",
)

basic_section(
    "assets",
    _("资产管理"),
    AssetManagement,
    units={"fixed_assets_total": WAN, "fixed_assets_in_use": WAN},
    live_template="evaluations/sections/basic/_assets_live.html",
)

basic_section(
    "organisation",
    _("项目组织实施情况"),
    ProjectOrganisation,
    units={
        name: GE
        for name, field in ((f.name, f) for f in ProjectOrganisation._meta.fields)
        if isinstance(field, models.PositiveIntegerField)
    },
)


def spending_values(row: SpendingControl) -> Mapping[str, Any]:
    return {
        "three_public_rate_stated_pct": as_percent(row.three_public_rate_stated),
        "three_public_rate_computed_pct": computed_percent(
            row.three_public_actual, row.three_public_budget
        ),
        "public_funds_rate_stated_pct": as_percent(row.public_funds_rate_stated),
        "public_funds_rate_computed_pct": computed_percent(
            row.public_funds_actual, row.public_funds_budget
        ),
    }


basic_section(
    "spending",
    _("三公经费与公用经费控制率"),
    SpendingControl,
    units={
        "three_public_budget": WAN,
        "three_public_actual": WAN,
        "three_public_rate_stated": "%",
        "public_funds_budget": WAN,
        "public_funds_actual": WAN,
        "public_funds_rate_stated": "%",
    },
    extra_values=spending_values,
    live_template="evaluations/sections/basic/_spending_live.html",
)

WORK_RATES = (
    ("key_work", "key_tasks_done", "key_tasks_total"),
    ("targets", "targets_achieved", "targets_planned"),
    ("project_targets", "project_targets_achieved", "project_targets_planned"),
    ("projects", "projects_on_time", "projects_planned"),
)


def work_values(row: WorkCompletion) -> Mapping[str, Any]:
    found: dict[str, Any] = {}
    for stem, done, planned in WORK_RATES:
        found[f"{stem}_rate_stated_pct"] = as_percent(getattr(row, f"{stem}_rate_stated"))
        found[f"{stem}_rate_computed_pct"] = computed_percent(
            getattr(row, done), getattr(row, planned)
        )
    return found


basic_section(
    "work",
    _("工作（含项目）完成情况"),
    WorkCompletion,
    units={
        **{name: GE for name in ("key_tasks_total", "key_tasks_done")},
        **{name: GE for name in ("targets_planned", "targets_achieved")},
        **{name: GE for name in ("project_targets_planned", "project_targets_achieved")},
        **{name: GE for name in ("projects_planned", "projects_on_time")},
        **{f"{stem}_rate_stated": "%" for stem in ("key_work", "targets", "project_targets")},
        "projects_rate_stated": "%",
    },
    extra_values=work_values,
    live_template="evaluations/sections/basic/_work_live.html",
)

basic_section("benefits", _("社会经济效益"), Benefits)

basic_section(
    "fairness",
    _("公平性"),
    Fairness,
    units={
        "complaints_received": str(_("人次")),
        "complaints_answered": GE,
        "complaints_answered_on_time": GE,
        "satisfaction": "%",
    },
    extra_values=lambda row: {"satisfaction_pct": as_percent(row.satisfaction)},
)


def revenue_values(row: RevenueAndProcurement) -> Mapping[str, Any]:
    found: dict[str, Any] = {
        "overall_expenditure_rate_stated_pct": as_percent(row.overall_expenditure_rate_stated),
        "overall_expenditure_rate_computed_pct": None,
        "year_end_carryover_computed": None,
    }
    if row.prior_carryover is not None and row.actual_revenue is not None:
        available = row.prior_carryover + row.actual_revenue
        found["overall_expenditure_rate_computed_pct"] = computed_percent(
            row.actual_expenditure, available
        )
        if row.actual_expenditure is not None:
            found["year_end_carryover_computed"] = available - row.actual_expenditure
    return found


basic_section(
    "revenue",
    _("收支及采购情况"),
    RevenueAndProcurement,
    units={
        **{name: WAN for name in fields_of(RevenueAndProcurement)},
        "overall_expenditure_rate_stated": "%",
    },
    extra_values=revenue_values,
    live_template="evaluations/sections/basic/_revenue_live.html",
)
