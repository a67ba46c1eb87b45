"""The scoring engine against the seeds' own figures, and each rule kind at its edges.

Expected numbers are worked out by hand in the comments (Decimal arithmetic in the asserts),
never copied from the engine's output.
"""

import copy
import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from rubrics.engine.definition import Rubric, load_rubric
from rubrics.engine.io import RequestError, parse_request, result_to_dict
from rubrics.engine.metrics import compute_metric, percent, points_fixed
from rubrics.engine.rules import BandsRule
from rubrics.engine.scoring import Claim, Result, score
from rubrics.library_files import library_rubric

CASES = Path(__file__).parent / "cases"


def load_case(name: str) -> tuple[Rubric, dict[str, Any], dict[str, Claim]]:
    data = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    inputs, claimed = parse_request(data)
    return library_rubric(data["rubric"]), inputs, claimed


def score_case(name: str, rubric_id: str | None = None) -> Result:
    rubric, inputs, claimed = load_case(name)
    return score(library_rubric(rubric_id) if rubric_id else rubric, inputs, claimed)


def shown(value: D) -> str:
    return points_fixed(value)


# --- seed 001: 湛江市商务局 2019 ------------------------------------------------------------


@pytest.fixture(scope="module")
def zhanjiang() -> Result:
    return score_case("zhanjiang-2019")


def test_it_reproduces_the_overall_expenditure_rate_and_its_band(zhanjiang: Result) -> None:
    item = zhanjiang.item("整体支出完成率")
    # 75.87 + 4186.81 = 4262.68; 4165.93 ÷ 4262.68 = 0.97730… → 97.73%, in [90%, 100%) → 4
    assert item.metric is not None and item.metric.value is not None
    assert item.metric.value == D("4165.93") / D("4262.68")
    assert item.metric.display == "97.73%"
    assert item.score == 4
    assert item.explanation == "4165.93 ÷ (75.87 + 4186.81) = 97.73%，落在 [90%, 100%)，得 4 分"
    assert item.flag is None


def test_it_reproduces_the_carryover_rate(zhanjiang: Result) -> None:
    item = zhanjiang.item("结转结余率")
    # 96.76 ÷ 4262.68 = 0.022699… → 2.27%, ≤ 10% → 4
    assert item.metric is not None and item.metric.display == "2.27%"
    assert item.score == 4
    assert item.flag is None


def test_it_gives_the_procurement_rate_proportionally_and_flags_the_claimed_full_marks(
    zhanjiang: Result,
) -> None:
    item = zhanjiang.item("政府采购执行率")
    # 613.0894 ÷ 769.1121 = 0.797139… → 79.71%; 4 × 0.797139… = 3.18856… → 3.19, not the 4 claimed
    assert item.metric is not None and item.metric.display == "79.71%"
    assert item.score == 4 * D("613.0894") / D("769.1121")
    assert shown(item.score) == "3.19"
    assert item.claimed == 4
    assert item.flag == "自评 4 分，按规则计算为 3.19 分"


def test_it_reproduces_the_control_rates_and_both_conditions(zhanjiang: Result) -> None:
    item = zhanjiang.item("公用经费控制率")
    # 三公 109.28 ÷ 127.98 = 85.39% (≤ budget → 2); 日常公用 71.97 ÷ 138.6 = 51.93% (≤ → 2)
    assert [m.display for m in item.metrics] == ["85.39%", "51.93%"]
    assert item.score == 4
    assert "109.28 ≤ 127.98，成立，得 2 分" in item.explanation
    assert "71.97 ≤ 138.6，成立，得 2 分" in item.explanation


def test_it_scores_targets_projects_and_complaints(zhanjiang: Result) -> None:
    # 3 ÷ 3 × 3 = 3; 23 ÷ 23 × 5 = 5
    assert zhanjiang.item("绩效目标完成").score == 3
    assert zhanjiang.item("项目(工作)完成及时").score == 5
    # no complaints: 0 ÷ 0 counts as all answered (1) and all on time (1); channel judged 3 − 2 = 1
    complaints = zhanjiang.item("群众信访办理")
    assert complaints.score == 3
    assert "分母为 0" in complaints.explanation


