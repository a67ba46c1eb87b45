"""整体绩效自评基础数据表 of 湛江市商务局: 2019 (seed 001, the table itself and the report's
figures) and 2017 (seed 000, which has no such table: the figures its report text gives)."""

from datetime import date
from decimal import Decimal
from typing import Any

from evaluations.models import (
    AssetManagement,
    Benefits,
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

D = Decimal
ZJ_2019 = "https://www.zhanjiang.gov.cn/ziswj/gkmlpt/content/"
ZJBOC = "http://www.zjboc.gov.cn/"

FIGURES: dict[int, dict[type[EvaluationPart], dict[str, Any]]] = {
    2019: {
        UnitInfo: {
            "subordinate_units": "无",
            "contact_name": "梁书语",
            "contact_phone": "18307593089",
            "contact_email": "18307593089@126.com",
        },
        Staffing: {"staff_authorized": 61, "staff_actual": 55},  # 001 §一(二)
        OverallTargets: {
            "overall_target": "1. 任务1：社会消费品零售总额增长10%左右；\n"
            "2. 任务2：外贸进出口实现正增长；\n"
            "3. 任务3：实际利用外资增长3.5%。",
            "overall_completion": "2019年，全市商务各项指标全面增长，增速在全省排位趋前，"
            "总量比重进位，对全省和区域贡献提升，总体运行好于预期，消费、外贸、外资、口岸等领域"
            "4项重要指标均刷新历史最高纪录，圆满完成了全年发展目标任务。\n"
            "1. 任务1：全市社会消费品零售总额累计1839.5亿元，同比增长8.4%，增幅居全省第2位。\n"
            "2. 任务2：全市货物进出口总额413.8亿元，增长9.7%，增幅居全省第5位。\n"
            "3. 任务3：全市实际利用外资金额2.36亿美元，增长2.38倍，居全省第1位。",
            "shortfall_reason": "无",
        },
        ProjectTargets: {
            "due_count": 14,
            "due_amount": D("3954"),
            "declared_count": 14,
            "declared_amount": D("3954"),
            "approved_count": 14,
            "approved_amount": D("3954"),
        },
        # The table prints 「是 否」 without the tick; the report says all were published on time.
        Disclosures: {
            "self_evaluation_published": True,
            "self_evaluation_on": date(2020, 9, 7),
            "self_evaluation_url": ZJ_2019,
            "budget_published": True,
            "budget_on": date(2019, 2, 15),
            "budget_url": "https://www.zhanjiang.gov.cn/ziswj/gkmlpt/index#488",
            "final_accounts_published": True,
            "final_accounts_on": date(2019, 9, 19),
            "final_accounts_url": ZJ_2019,
            "targets_published": True,
            "targets_on": date(2019, 6, 21),
            "targets_url": ZJ_2019,
        },
        # Only 账实一致 is stated (001 预算执行情况 七); the table leaves the totals empty.
        AssetManagement: {"ledger_matches": True},
        ProjectOrganisation: {
            "project_count": 23,
            "new_projects": 1,
            "continued_projects": 22,
            "planned_completion": 23,
            "planned_acceptance": 23,
            "estimates_approved": 23,
            "adjusted": 1,
            "adjustment_note": "根据市财政局要求调减政府性基金支出项目。",
            "financial_rules": "湛江市商务局内部管理规定（试行）",
            "other_rules": "《湛江市商务局进一步加强财务管理的通知》",
            # The table's cell is cut off; the report (§二) gives the second title in full.
            "work_measures": "《湛江市商务局贯彻落实全面实施预算绩效管理工作方案》、"
            "《湛江市商务局关于开展2019年部门财政资金绩效评价工作的通知》",
        },
        SpendingControl: {
            "three_public_budget": D("127.98"),
            "three_public_actual": D("109.28"),
            "three_public_rate_stated": D("0.8539"),
            "public_funds_budget": D("138.6"),
            "public_funds_actual": D("71.97"),
            "public_funds_rate_stated": D("0.5193"),
        },
        WorkCompletion: {
            "party_inspection_score": D("99.89"),
            "government_inspection_score": D("103.15"),
            "key_work_rate_stated": D("1"),
            "key_work_shortfall": "无",
            "targets_planned": 3,
            "targets_achieved": 3,
            "targets_rate_stated": D("1"),
            "targets_shortfall": "无",
            "project_targets_planned": 14,
            "project_targets_achieved": 14,
            "project_targets_rate_stated": D("1"),
            "project_targets_shortfall": "无",
            "projects_planned": 23,
            "projects_on_time": 23,
            "projects_rate_stated": D("1"),
            "projects_shortfall": "无",
        },
        Benefits: {
            "social_economic_benefits": "1. 全市社会消费品零售总额累计1839.5亿元，同比增长8.4%，"
            "增幅居全省第2位；\n2. 全市货物进出口总额413.8亿元，增长9.7%，增幅居全省第5位；\n"
            "3. 全市实际利用外资金额2.36亿美元，增长2.38倍，居全省第1位；\n"
            "4. 经湛江口岸进出口货物运量7775万吨，增长1.6%。集装箱进出运量20.6万标箱，增长3%。"
            "出入境交通工具6360艘（架、次），增长7.7%。出入境人员14.34万人次，增长10.7%。",
        },
        # 「是 否」 untickable in the table; the scoring sheet gives the channel its point.
        Fairness: {
            "has_feedback_channel": True,
            "complaints_received": 0,
            "complaints_answered": 0,
            "complaints_answered_on_time": 0,
            "satisfaction": D("0.95"),
        },
        # 001 §一(四) and 预算执行情况: 2.27% = 96.76 / 4262.68; 79.71% = 613.0894 / 769.1121;
        # 「2019 年度本单位无存量资金」 gives the year-end stock only.
        RevenueAndProcurement: {
            "prior_carryover": D("75.87"),
            "actual_revenue": D("4186.81"),
            "actual_expenditure": D("4165.93"),
            "year_end_carryover": D("96.76"),
            "overall_expenditure_rate_stated": D("0.9773"),
            "stock_funds_end": D("0"),
            "procurement_planned": D("769.1121"),
            "procurement_actual": D("613.0894"),
        },
    },
    2017: {
        Staffing: {"staff_authorized": 66, "staff_actual": 62},  # 000 §五(四): 62 / 66
        OverallTargets: {
            "overall_target": "社会消费品零售总额同比增长10%；货物进出口增长7%，"
            "占全省比重达到0.5%以上。",
            "overall_completion": "2017年，全市商务发展呈现稳中向好、稳中有进的态势，各项指标"
            "全面增长，主要指标全部完成市下达的年度工作目标，达到预期。全市累计实现社会消费品"
            "零售总额1578.1亿元，同比增长10.1%；全市货物进出口总额345.6亿元，增长13.5%。",
        },
        # 000 §三(一): five projects; the amount is the total of its 汇总表.
        ProjectTargets: {"declared_count": 5, "declared_amount": D("1385")},
        Disclosures: {
            "self_evaluation_published": True,
            "self_evaluation_on": date(2018, 7, 20),
            "self_evaluation_url": ZJBOC,
            "budget_published": True,
            "budget_on": date(2017, 2, 8),
            "budget_url": ZJBOC + "fileserver/NewsHtml/501c7414-37b1-4dd6-a87d-d832b1290886.html",
            "final_accounts_published": True,
            "final_accounts_on": date(2017, 9, 8),
            "final_accounts_url": ZJBOC
            + "fileserver/NewsHtml/9ad182f4-4130-4c82-b572-9084cbfb0cf3.html",
        },
        # 000 §四(二)、§五(二): 固定资产管理规定 and 处置收入上缴国库. The totals are left to the
        # 固定资产情况表, which supplies them in 万元.
        AssetManagement: {"internal_rules": True, "income_remitted": True},
        ProjectOrganisation: {"project_count": 20},  # 000 §五(一): 资金项目共20个
        SpendingControl: {
            "three_public_budget": D("134.72"),
            "three_public_actual": D("121.82"),
            "three_public_rate_stated": D("0.9042"),
            "public_funds_budget": D("135.33"),
            "public_funds_actual": D("74.04"),
            "public_funds_rate_stated": D("0.5471"),
        },
        Benefits: {
            "social_economic_benefits": "社会消费品零售总额1578.1亿元，增长10.1%；货物进出口"
            "总额345.6亿元，增长13.5%；实际利用外资8095万美元，增长32%；中方协议投资额3.77亿"
            "美元，增长60.9%；经湛江港进出口货运量7854万吨，增长14%。",
        },
        # 000 §四(一): the stated 97.72% does not follow from its own figures.
        RevenueAndProcurement: {
            "prior_carryover": D("104.47"),
            "actual_revenue": D("4343.33"),
            "actual_expenditure": D("4244.42"),
            "overall_expenditure_rate_stated": D("0.9772"),
        },
    },
}


def load(evaluation: Evaluation) -> None:
    if evaluation.department.slug != "zhanjiang-commerce":
        return
    for model, defaults in FIGURES.get(evaluation.campaign.fiscal_year, {}).items():
        model.objects.get_or_create(evaluation=evaluation, defaults=defaults)
