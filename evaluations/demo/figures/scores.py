"""The self-scores the seeds published (自评得分), entered as claimed so the engine can check them."""

from decimal import Decimal

from evaluations.models import Adjustments, Evaluation, IndicatorScore
from evaluations.tables.scores import scored_indicators

# Seed 001, 整体绩效自评指标评分表 (湛江市商务局 2019): the 自评得分 column as published.
ZHANJIANG_2019: dict[str, int | str] = {
    "预算编制合理性": 4,
    "预算编制规范性": 4,
    "绩效目标合理性": 5,
    "绩效指标明确性": 5,
    "制度措施健全性": 2,
    "整体支出完成率": 4,
    "结转结余率": 4,
    "国库集中支付结转结余存量资金效率性": 4,
    "政府采购执行率": 4,
    "财务合规性": 6,
    "项目实施程序": 5,
    "项目监管": 5,
    "资产管理情况": 4,
    "固定资产利用率": 3,
    "预决算": 3,
    "绩效目标": 2,
    "自评材料": 2,
    "组织建立情况": 1,
    "自评材料报送及时性": 1,
    "自评材料报送质量": 1,
    "公用经费控制率": 4,
    "重点工作完成率": 3,
    "绩效目标完成": 3,
    "项目(工作)完成及时": 5,
    "社会经济政治效益": 10,
    "群众信访办理": 3,
    "公众或服务对象满意": 2,
    "工作表现加减分指标": 11,
}
# Seed 003, 部门整体支出绩效自评表 (岳阳市商务局 2023): 预算执行率 stated as 9.60 points.
YUEYANG_2023: dict[str, int | str] = {"预算执行率": "9.60"}

CLAIMS: dict[tuple[str, int], dict[str, int | str]] = {
    ("zhanjiang-commerce", 2019): ZHANJIANG_2019,
    ("yueyang-commerce", 2023): YUEYANG_2023,
}


# Seed 001 §三(二)4: 11 commendations, no accountability finding.
ADJUSTMENTS = {("zhanjiang-commerce", 2019): {"commendations": 11, "accountability_findings": 0}}


def load(evaluation: Evaluation) -> None:
    adjustments = ADJUSTMENTS.get((evaluation.department.slug, evaluation.campaign.fiscal_year))
    if adjustments:
        Adjustments.objects.get_or_create(evaluation=evaluation, defaults=adjustments)
    claims = CLAIMS.get((evaluation.department.slug, evaluation.campaign.fiscal_year))
    if not claims:
        return
    codes = {indicator.name: indicator.code for indicator in scored_indicators(evaluation)}
    for name, claimed in claims.items():
        IndicatorScore.objects.get_or_create(
            evaluation=evaluation,
            indicator_code=codes[name],
            defaults={"claimed": Decimal(str(claimed))},
        )