def test_it_caps_the_bonus_and_flags_the_claimed_eleven_points(zhanjiang: Result) -> None:
    # 11 commendations × 1 = 11, capped at 3; the sheet adds 11
    assert zhanjiang.bonus == 3
    assert zhanjiang.penalty == 0
    item = zhanjiang.item("工作表现加减分指标")
    assert item.score == 3
    assert item.flag == "自评加减分 11 分，按规则为 +3 分"


def test_it_flags_the_sheet_total_above_one_hundred(zhanjiang: Result) -> None:
    # The sheet's 合计 row says 110 (99 + 11); the report then caps it to 100.
    assert zhanjiang.claimed_total == 110
    assert zhanjiang.total_flag is not None
    assert "自评总分 110 分超过满分 100 分" in zhanjiang.total_flag


def test_it_leaves_items_without_data_unscored_and_says_so(zhanjiang: Result) -> None:
    # The report gives no prior-year stock funds, no asset values nor the city average (its
    # 99.95% is 2017's figure, seed 000), no key-task counts and no deadline.
    unverifiable = {
        "国库集中支付结转结余存量资金效率性": "stock_funds_prev",
        "固定资产利用率": "fixed_assets_avg_utilization",
        "重点工作完成率": "key_tasks_total",
        "自评材料报送及时性": "deadline",
    }
    for name, key in unverifiable.items():
        item = zhanjiang.item(name)
        assert item.score is None
        assert item.flag is not None and "无法核实" in item.flag
        assert any(key in warning and name in warning for warning in zhanjiang.warnings)
    # 报送质量 compares totals, which are incomplete
    assert zhanjiang.item("自评材料报送质量").score is None
    assert not zhanjiang.complete


def test_it_flags_exactly_the_seed_001_discrepancies(zhanjiang: Result) -> None:
    assert {item.code for item in zhanjiang.flagged()} == {
        "2.1.3",  # 存量资金: −100% claimed, prior-year amount not given
        "2.1.4",  # 政府采购: 4 claimed, 3.19 by the formula
        "2.3.2",  # 固定资产利用率: 3 claimed with no asset data
        "3.2.2",  # 报送及时性: no deadline given
        "3.2.3",  # 报送质量: totals incomplete
        "4.2.1",  # 重点工作完成率: no counts
        "5",  # 加减分: 11 claimed, cap 3
    }


def test_it_totals_what_can_be_computed(zhanjiang: Result) -> None:
    # judged items as claimed: 20 (预算编制) + 6 + 5 + 5 + 4 (执行) + 3 + 2 + 2 + 1 (监督) + 10 + 2 (效益)
    # computed: 4 + 4 + 3.18856 (执行) + 4 + 3 + 5 + 3 (效益); bonus 3
    procurement = 4 * D("613.0894") / D("769.1121")
    expected = D(20) + D(6 + 5 + 5 + 4) + D(3 + 2 + 2 + 1) + D(10 + 2) + D(4 + 4 + 4 + 3 + 5 + 3)
    expected += procurement + 3
    assert zhanjiang.total == expected
    assert shown(zhanjiang.total) == "89.19"
    assert zhanjiang.grade == "良"
    # 2.1.3 (4) and 2.3.2 (3) are unscored: even at full marks the subtotal is 31.19 + 7 = 38.19.
    assert zhanjiang.subtotal("预算执行情况").flag == (
        "自评小计 39 分，超过可能的最高分 38.19 分（已计算 31.19 分，未评分指标按满分计）"
    )
    # 3.2.2 and 3.2.3 are unscored, 1 point each: a claim of 10 may still be right.
    assert zhanjiang.subtotal("预算监督情况").flag == "部分下级指标未评分，自评小计 10 分无法核实"
    assert zhanjiang.subtotal("预算编制情况").score == 20
    assert zhanjiang.subtotal("预算编制情况").flag is None


