"""整体绩效自评基础数据表 of 湛江市商务局: 2019 (seed 001) and 2017 (seed 000)."""

from evaluations.models import Evaluation, Staffing, UnitInfo

UNIT = {
    2019: {
        "contact_name": "梁书语",
        "contact_phone": "18307593089",
        "contact_email": "18307593089@126.com",
    },
}
STAFFING = {
    2019: {"staff_authorized": 61, "staff_actual": 55},  # 001 §一(二): 编制 61 名，在职 55 名
    2017: {"staff_authorized": 66, "staff_actual": 62},  # 000 §四(四): 62 / 66
}


def load(evaluation: Evaluation) -> None:
    if evaluation.department.slug != "zhanjiang-commerce":
        return
    year = evaluation.campaign.fiscal_year
    if year in UNIT:
        UnitInfo.objects.get_or_create(evaluation=evaluation, defaults=UNIT[year])
    if year in STAFFING:
        Staffing.objects.get_or_create(evaluation=evaluation, defaults=STAFFING[year])
