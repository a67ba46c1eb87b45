"""湖南 tables and project sheets as published: 岳阳市商务局 2023 (seed 003) and the project of
江门市商务局 2022 (seed 004), errors included.

Seed 003's 经费控制情况 lost its layout: the row 「3、公务接待」 reads 「2.4 0.81 793.24」. 2.4 is
the 2022 figure (11.37 = 8.97 + 2.4) and 0.81 the 2023 决算数 (5.76 = 4.95 + 0.81); 793.24
belongs to a row whose label was lost, so it is not entered. Seed 004 publishes no table, only
its name, department and 「得分 98 分」.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from evaluations.models import (
    Evaluation,
    HunanBasicData,
    HunanOverall,
    Indicator,
    ProjectEvaluation,
)

D = Decimal
YUEYANG = "岳阳市商务局本级"

BASIC_2023: dict[str, Any] = {
    "staff_authorized": 56,
    "staff_actual": 53,
    "staff_control_rate_stated": D("94.00"),
    "three_public_prior": D("11.37"),
    "three_public_budget": D("55.77"),
    "three_public_actual": D("5.76"),
    "vehicle_prior": D("8.97"),
    "vehicle_budget": D("19.68"),
    "vehicle_actual": D("4.95"),
    "vehicle_running_prior": D("8.97"),
    "vehicle_running_budget": D("19.68"),
    "vehicle_running_actual": D("4.95"),
    "overseas_budget": D("13.12"),
    "reception_prior": D("2.4"),
    "reception_actual": D("0.81"),
    "special_fund_name": "招商引资",
    "special_fund_budget": D("320"),
    "special_fund_actual": D("320"),
    "savings_measures": "厉行节约，严格按要求压减一般性支出",
}

OVERALL_2023: dict[str, Any] = {
    "budget_initial": D("2161.19"),
    "budget_full_year": D("4128.02"),
    "budget_executed": D("3995.49"),
    "funds_weight": D("10"),
    "execution_rate_stated": D("96.00"),
    "funds_score": D("9.60"),
    "revenue_general": D("3667.49"),
    "revenue_government_fund": D("0.0"),
    "revenue_special_account": D("79.41"),
    "revenue_other": D("381.12"),
    "spending_basic": D("2202.32"),
    "spending_project": D("1793.17"),
    "target_expected": (
        "1．招商引资项目建设取得突破性进展；\n2. 开放型经济实现跨越式发展；\n3. 内贸流通持续稳定向好；"
    ),
    "target_achieved": (
        "2023年，全市实现社会消费品零售总额2033.3亿元，总量居全省第二；同比增长9.5%，增速居全省第一。\n"
        "2023年，岳阳市进出口总值693.1亿元、下降5.7%，进出口总值居全省第2，增速居全省第4。"
        "其中，进口值536.7亿元（全省第2），增长30.4%（全省第6）；出口值156.5亿元（全省第7），"
        "下降51.6%（全省第13）。\n"
        "2023年，全年完成对外投资额710万美元，占全省0.32%，同比增长688.9%；对外承包工程完成营业额"
        "45万美元，占全省0.02%，同比下降21.1%。\n"
        "2023年全市完成对非贸易25.2亿元，同比下降4.9%，其中出口17.97亿元，同比下降14.1%；"
        "进口7.2亿元，同比增长29.8%。\n"
        "2023年，全市内联引资到位资金1568.26亿元，完成进度106%；256个“湘商回归”投资项目实际到位资金"
        "761.78亿元，其中新注册企业114家，到位资金147.9亿元；新引进两亿元以上省外投资重大项目276个，"
        "总投资2119.41亿元，“三类500强”企业项目47个，总投资351.8亿元。\n"
        "2023年，全市实际使用外资8094万美元，同比增长46.58%,总量和增幅均居全省A类地区第3位。"
        "新设外资企业24家，同比增长20%。"
    ),
    "total_weight": D("100"),
    "total_score": D("100"),
}

# (一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分); the overall sheet has no
# 二级 column.
OVERALL_INDICATORS_2023 = [
    (
        "产出指标",
        "",
        "1.招商引资项目； 2.外经外贸规模； 3.内贸流通；",
        "≥8000",
        "8094万美元",
        "10",
        "10",
    ),
    ("产出指标", "", "新设外资企业", "≥20", "24", "10", "10"),
    (
        "产出指标",
        "",
        "1. 引资项目优质化； 2. 外资水平不断提高； 3. 商贸流通“千百工程”",
        "全省平均水平",
        "完成",
        "10",
        "10",
    ),
    ("产出指标", "", "在规定时间完成年度绩效目标", "年底前", "完成", "10", "10"),
    (
        "效益指标",
        "",
        "1.发展实体经济，优化产业结构 2.对外贸易持续增长； 3. 促进内贸流通繁荣；",
        "≥7.5",
        "9.5",
        "10",
        "10",
    ),
    (
        "效益指标",
        "",
        "1.消费品市场运行平稳有序； 2.提升城市国际形象，助力国家“一带一路”建设",
        "保障在非洲猪瘟、雨雪冰冻天气等严峻形势下和春节等重大节庆日的市场正常供应",
        "完成",
        "10",
        "10",
    ),
    ("效益指标", "", "外贸发展上台阶", "进一步提升", "完成", "10", "10"),
    ("满意度指标", "", "服务对象满意度", "95%以上", "完成", "10", "10"),
    ("成本指标", "", "经济成本指标", "控制在预算内", "完成", "6", "6"),
    ("成本指标", "", "社会成本指标", "控制在预算内", "完成", "6", "6"),
    ("成本指标", "", "生态环境成本指标", "控制在预算内", "完成", "8", "8"),
]

GROWTH = "1.发展实体经济，优化产业结构 2.对外贸易持续增长； 3. 促进内贸流通繁荣；"
ORDER = "1.消费品市场运行平稳有序； 2.提升城市国际形象，助力国家“一带一路”建设"
SUPPLY = (
    "1.保障全市生活必需品市场正常供应；2.确保极端灾害天气和重大节假日期间市场有序供应；"
    "3.保障非洲猪瘟、新冠肺炎疫情下的猪肉供应"
)
SERVICES_TARGET = (
    "岳阳自贸片区工作领导小组办公室工作经费、促进外经贸发展扶持资金、促消费系列活动、"
    "社零统计及市场监测专项经费、促进消费市场调控等方面"
)


def _sheet(amount: str, target: str) -> dict[str, Any]:
    """Seed 003's project sheets: all from 当年财政拨款, fully spent, 10 × 100% = 10."""
    money, zero = D(amount), D(0)
    return {
        "supervising_department": "",
        "implementing_unit": YUEYANG,
        "current_initial": money,
        "current_full_year": money,
        "current_executed": money,
        "carryover_initial": zero,
        "carryover_full_year": zero,
        "carryover_executed": zero,
        "other_initial": zero,
        "other_full_year": zero,
        "other_executed": zero,
        "budget_initial": money,
        "budget_full_year": money,
        "budget_executed": money,
        "funds_weight": D(10),
        "execution_rate_stated": D("100.00"),
        "funds_score": D("10.00"),
        "target_expected": target,
        "target_achieved": "完成",
        "total_weight": D(100),
        "total_score": D("100.00"),
    }