def complete_zhanjiang_inputs() -> tuple[Rubric, dict[str, Any], dict[str, Claim]]:
    """Seed 001 with the figures the report leaves out filled in (hypothetical but plausible)."""
    rubric, inputs, claimed = load_case("zhanjiang-2019")
    extra = {
        "stock_funds_prev": "12.5",  # any positive amount gives the stated −100%
        "fixed_assets_total": "18633890",  # seed 000's asset figures, the source of 99.95%
        "fixed_assets_in_use": "18623890",
        "fixed_assets_avg_utilization": "0.95",
        "key_tasks_total": 10,
        "key_tasks_done": 10,
        "deadline": "2020-08-28",
    }
    more, _ = parse_request({"inputs": extra})
    return rubric, {**inputs, **more}, claimed


def test_it_scores_every_item_of_seed_001_once_the_missing_figures_are_given() -> None:
    rubric, inputs, claimed = complete_zhanjiang_inputs()
    result = score(rubric, inputs, claimed)
    # 0 ÷ 12.5 − 1 = −100% ≤ −15% → 4; 18623890 ÷ 18633890 = 99.95% > 95% → 3
    assert result.item("国库集中支付结转结余存量资金效率性").score == 4
    assert result.item("固定资产利用率").metric.display == "99.95%"  # type: ignore[union-attr]
    assert result.item("固定资产利用率").score == 3
    assert "高于市直单位平均固定资产利用率 95.00%（fixed_assets_avg_utilization）" in (
        result.item("固定资产利用率").explanation
    )
    # claims 99 − 0.81144 (procurement) = 98.18856 + bonus 3 = 101.18856 → capped at 100
    assert result.complete
    assert result.total == 100
    assert result.grade == "优"
    # self total 110 → 100 after the cap, checked 100: no deviation, 报送质量 keeps its point
    assert result.item("自评材料报送质量").score == 1
    assert {item.code for item in result.flagged()} == {"2.1.4", "5"}


def test_it_deducts_half_a_point_per_five_points_between_self_and_checked_totals() -> None:
    rubric, inputs, claimed = complete_zhanjiang_inputs()
    verified = {"社会经济政治效益": D(5), "绩效指标明确性": D(3)}
    result = score(rubric, inputs, claimed, verified)
    # checked: 98.18856 − 5 − 2 = 91.18856 + 3 = 94.18856; self: 100; gap 5.81 → 1 step → −0.5
    procurement = 4 * D("613.0894") / D("769.1121")
    checked = D(99) - 4 + procurement - 5 - 2 + 3
    quality = result.item("自评材料报送质量")
    assert quality.score == D("0.5")
    assert f"相差 {shown(100 - checked).rstrip('0')} 分" in quality.explanation
    assert result.total == checked - D("0.5")
    assert result.item("社会经济政治效益").flag == "自评 10 分，核查 5 分"
    assert result.item("社会经济政治效益").score == 5


# --- seed 003: 岳阳市商务局 2023 ------------------------------------------------------------


@pytest.fixture(scope="module")
def yueyang() -> Result:
    return score_case("yueyang-2023-department")


def test_it_reproduces_the_budget_execution_rate_and_flags_the_sheets_96_percent(
    yueyang: Result,
) -> None:
    item = yueyang.item("预算执行率")
    # 3995.49 ÷ 4128.02 = 0.967895… → 96.79% (as the report says); 10 × 0.967895 = 9.68
    # The sheet prints 执行率 96.00% and 得分 9.60.
    assert item.metric is not None and item.metric.display == "96.79%"
    assert item.score == 10 * D("3995.49") / D("4128.02")
    assert shown(item.score) == "9.68"
    assert (
        item.flag == "自评 9.6 分，按规则计算为 9.68 分；填报预算执行率 96.00%，按公式计算为 96.79%"
    )


