"""绩效目标申报情况汇总表 (seed 000, 湛江 2017): projects with their declared targets."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from evaluations.models import Evaluation, TargetDeclaration
from evaluations.tables.basic import guangdong
from evaluations.tables.registry import Table, register, register_table
from evaluations.tables.rows import RowsFormSet, rows_section

FIELDS = [
    "name",
    "attribute",
    "applicant",
    "starts_on",
    "ends_on",
    "total_amount",
    "city_funds",
    "basis",
    "target",
]


class DeclarationsFormSet(RowsFormSet):
    """The projects, with the 合计 of their amounts computed."""

    def totals(self) -> dict[str, Any]:
        rows = [row for row in self.row_values() if row.get("name")]
        return {
            name: sum(row[name] for row in rows if row.get(name) is not None)
            for name in ("total_amount", "city_funds")
        }


TABLE = register_table(Table("targets", str(_("绩效目标申报情况汇总表")), applies_to=guangdong))


def declaration_values(evaluation: Evaluation, rows: list[TargetDeclaration]) -> Mapping[str, Any]:
    return {
        "target_declarations": [
            {
                "label": row.name,
                "anchor": f"{index}-ends_on",
                "starts_on": row.starts_on,
                "ends_on": row.ends_on,
                "total_amount": row.total_amount,
                "city_funds": row.city_funds,
            }
            for index, row in enumerate(rows)
        ],
        "target_declaration_count": len(rows) or None,
    }


register(
    rows_section(
        key="targets.declarations",
        title=str(_("绩效目标申报情况（金额单位：万元）")),
        table=TABLE.slug,
        model=TargetDeclaration,
        fields=FIELDS,
        formset=DeclarationsFormSet,
        template="evaluations/sections/targets/_declarations.html",
        live_template="evaluations/sections/targets/_declarations_live.html",
        values=declaration_values,
    )
)