PROJECTS_2023: list[tuple[str, dict[str, Any], list[tuple[str, ...]]]] = [
    (
        "现代服务业资金",
        _sheet("320", SERVICES_TARGET),
        [
            (
                "产出指标",
                "数量指标",
                "加强市级统筹调度，加大宣传培训力度",
                "改革试点任务实施率达到100%。",
                "完成",
                "10",
                "10.00",
            ),
            (
                "产出指标",
                "数量指标",
                "对外投资额200万美元以上",
                "完成目标任务",
                "完成对外投资710万美元",
                "10",
                "10.00",
            ),
            (
                "产出指标",
                "数量指标",
                "促进消费市场调控",
                "激发消费增长动能，扩大内需、发挥消费基础性作用、畅通国内国际双循环、促进消费水平、提高就业率、繁荣夜经济",
                "完成“味道湖南”、”岳阳小龙虾产业博览会“等各项活动",
                "10",
                "10.00",
            ),
            ("产出指标", "质量指标", SERVICES_TARGET, "完成目标任务", "完成", "10", "10.00"),
            ("产出指标", "时效指标", "在规定时间完成年度绩效目标", "年底前", "完成", "10", "10.00"),
            ("效益指标", "经济效益指标", GROWTH, "经济得到提升", "完成", "10", "10.00"),
            ("效益指标", "社会效益指标", ORDER, "进一步提升经济", "完成", "10", "10.00"),
            ("效益指标", "可持续影响指标", "经济发展上台阶", "提升", "完成", "10", "10.00"),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "95%", "完成", "10", "10.00"),
        ],
    ),
    (
        "招商引资资金",
        _sheet(
            "115",
            "组织进口博览会、消费博览会、中国国际食品餐饮博览会等活动、组织第三届中国-非洲经贸博览会、"
            "举办洞庭渔火季·洞庭美食节",
        ),
        [
            (
                "产出指标",
                "数量指标",
                "1.继续组织好第六届进口博览会，全面完成省定目标任务。 2.继续组织好第三届消费品博览会",
                "按目标任务",
                "完成",
                "10",
                "10.00",
            ),
            (
                "产出指标",
                "数量指标",
                "组织中非经贸深度合作先行区专场推荐活动，组织企业参会布展",
                "按目标任务",
                "完成",
                "10",
                "10.00",
            ),
            (
                "产出指标",
                "质量指标",
                "更好的展示我市食品餐饮类企业品牌形象，为企业不断拓展国际国内市场。",
                "进一步提升",
                "完成",
                "10",
                "10.00",
            ),
            (
                "产出指标",
                "质量指标",
                "加快中非工贸产业园的二期建设和招商引资工作，构建以自贸岳阳片区、综合保税区为载体的对非合作贸易体系，助力湖南加快建设中非经贸深度合作示范区",
                "深度合作",
                "完成",
                "10",
                "10.00",
            ),
            ("产出指标", "时效指标", "按项目进度", "年底前", "完成", "10", "10.00"),
            ("效益指标", "经济效益指标", GROWTH, "持续提升", "完成", "10", "10.00"),
            ("效益指标", "社会效益指标", "促进餐饮业发展", "持续发展", "完成", "10", "10.00"),
            ("效益指标", "可持续影响指标", ORDER, "进一步提升", "完成", "10", "10.00"),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "95%", "完成", "10", "10.00"),
        ],
    ),
    (
        "食品风险基金",
        _sheet("100", SUPPLY),
        [
            (
                "产出指标",
                "数量指标",
                "市级生猪活体储备7500头，市级冷冻猪肉储备200吨，年内不出现断供，不出现价格异常波动。",
                "按目标任务",
                "完成",
                "20",
                "20.00",
            ),
            ("产出指标", "质量指标", SUPPLY, "按目标任务", "完成", "20", "20.00"),
            ("产出指标", "时效指标", "在规定时间完成年度绩效目标", "年前", "完成", "10", "10.00"),
            (
                "效益指标",
                "社会效益指标",
                "保障全市生活必需品市场正常供应，确保极端灾害天气和重大节假日期间市场有序供应。",
                "市民生活得到保障",
                "完成",
                "10",
                "10.00",
            ),
            ("效益指标", "可持续影响指标", "保障市民生活", "年底", "完成", "10", "10.00"),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "95%", "完成", "10", "10.00"),
            ("成本指标", "经济成本指标", "在预算范围内", "不超预算", "完成", "10", "10.00"),
        ],
    ),
]