def test_it_scores_quantitative_rows_by_the_numbers(yueyang: Result) -> None:
    rows = {item.name: item for item in yueyang.items if item.parent == "2"}
    # 8094万 ≥ 8000万 (「≥8000」 beside 「8094万美元」 is read in 万美元) → 10; 24 ≥ 20 → 10; 9.5 ≥ 7.5 → 10
    assert rows["新设外资企业"].kind == "target_actual"
    assert rows["新设外资企业"].score == 10
    assert "8094万 ≥ 8000万" in yueyang.item("2.1").explanation
    assert yueyang.item("2.5").kind == "target_actual"
    # 「95%以上」 against 「完成」 is qualitative: the claim becomes the score
    assert rows["服务对象满意度"].kind == "qualitative"
    assert rows["服务对象满意度"].score == 10


def test_it_flags_indicator_rows_worth_more_than_the_sheet_leaves_for_them(yueyang: Result) -> None:
    # rows: 8 × 10 + 6 + 6 + 8 = 100, but 100 − 10 (执行率) leaves 90
    assert "指标 2「绩效指标」下申报指标分值合计 100，与评分表规定的 90 不符" in yueyang.warnings
    subtotal = yueyang.subtotal("绩效指标")
    assert subtotal.score == 90
    # total 9.67895 + 90 = 99.67895 → 99.68, not the 100 the sheet states
    assert yueyang.total == 90 + 10 * D("3995.49") / D("4128.02")
    assert yueyang.total_flag == "自评总分 100 分，按规则计算为 99.68 分"
    assert yueyang.grade == "优"


def test_it_flags_exactly_the_seed_003_department_discrepancies(yueyang: Result) -> None:
    assert [item.name for item in yueyang.flagged()] == ["预算执行率"]


def test_seed_003_staff_control_rate_is_not_the_stated_94_percent() -> None:
    # 基础数据表: 编制 56, 在职 53, 控制率 "94.00%"; 53 ÷ 56 = 0.946428… → 94.64%
    value = compute_metric("staff_control_rate", {"staff_actual": D(53), "staff_authorized": D(56)})
    assert value.value == D(53) / D(56)
    assert percent(value.value) == "94.64%"


def test_it_scores_a_project_sheet_that_adds_up() -> None:
    result = score_case("yueyang-2023-project-xiandai-fuwuye")
    # 320 ÷ 320 = 100% → 10; nine qualitative rows claimed at 10 each → 90
    assert result.item("预算执行率").score == 10
    assert result.total == 100
    assert result.complete
    assert result.flagged() == ()
    assert result.total_flag is None
    assert result.warnings == ()


def test_the_national_framework_refuses_a_cost_family_and_a_short_benefit_family() -> None:
    result = score_case("yueyang-2023-project-shipin-fengxian", "mof-2020-project")
    # 效益 rows 10 + 10 = 20 ≠ 30; 成本指标 has no place in 财预〔2020〕10号 (50/30/10)
    assert "指标 3「效益指标」下申报指标分值合计 20，与评分表规定的 30 不符" in result.warnings
    assert any("成本指标" in w and "未计分" in w for w in result.warnings)
    # 10 + 50 + 20 + 10 = 90, not the 100 claimed
    assert result.total == 90
    assert result.total_flag == "自评总分 100 分，按规则计算为 90 分"


def test_the_yueyang_project_sheet_accepts_the_same_project() -> None:
    result = score_case("yueyang-2023-project-shipin-fengxian")
    assert result.total == 100
    assert result.warnings == ()


# --- rule kinds at their edges --------------------------------------------------------------


def sheet(*leaves: dict[str, Any], adjustments: dict[str, Any] | None = None) -> Rubric:
    """A one-level rubric whose total is the sum of the given leaves."""
    total = sum(D(str(leaf["weight"])) for leaf in leaves)
    data: dict[str, Any] = {
        "id": "test",
        "title": "测试",
        "kind": "department_overall",
        "total": total,
        "indicators": list(leaves),
    }
    if adjustments:
        data["adjustments"] = adjustments
    return load_rubric(data)


def bands_leaf(**rule: Any) -> dict[str, Any]:
    base = {
        "kind": "bands",
        "metric": "overall_expenditure_rate",
        "bands": [{"at_least": 1, "points": 5}, {"at_least": "0.9", "points": 4}],
    }
    return {"code": "1", "name": "整体支出完成率", "weight": 5, "rule": {**base, **rule}}


