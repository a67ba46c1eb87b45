"""固定资产情况表 (seed 000, 湛江 2017): asset categories in 元, with a computed 合计 row."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    AssetManagement,
    Evaluation,
    FixedAssetLine,
    FixedAssetStatedTotals,
)
from evaluations.models.parts import part_of
from evaluations.tables.base import part_section
from evaluations.tables.basic import guangdong
from evaluations.tables.registry import Table, register, register_table
from evaluations.tables.rows import RowsFormSet, rows_section
from rubrics.engine.metrics import percent

YUAN_PER_WAN = Decimal(10000)
LINE_FIELDS = ["name", "is_detail", "quantity", "amount", "in_use_amount", "idle_amount"]


@dataclass(frozen=True)
class AssetTotals:
    """The 合计 row: sums over the categories (「其中」 lines are already inside them)."""

    quantity: int | None
    amount: Decimal | None
    in_use_amount: Decimal | None
    idle_amount: Decimal | None


def _sum(values: list[Any]) -> Any:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def totals_of(rows: list[Mapping[str, Any]]) -> AssetTotals:
    categories = [row for row in rows if row.get("name") and not row.get("is_detail")]
    return AssetTotals(*(_sum([row.get(name) for row in categories]) for name in LINE_FIELDS[2:]))


class AssetLinesFormSet(RowsFormSet):
    """The table's rows, with each row's share of the total and the 合计 row computed."""

    def totals(self) -> AssetTotals:
        return totals_of(self.row_values())

    def lines(self) -> list[tuple[Any, str, str]]:
        """Each row's form with its 在用 and 闲置 shares of the total (占全部资产比例)."""
        total = self.totals().amount
        return [
            (form, share(row.get("in_use_amount"), total), share(row.get("idle_amount"), total))
            for form, row in zip(self.forms, self.row_values(), strict=True)
        ]


def share(amount: Decimal | None, total: Decimal | None) -> str:
    return percent(amount / total) if amount is not None and total else ""


TABLE = register_table(Table("assets", str(_("固定资产情况表")), applies_to=guangdong))


def line_values(evaluation: Evaluation, rows: list[FixedAssetLine]) -> Mapping[str, Any]:
    """Rows for the rules, the computed totals in 元, and the basic table's 万元 totals if empty.

    A blank 闲置 cell next to a filled 金额 reads as zero: the table splits 金额 into 在用 and 闲置.
    """
    lines = [
        {
            "label": row.name,
            "anchor": f"{index}-in_use_amount",
            "quantity": row.quantity,
            "amount": row.amount,
            "in_use_amount": row.in_use_amount,
            "idle_amount": row.idle_amount
            if row.idle_amount is not None or row.amount is None
            else Decimal(0),
        }
        for index, row in enumerate(rows)
    ]
    totals = totals_of([{name: getattr(row, name) for name in LINE_FIELDS} for row in rows])
    found: dict[str, Any] = {
        "fixed_asset_lines": lines,
        "fixed_asset_amount_total": totals.amount,
        "fixed_asset_in_use_total": totals.in_use_amount,
    }
    basic = part_of(evaluation, AssetManagement)
    if totals.amount is not None and (basic is None or basic.fixed_assets_total is None):
        found["fixed_assets_total"] = totals.amount / YUAN_PER_WAN
    if totals.in_use_amount is not None and (basic is None or basic.fixed_assets_in_use is None):
        found["fixed_assets_in_use"] = totals.in_use_amount / YUAN_PER_WAN
    return found


register(
    rows_section(
        key="assets.lines",
        title=str(_("固定资产情况（单位：元）")),
        table=TABLE.slug,
        model=FixedAssetLine,
        fields=LINE_FIELDS,
        formset=AssetLinesFormSet,
        template="evaluations/sections/assets/_lines.html",
        live_template="evaluations/sections/assets/_lines_live.html",
        values=line_values,
    )
)

register(
    part_section(
        key="assets.stated",
        title=str(_("合计（按单位填报）")),
        table=TABLE.slug,
        model=FixedAssetStatedTotals,
        fields=["amount_stated", "in_use_amount_stated"],
        units={"amount_stated": str(_("元")), "in_use_amount_stated": str(_("元"))},
    )
)
