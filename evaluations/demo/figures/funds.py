"""整体绩效自评基础数据表（财政资金情况） of 湛江市商务局 2019 (seed 001), line by line as published.

Typed figures of the leaf lines go into their columns; what the form computes (parents' figures,
部门调整预算数, 小计) goes into `stated` as published, so the rules show where it disagrees.
"""

from decimal import Decimal
from typing import Any

from evaluations.models import Evaluation, FundLine
from evaluations.models.funds import COMPUTED_COLUMNS

# (depth, 项目, published figures by column, 备注): blank cells are left out.
LINES_2019: list[tuple[Any, ...]] = [
    (0, "一、财政拨款资金", {"carryover_prior": "71.59", "spent_subtotal": "6394.82", "carryover_spent_own": "67.59", "city_spent_own": "2762.87", "balance": "88.47"}),
    (1, "(一) 市级财政预算安排", {"carryover_prior": "59.73", "budget_initial": "5615.71", "adjustment": "-3034", "other_special": "169.14", "adjusted_budget": "2975.21", "spent_subtotal": "2818.6", "carryover_spent_own": "55.73", "city_spent_own": "2762.87", "balance": "88.47"}),
    (2, "1. 基本支出", {"carryover_prior": "36.69", "budget_initial": "1351.21", "adjusted_budget": "1575.57", "spent_subtotal": "1523.79", "carryover_spent_own": "36.69", "city_spent_own": "1487.1", "balance": "88.47"}, "此结转资金主要是12月份公用经费、12月份下达房租租金返还经费及11-12月份未能扣款成功的养老保险、职业年金等资金"),
    (2, "2. 项目支出", {"carryover_prior": "23.04", "budget_initial": "4264.5", "adjustment": "-3034", "other_special": "169.14", "adjusted_budget": "1399.64", "spent_subtotal": "1294.81", "carryover_spent_own": "19.04", "city_spent_own": "1275.77"}),
    (3, "广交会业务工作经费", {"carryover_prior": "0.47", "budget_initial": "30", "adjusted_budget": "30", "spent_subtotal": "30.47", "carryover_spent_own": "0.47", "city_spent_own": "30"}),
    (3, "21世纪海上丝绸之路国际博览会业务经费", {"carryover_prior": "1.82", "budget_initial": "30", "adjusted_budget": "30", "spent_subtotal": "21.38", "carryover_spent_own": "1.82", "city_spent_own": "19.56", "balance": "10.44"}, "财政收回，未结转。"),
    (3, "外商投诉中心业务费", {"budget_initial": "3", "adjusted_budget": "3", "spent_subtotal": "3", "city_spent_own": "3"}),
    (3, "湛江边检执勤、办公和安保经费", {"budget_initial": "20", "adjusted_budget": "20", "spent_subtotal": "20", "city_spent_own": "20"}),
    (3, "内外贸发展工作经费", {"carryover_prior": "2.67", "budget_initial": "47.5", "adjusted_budget": "47.5", "spent_subtotal": "50.17", "carryover_spent_own": "2.67", "city_spent_own": "47.5"}),
    (3, "口岸单位工作经费", {"budget_initial": "270", "adjusted_budget": "270", "spent_subtotal": "270", "city_spent_own": "270"}),
    (3, "查验单位临时人员经费", {"budget_initial": "420", "adjusted_budget": "420", "spent_subtotal": "420", "city_spent_own": "420"}),
    (3, "市商务局非税工作经费", {"budget_initial": "25", "adjusted_budget": "25", "spent_subtotal": "25", "city_spent_own": "25"}),
    (3, "内外贸发展专项资金评审工作经费", {"budget_initial": "30", "adjusted_budget": "30", "spent_subtotal": "13.44", "city_spent_own": "13.44", "balance": "16.56"}, "财政收回，未结转。"),
    (3, "口岸办事处工作经费", {"carryover_prior": "1.08", "budget_initial": "300", "adjusted_budget": "300", "spent_subtotal": "212.65", "carryover_spent_own": "1.08", "city_spent_own": "211.57", "balance": "88.43"}, "财政收回，未结转。"),
    (3, "机场联检单位工作经费", {"budget_initial": "55", "adjusted_budget": "55", "spent_subtotal": "46.56", "city_spent_own": "46.56", "balance": "8.44"}, "财政收回，未结转。"),
    (3, "水博会经费", {"budget_initial": "300", "adjustment": "-300", "adjusted_budget": "0", "spent_subtotal": "300", "city_spent_own": "300"}),
    (3, "湛江海关业务监控指挥中心建设及检验设备购置补助", {"budget_initial": "300", "adjustment": "-300", "adjusted_budget": "0", "spent_subtotal": "300", "city_spent_own": "300"}),
    (3, "追溯体系建设专项配套资金(含追溯体系运行维护费)", {"budget_initial": "70", "adjustment": "-70", "adjusted_budget": "0", "spent_subtotal": "62.7", "city_spent_own": "62.7"}),
    (3, "扶持外贸进出口专项资金", {"budget_initial": "1000", "adjustment": "-1000", "adjusted_budget": "0", "spent_subtotal": "1000", "city_spent_own": "150.77"}),
    (3, "现代服务业发展专项资金", {"budget_initial": "150", "adjustment": "-150", "adjusted_budget": "0", "spent_subtotal": "135", "city_spent_own": "50"}),
    (3, "奖励外商投资重大项目专项资金", {"budget_initial": "184", "adjustment": "-184", "adjusted_budget": "0", "spent_subtotal": "154", "city_spent_own": "154"}),
    (3, "跨境电商发展专项资金", {"budget_initial": "200", "adjustment": "-200", "adjusted_budget": "0", "spent_subtotal": "200", "city_spent_own": "200"}),
    (3, "电子商务产业发展专项资金", {"budget_initial": "150", "adjustment": "-150", "adjusted_budget": "0", "spent_subtotal": "150", "city_spent_own": "150"}),
    (3, "外贸转型升级示范基地建设专项资金", {"budget_initial": "150", "adjustment": "-150", "adjusted_budget": "0", "spent_subtotal": "150", "city_spent_own": "15"}),
]  # fmt: skip
LINES = {2019: LINES_2019}


def load(evaluation: Evaluation) -> None:
    if evaluation.department.slug != "zhanjiang-commerce":
        return
    published = LINES.get(evaluation.campaign.fiscal_year)
    if published is None or FundLine.objects.filter(evaluation=evaluation).exists():
        return
    enter_lines(evaluation, published)


def enter_lines(evaluation: Evaluation, published: list[tuple[Any, ...]]) -> list[FundLine]:
    """Create the lines in order; a line is a parent when the next one is deeper."""
    created: list[FundLine] = []
    ancestors: list[FundLine] = []
    for index, (depth, name, figures, *remark) in enumerate(published):
        is_parent = index + 1 < len(published) and published[index + 1][0] > depth
        typed = {} if is_parent else {k: Decimal(v) for k, v in figures.items()}
        stated = {k: v for k, v in figures.items() if is_parent or k in COMPUTED_COLUMNS}
        line = FundLine.objects.create(
            evaluation=evaluation,
            parent=ancestors[depth - 1] if depth else None,
            order=index,
            name=name,
            remark=remark[0] if remark else "",
            stated=stated,
            **{k: v for k, v in typed.items() if k not in COMPUTED_COLUMNS},
        )
        ancestors[depth:] = [line]
        created.append(line)
    return created