def rate_inputs(expenditure: str) -> dict[str, Any]:
    return {"prior_carryover": D(0), "actual_revenue": D(100), "actual_expenditure": D(expenditure)}


@pytest.mark.parametrize(
    ("expenditure", "expected", "interval"),
    [("100", 5, "[100%, +∞)"), ("90", 4, "[90%, 100%)"), ("89.99", 0, "(-∞, 90%)")],
)
def test_it_places_band_limits_in_the_better_band(
    expenditure: str, expected: int, interval: str
) -> None:
    result = score(sheet(bands_leaf()), rate_inputs(expenditure))
    assert result.item("1").score == expected
    assert f"落在 {interval}" in result.item("1").explanation


def test_lower_is_better_bands_include_their_upper_limit() -> None:
    rule = library_rubric("zhanjiang-2019-department").indicator("结转结余率").rule
    assert isinstance(rule, BandsRule)
    # 10% → 4; 10.01% → 2; 30% → 1; 30.01% → 0
    assert [rule.points_for(D(v))[0] for v in ("0.10", "0.1001", "0.30", "0.3001")] == [4, 2, 1, 0]


@pytest.mark.parametrize(
    ("prev", "end", "expected"),
    [("0", "0", 4), ("0", "5", 0), ("100", "85", 4), ("100", "86", 2), ("100", "95", 1)],
)
def test_stock_funds_cases_come_before_the_bands(prev: str, end: str, expected: int) -> None:
    # both zero → 4; from zero to something → 0; 85/100 − 1 = −15% → 4; −14% → 2; −5% → 1
    rubric = library_rubric("zhanjiang-2019-department")
    inputs = {"stock_funds_prev": D(prev), "stock_funds_end": D(end)}
    assert score(rubric, inputs).item("2.1.3").score == expected


def test_a_condition_dividing_by_zero_leaves_the_item_unscored() -> None:
    condition = {
        "label": "三公经费控制率不超过 100%",
        "when": "three_public_actual / three_public_budget <= 1",
        "points": 2,
    }
    leaf = {
        "code": "1",
        "name": "控制率",
        "weight": 2,
        "rule": {"kind": "conditions", "conditions": [condition]},
    }
    result = score(sheet(leaf), {"three_public_actual": D(5), "three_public_budget": D(0)})
    assert result.item("1").score is None
    assert result.item("1").explanation == "条件 5 ÷ 0 ≤ 1 无法计算（分母为 0），需审核人评定"


def test_procurement_above_plan_gets_nothing() -> None:
    rubric = library_rubric("zhanjiang-2019-department")
    inputs = {"procurement_planned": D(100), "procurement_actual": D("100.01")}
    item = score(rubric, inputs).item("政府采购执行率")
    assert item.score == 0
    assert "实际采购金额大于采购计划金额" in item.explanation


def test_budget_execution_never_gives_more_than_the_weight() -> None:
    inputs = {"budget_full_year": D(100), "budget_executed": D(120)}
    item = score(library_rubric("mof-2020-project"), inputs).item("预算执行率")
    # 10 × 120% = 12 → 10
    assert item.score == 10
    assert "超过分值，按 10 分计" in item.explanation


@pytest.mark.parametrize(("average", "expected"), [("0.90", 3), ("0.9995", 0), ("0.9999", 0)])
def test_fixed_assets_must_beat_the_jurisdiction_average(average: str, expected: int) -> None:
    rubric = library_rubric("zhanjiang-2019-department")
    inputs = {
        "fixed_assets_total": D(10000),
        "fixed_assets_in_use": D(9995),
        "fixed_assets_avg_utilization": D(average),
    }
    # 9995 ÷ 10000 = 99.95%: above 90% → 3; equal to 99.95% is not above → 0; below → 0
    assert score(rubric, inputs).item("固定资产利用率").score == expected


