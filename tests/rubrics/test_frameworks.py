"""The two library sheets of issue 10: the national 部门整体支出 common framework (财预〔2013〕53号,
投入/过程/产出/效果) and the provincial-format department sheet of 达州 (部门决策/综合管理/部门绩效
情况). Expected scores are worked out by hand in the comments."""

from decimal import Decimal as D

from rubrics.engine.io import parse_request
from rubrics.engine.scoring import Result, score
from rubrics.library_files import library_rubric

# 湛江市商务局 2017 (seed 000): 编制 66, 在职 62; 三公 134.72 / 121.82; 公用 135.33 / 74.04;
# 上年结转结余 104.47, 本年收入 4343.33, 年末结转结余 96.76; 固定资产 18633890 / 18623890.
SEED_000 = {
    "staff_authorized": 66,
    "staff_actual": 62,
    "three_public_budget": "134.72",
    "three_public_actual": "121.82",
    "public_funds_budget": "135.33",
    "public_funds_actual": "74.04",
    "prior_carryover": "104.47",
    "actual_revenue": "4343.33",
    "year_end_carryover": "96.76",
    "fixed_assets_total": "18633890",
    "fixed_assets_in_use": "18623890",
}


def scored(
    rubric_id: str, inputs: dict[str, object], claimed: dict[str, object] | None = None
) -> Result:
    parsed, claims = parse_request({"inputs": inputs, "claimed": claimed or {}})
    return score(library_rubric(rubric_id), parsed, claims)


def test_the_national_framework_has_its_four_families_and_names_its_source() -> None:
    rubric = library_rubric("mof-2013-department")
    assert [node.name for node in rubric.indicators] == ["投入", "过程", "产出", "效果"]
    assert [node.weight for node in rubric.indicators] == [15, 45, 20, 20]
    assert "财预〔2013〕53号" in rubric.source and "可调整" in rubric.source
    names = {node.name for node in rubric.nodes}
    assert {
        "在职人员控制率",
        "“三公经费”变动率",
        "重点支出安排率",
        "预算完成率",
        "预算调整率",
    } <= names
    assert {
        "支付进度率",
        "结转结余率",
        "结转结余变动率",
        "公用经费控制率",
        "“三公经费”控制率",
    } <= names
    assert {"政府采购执行率", "预算管理", "资产管理", "职责履行", "履职效益"} <= names


def test_the_national_framework_scores_seed_000_by_its_formulas() -> None:
    result = scored("mof-2013-department", SEED_000)
    # 62 ÷ 66 ≤ 100%: full 3
    assert result.item("在职人员控制率").score == 3
    # 96.76 ÷ (104.47 + 4343.33) = 2.18% ≤ 10%: full 3
    assert result.item("结转结余率").score == 3
    # 96.76 ÷ 104.47 − 1 < 0: full 3
    assert result.item("结转结余变动率").score == 3
    # 121.82 ÷ 134.72 and 74.04 ÷ 135.33 both ≤ 100%: full 3 each
    assert result.item("“三公经费”控制率").score == 3
    assert result.item("公用经费控制率").score == 3
    # 18623890 ÷ 18633890 × 2
    assert result.item("固定资产利用率").score == 2 * D(18623890) / D(18633890)


def test_over_the_staff_quota_costs_a_tenth_of_the_weight_per_point() -> None:
    # 70 ÷ 66 = 106.06%: 6.06 points over × 10% of 3 → 3 × (1 − 0.6060…) = 1.18
    result = scored("mof-2013-department", {"staff_authorized": 66, "staff_actual": 70})
    assert result.item("在职人员控制率").score == 3 * (1 - (D(70) / D(66) - 1) * 10)


def test_the_budget_adjustment_rate_is_banded_lower_is_better() -> None:
    # (4262.68 − 4000) ÷ 4000 = 6.57%: in (0, 10%] → 80% of 3 = 2.4
    result = scored(
        "mof-2013-department", {"budget_initial": "4000", "budget_full_year": "4262.68"}
    )
    item = result.item("预算调整率")
    assert item.score == D("2.4")
    assert "(4262.68 − 4000) ÷ 4000 = 6.57%，落在 (0%, 10%]" in item.explanation


def test_the_provincial_format_department_sheet_collects_rows_however_filed() -> None:
    rubric = library_rubric("dazhou-department")
    assert [node.name for node in rubric.indicators] == ["部门决策", "综合管理", "部门绩效情况"]
    assert [node.weight for node in rubric.indicators] == [25, 30, 45]
    result = scored(
        "dazhou-department",
        {
            "satisfaction": "0.96",
            "indicators": [
                {
                    "level1": "产出指标（20分）",
                    "name": "培训人次",
                    "target": "≥200人次",
                    "actual": "180人次",
                    "weight": 10,
                },
                {
                    "level1": "效益指标",
                    "name": "群众满意度",
                    "target": "≥90%",
                    "actual": "95%",
                    "weight": 10,
                },
            ],
        },
    )
    assert result.subtotal("履职成效").score == 9 + 10  # 180 ÷ 200 × 10, and full 10
    assert result.item("社会公众满意度").score == D("0.96") * 4
    assert result.unmatched == ()