JIANGMEN_PROJECT_2022: dict[str, Any] = {
    "supervising_department": "江门市商务局",
    "implementing_unit": "江门市商务局",
    "total_score": D(98),  # 004 §六: 项目自评结果为优，得分 98 分
}


def load(evaluation: Evaluation) -> None:
    key = (evaluation.department.slug, evaluation.campaign.fiscal_year)
    if key == ("yueyang-commerce", 2023):
        _load_yueyang(evaluation)
    elif key == ("jiangmen-commerce", 2022):
        _project(evaluation, "内外经贸发展与口岸建设管理经费", JIANGMEN_PROJECT_2022, [])


def _load_yueyang(evaluation: Evaluation) -> None:
    HunanBasicData.objects.get_or_create(evaluation=evaluation, defaults=BASIC_2023)
    _, created = HunanOverall.objects.get_or_create(evaluation=evaluation, defaults=OVERALL_2023)
    if created and not Indicator.objects.filter(evaluation=evaluation, project=None).exists():
        _indicators(evaluation, None, OVERALL_INDICATORS_2023)
    for name, sheet, rows in PROJECTS_2023:
        _project(evaluation, name, sheet, rows)


def _project(
    evaluation: Evaluation, name: str, sheet: dict[str, Any], rows: list[tuple[str, ...]]
) -> None:
    project, created = ProjectEvaluation.objects.get_or_create(
        evaluation=evaluation, name=name, defaults=sheet
    )
    if created:
        _indicators(evaluation, project, rows)


def _indicators(
    evaluation: Evaluation, project: ProjectEvaluation | None, rows: Sequence[tuple[str, ...]]
) -> None:
    Indicator.objects.bulk_create(
        Indicator(
            evaluation=evaluation,
            project=project,
            position=position,
            level1=level1,
            level2=level2,
            name=name,
            target=target,
            actual=actual,
            weight=D(weight),
            score=D(score),
        )
        for position, (level1, level2, name, target, actual, weight, score) in enumerate(rows)
    )