@pytest.mark.parametrize(
    ("submitted", "deadline", "expected"),
    [
        ("2020-08-28", "2020-08-28", 1),
        ("2020-08-28T23:00:00", "2020-08-28", 1),
        ("2020-08-29", "2020-08-28", 0),
        ("2020-08-28T10:00:00+08:00", "2020-08-28T09:00:00+08:00", 0),
    ],
)
def test_timeliness_compares_submission_with_the_deadline(
    submitted: str, deadline: str, expected: int
) -> None:
    inputs, _ = parse_request({"inputs": {"submitted_at": submitted, "deadline": deadline}})
    item = score(library_rubric("zhanjiang-2019-department"), inputs).item("自评材料报送及时性")
    assert item.score == expected


def test_a_judgement_takes_the_claim_within_its_weight_and_flags_it_otherwise() -> None:
    rubric = library_rubric("zhanjiang-2019-department")
    result = score(rubric, {}, {"预算编制合理性": D(7), "项目监管": D(-1), "财务合规性": D("5.5")})
    assert result.item("预算编制合理性").score == 4
    assert "超出分值范围 [0, 4]" in (result.item("预算编制合理性").flag or "")
    assert result.item("项目监管").score == 0
    assert result.item("财务合规性").score == D("5.5")
    assert result.item("财务合规性").flag is None


def test_a_judgement_without_any_score_is_unscored_with_a_warning() -> None:
    result = score(library_rubric("zhanjiang-2019-department"), {})
    assert result.item("项目监管").score is None
    assert "指标 2.2.2「项目监管」为人工评分项，尚无自评或核查得分" in result.warnings


def test_a_tier_score_between_tiers_is_taken_down_and_flagged() -> None:
    result = score(library_rubric("zhanjiang-2019-department"), {}, {"预决算": D("2.5")})
    item = result.item("预决算")
    assert item.score == 2
    assert item.flag == "评定 2.5 分不是档次分值（3、2、0），按 2 分计"


def test_bonus_counts_each_matter_once_and_penalty_is_capped() -> None:
    rubric = library_rubric("zhanjiang-2019-department")
    commendations = [{"title": "外贸稳增长"}, {"title": "外贸稳增长"}, {"title": "口岸开放"}]
    inputs, _ = parse_request(
        {"inputs": {"commendations": commendations, "accountability_findings": 4}}
    )
    result = score(rubric, inputs)
    # 2 distinct matters × 1 = 2 (≤ 3); 4 findings × 2 = 8, capped at 6
    assert result.bonus == 2
    assert result.penalty == 6
    # nothing else scored: 0 + 2 − 6 = −4 → 0
    assert result.total == 0
    assert "低于 0，按 0 分计" in result.total_explanation


@pytest.mark.parametrize(
    ("total", "grade"),
    [("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差")],
)
def test_grades_follow_the_bands(total: str, grade: str) -> None:
    assert library_rubric("zhanjiang-2019-department").grade_for(D(total)) == grade


def test_a_quantitative_row_short_of_its_target_scores_in_proportion() -> None:
    rows = [
        {
            "level1": "产出指标",
            "name": "培训人次",
            "target": "≥200人次",
            "actual": "150人次",
            "weight": 20,
        },
        {
            "level1": "产出指标",
            "name": "成本",
            "target": "≤80万元",
            "actual": "100万元",
            "weight": 10,
        },
        {
            "level1": "产出指标",
            "name": "投资",
            "target": "≥0.1亿美元",
            "actual": "800万美元",
            "weight": 20,
        },
    ]
    inputs, _ = parse_request({"inputs": {"indicators": rows}})
    result = score(library_rubric("mof-2020-project"), inputs)
    # 20 × 150/200 = 15; lower is better: 10 × 80/100 = 8; 0.1亿 = 1000万: 20 × 800/1000 = 16
    assert [item.score for item in result.items if item.parent == "2"] == [15, 8, 16]
    assert "20 × 150 ÷ 200 = 15 分" in result.item("2.1").explanation


