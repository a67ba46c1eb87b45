"""整体绩效自评基础数据表 (seed 001, 湛江 2019), the table of the Guangdong campaigns."""

from django.utils.translation import gettext_lazy as _

from evaluations.models import Campaign, Evaluation, Staffing, UnitInfo
from evaluations.sections import Table, register, register_table
from evaluations.tables.base import part_section


def guangdong(evaluation: Evaluation) -> bool:
    return evaluation.campaign.table_set == Campaign.TableSet.GUANGDONG_OVERALL


TABLE = register_table(Table("basic", str(_("整体绩效自评基础数据表")), applies_to=guangdong))

register(
    part_section(
        key="basic.unit",
        title=str(_("单位基本情况")),
        table=TABLE.slug,
        model=UnitInfo,
        fields=["subordinate_units", "contact_name", "contact_phone", "contact_email"],
        values=lambda row: {"contact_name": row.contact_name or None},
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
