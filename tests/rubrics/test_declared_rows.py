"""Declared indicator rows at their edges: weights beyond the sheet, families however written,
deadlines, and the sanity warnings that name the input at fault."""

from typing import Any

from rubrics.engine.io import parse_request
from rubrics.engine.scoring import Result, score
from rubrics.library_files import library_rubric


def scored(rubric_id: str, **inputs: Any) -> Result:
    parsed, claimed = parse_request({"inputs": inputs})
    return score(library_rubric(rubric_id), parsed, claimed)


def row(**fields: Any) -> dict[str, Any]:
    return {
        "level1": "产出指标",
        "name": "参训人次",
        "target": "≥20",
        "actual": "20",
        "weight": 10,
        **fields,
    }


def test_a_row_weighing_more_than_the_whole_sheet_is_shown_unscored_and_not_counted() -> None:
    result = scored(
        "mof-2020-project",
        indicators=[row(weight=999_999_999_999_999), row(name="验收合格率", weight=50)],
    )
    item = result.item("2.1")
    assert item.score is None
    assert item.flag == "分值 999999999999999 超过评分表总分 100，未计分"
    assert (
        "申报指标「参训人次」的分值 999999999999999 超过评分表总分 100，未计分" in result.warnings
    )
    # The other row alone makes up the family's 50: no scaling by an absurd sum.
    assert result.subtotal("产出指标").score == 50


def test_rubric_families_are_found_however_the_table_writes_them() -> None:
    owners = library_rubric("mof-2020-project").declared_nodes()
    for written in ("产出指标（50分）", "產出指標", "一、产出指标", "产出"):
        node = owners.get(written)
        assert node is not None and node.name == "产出指标"
    assert owners.get("成本指标") is None
    assert list(owners) == ["产出指标", "效益指标", "满意度指标", "服务对象满意度指标"]


def test_a_missed_deadline_is_left_to_a_person_and_a_met_one_scores() -> None:
    result = scored(
        "mof-2020-project",
        indicators=[
            row(name="完成时间", target="6月底前", actual="8月", weight=25),
            row(name="验收时间", target="年底前", actual="2023年11月20日", weight=25),
        ],
    )
    late, early = result.item("2.1"), result.item("2.2")
    assert late.score is None and "完成时间 8月31日 晚于 6月30日" in late.explanation
    assert early.score == 25
    assert "按“越低越好”计分（指标值含“前”）" in early.explanation


def test_negative_amounts_and_empty_list_entries_are_named() -> None:
    result = scored(
        "zhanjiang-2019-department",
        budget_executed="-5",
        commendations=[None, {"title": "先进集体"}, None],
        accountability_findings=[None],
    )
    assert "全年执行数（budget_executed）为负数 -5，请核对" in result.warnings
    assert "表彰事项（commendations）第 1 项为空（null），未计入" in result.warnings
    assert "表彰事项（commendations）第 3 项为空（null），未计入" in result.warnings
    assert "被问责事项（accountability_findings）第 1 项为空（null），未计入" in result.warnings
    assert result.bonus == 1  # one commendation, not three
    assert result.penalty == 0


def test_sources_that_do_not_add_up_to_the_total_row_are_named() -> None:
    result = scored(
        "mof-2020-project",
        budget_full_year="100",
        budget_executed="90",
        funds_by_source=[
            {"source": "current", "budget_full_year": "80", "budget_executed": "90"},
            {"source": "other", "budget_full_year": "10", "budget_executed": "many"},
        ],
    )
    assert (
        "分资金来源的全年预算数（budget_full_year）合计 90（当年财政拨款 80 + 其他资金 10），"
        "与年度资金总额 100 不一致"
    ) in result.warnings
    assert "分资金来源的全年执行数（budget_executed）中「其他资金」无法读取为数字，未计入合计" in (
        result.warnings
    )
    assert not any("budget_executed）合计" in warning for warning in result.warnings)


def test_declared_weights_that_add_up_are_not_remarked_on() -> None:
    result = scored(
        "mof-2020-project",
        budget_full_year="100",
        budget_executed="100",
        indicators=[
            row(weight=50),
            row(level1="效益指标", name="带动就业人数", weight=30),
            row(level1="满意度指标", name="满意度", target="≥90%", actual="95%", weight=10),
        ],
    )
    assert result.declared_weight == 100
    assert "申报分值合计" not in result.total_explanation
    assert result.total == 100 and result.complete
    assert result.warnings == ()