def test_a_qualitative_claim_outside_its_completion_tier_is_flagged() -> None:
    rows = [
        {
            "level1": "满意度指标",
            "name": "满意度",
            "target": "≥90%",
            "actual": "未完成",
            "weight": 10,
            "claimed": 10,
        },
    ]
    inputs, _ = parse_request({"inputs": {"indicators": rows}})
    item = score(library_rubric("mof-2020-project"), inputs).item("4.1")
    assert item.score == 10
    assert item.flag is not None and "「未达成年度指标且效果较差」档（0%–60%）" in item.flag


def test_missing_inputs_never_crash_and_name_the_keys() -> None:
    result = score(library_rubric("zhanjiang-2019-department"), {})
    assert all(item.score is None for item in result.items if item.kind != "bonus_penalty")
    assert result.total == 0
    assert any(
        "整体支出完成率" in w and "actual_expenditure" in w and "本年实际支出" in w
        for w in result.warnings
    )


def test_claims_naming_no_indicator_are_reported() -> None:
    result = score(library_rubric("mof-2020-project"), {}, {"预算执行力": D(10)})
    assert "自评得分中的「预算执行力」不是本评分表的指标，已忽略" in result.warnings


def test_a_reviewer_differing_from_the_rule_is_flagged() -> None:
    inputs = {"budget_full_year": D(100), "budget_executed": D(50)}
    result = score(library_rubric("mof-2020-project"), inputs, verified={"预算执行率": D(10)})
    assert result.item("预算执行率").flag == "核查 10 分，按规则计算为 5 分"


# --- request and JSON -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "请求须是一个 JSON 对象"),
        ({"input": {}}, "未知字段：input"),
        ({"inputs": {"revenue": 1}}, "未知输入项「revenue」"),
        ({"inputs": {"actual_revenue": "四千"}}, "inputs.actual_revenue（本年实际收入）"),
        ({"inputs": {"staff_actual": "5.5"}}, "须是非负整数"),
        ({"inputs": {"deadline": "28/08/2020"}}, "ISO 日期"),
        ({"inputs": {"indicators": [{"name": "x", "weight": 1}]}}, "第 1 行缺少 level1"),
        (
            {"inputs": {"indicators": [{"level1": "产出指标", "name": "x", "weight": "多"}]}},
            "不是数字",
        ),
        ({"claimed": {"预算执行率": {"score": 1, "rate": 1}}}, "允许 score、metric"),
        ({"claimed": {"预算执行率": True}}, "claimed.预算执行率"),
    ],
)
def test_parse_request_refuses_bad_shapes(data: Any, message: str) -> None:
    with pytest.raises(RequestError, match=message):
        parse_request(data)


def test_parse_request_reads_numbers_as_decimals() -> None:
    inputs, claimed = parse_request(
        {"inputs": {"actual_revenue": 4186.81, "satisfaction": "95%"}, "claimed": {"总分": "99.5"}}
    )
    assert inputs["actual_revenue"] == D("4186.81")
    assert inputs["satisfaction"] == D("0.95")
    assert claimed["总分"] == Claim(score=D("99.5"))


def test_result_to_dict_gives_decimal_strings_and_rounded_display(zhanjiang: Result) -> None:
    data = result_to_dict(zhanjiang)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    item = next(i for i in data["items"] if i["name"] == "政府采购执行率")
    assert D(item["score"]) == 4 * D("613.0894") / D("769.1121")
    assert item["display"]["score"] == "3.19"
    assert item["metric"]["key"] == "procurement_execution_rate"
    assert item["metric"]["display"] == "79.71%"
    assert {"code", "name", "weight", "metric", "score", "claimed", "flag", "explanation"} <= set(
        item
    )
    assert data["rubric"] == "zhanjiang-2019-department"
    assert (data["bonus"], data["penalty"], data["grade"]) == ("3", "0", "良")
    assert data["display"]["total"] == "89.19"
    assert isinstance(data["subtotals"], list) and data["warnings"]


def test_scoring_does_not_change_its_inputs() -> None:
    rubric, inputs, claimed = load_case("yueyang-2023-department")
    before = copy.deepcopy(inputs)
    score(rubric, inputs, claimed)
    assert inputs == before
