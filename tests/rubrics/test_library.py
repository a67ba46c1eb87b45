"""The shipped rubric library, and the checks that refuse a malformed rubric on load."""

import copy
from decimal import Decimal as D
from typing import Any

import pytest
import yaml

from rubrics.engine.definition import Indicator, RubricError, load_rubric
from rubrics.engine.rules import BandsRule, BonusPenaltyRule, DeclaredRowsRule, JudgementRule
from rubrics.library_files import library, library_files, library_rubric
from rubrics.selectors import default_rubric_ids


def raw(rubric_id: str) -> dict[str, Any]:
    with open(library_files()[rubric_id], encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def node(data: dict[str, Any], code: str) -> dict[str, Any]:
    """The raw YAML mapping of the indicator with this code."""
    stack = list(data["indicators"])
    while stack:
        current = stack.pop()
        if current["code"] == code:
            return current
        stack.extend(current.get("children") or ())
    raise KeyError(code)


def test_it_ships_the_required_rubrics() -> None:
    assert {
        "zhanjiang-2019-department",
        "yueyang-2023-department",
        "yueyang-2023-project",
        "mof-2020-project",
    } <= set(library())


def test_each_file_is_named_after_its_rubric() -> None:
    for rubric_id, path in library_files().items():
        assert path.name == f"{rubric_id}.yaml"
        assert library()[rubric_id].id == rubric_id


def test_mof_2020_is_the_default_for_projects() -> None:
    assert default_rubric_ids("guangdong_overall")["project_rubric"] == "mof-2020-project"
    assert default_rubric_ids("project_only") == {"project_rubric": "mof-2020-project"}
    rubric = library_rubric("mof-2020-project")
    assert [(i.name, i.weight) for i in rubric.indicators] == [
        ("预算执行率", 10),
        ("产出指标", 50),
        ("效益指标", 30),
        ("满意度指标", 10),
    ]


def test_zhanjiang_has_the_sheets_weights_and_every_third_level_indicator() -> None:
    rubric = library_rubric("zhanjiang-2019-department")
    assert [(i.name, i.weight) for i in rubric.indicators] == [
        ("预算编制情况", 20),
        ("预算执行情况", 40),
        ("预算监督情况", 10),
        ("预算执行效益", 30),
    ]
    third = [n.name for n in rubric.nodes if n.level == 3]
    assert third == [
        "预算编制合理性", "预算编制规范性", "绩效目标合理性", "绩效指标明确性", "制度措施健全性",
        "整体支出完成率", "结转结余率", "国库集中支付结转结余存量资金效率性", "政府采购执行率",
        "财务合规性", "项目实施程序", "项目监管", "资产管理情况", "固定资产利用率",
        "预决算", "绩效目标", "自评材料", "组织建立情况", "自评材料报送及时性", "自评材料报送质量",
        "公用经费控制率", "重点工作完成率", "绩效目标完成", "项目(工作)完成及时",
        "社会经济政治效益", "群众信访办理", "公众或服务对象满意",
    ]  # fmt: skip
    assert all(n.criteria and n.description for n in rubric.nodes if n.level == 3)


def test_zhanjiang_machine_rules_where_the_sheet_states_one() -> None:
    rubric = library_rubric("zhanjiang-2019-department")
    kinds = {n.name: n.rule.kind for n in rubric.leaves if n.rule}
    assert kinds["整体支出完成率"] == "bands"
    assert kinds["结转结余率"] == "bands"
    assert kinds["政府采购执行率"] == "proportional"
    assert kinds["公用经费控制率"] == "conditions"
    assert kinds["固定资产利用率"] == "compare_aggregate"
    assert kinds["自评材料报送及时性"] == "timeliness"
    assert kinds["自评材料报送质量"] == "deviation"
    assert kinds["预决算"] == "tiers"
    assert kinds["群众信访办理"] == "parts"
    rule = rubric.leaves[0].rule
    assert isinstance(rule, JudgementRule) and [c.points for c in rule.criteria] == [1, 1, 1]


def test_zhanjiang_bonus_and_penalty_caps() -> None:
    adjustments = library_rubric("zhanjiang-2019-department").adjustments
    assert isinstance(adjustments, Indicator)
    rule = adjustments.rule
    assert isinstance(rule, BonusPenaltyRule) and rule.bonus and rule.penalty
    assert (rule.bonus.per_item, rule.bonus.cap) == (1, 3)
    assert (rule.penalty.per_item, rule.penalty.cap) == (2, 6)


def test_yueyang_sheets_leave_ninety_points_to_declared_rows() -> None:
    for rubric_id in ("yueyang-2023-department", "yueyang-2023-project"):
        rubric = library_rubric(rubric_id)
        rows = rubric.indicators[1]
        assert (rubric.indicators[0].name, rubric.indicators[0].weight) == ("预算执行率", 10)
        assert isinstance(rows.rule, DeclaredRowsRule) and rows.weight == 90
        assert "成本指标" in rows.rule.level1


def test_default_grade_bands() -> None:
    rubric = library_rubric("yueyang-2023-department")
    assert [(g.label, g.minimum) for g in rubric.grades] == [
        ("优", 90),
        ("良", 80),
        ("中", 60),
        ("差", 0),
    ]


# --- load checks ----------------------------------------------------------------------------


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(RubricError) as caught:
        load_rubric(data)
    return str(caught.value)


def test_weights_that_do_not_add_up_are_refused_naming_the_indicator() -> None:
    data = raw("zhanjiang-2019-department")
    node(data, "1.1.1")["weight"] = 3
    # the rule of 1.1.1 is a judgement, so only the parent's sum is wrong: 3 + 4 ≠ 8
    message = refused(data)
    assert "指标 1.1「预算编制」" in message
    assert "下级指标分值合计 7，与本级分值 8 不符" in message


def test_top_level_weights_must_make_the_total() -> None:
    data = raw("mof-2020-project")
    data["total"] = 90
    assert "一级指标：下级指标分值合计 100，与总分 90 不符" in refused(data)


def test_duplicate_codes_and_names_are_refused() -> None:
    data = raw("zhanjiang-2019-department")
    node(data, "1.1.2")["code"] = "1.1.1"
    assert "代码「1.1.1」与指标 1.1.1「预算编制合理性」重复" in refused(data)
    data = raw("zhanjiang-2019-department")
    node(data, "4.2.2")["name"] = "重点工作完成率"
    assert "名称「重点工作完成率」与指标 4.2.1「重点工作完成率」重复" in refused(data)


def test_a_rule_reading_an_unknown_input_is_refused() -> None:
    data = raw("zhanjiang-2019-department")
    node(data, "4.1.1")["rule"]["conditions"][0]["when"] = (
        "three_public_spent <= three_public_budget"
    )
    message = refused(data)
    assert "指标 4.1.1「公用经费控制率」" in message and "未知输入「three_public_spent」" in message
    data = raw("zhanjiang-2019-department")
    node(data, "2.1.1")["rule"]["metric"] = "overall_rate"
    assert "未知指标值「overall_rate」" in refused(data)
    data = raw("zhanjiang-2019-department")
    node(data, "2.3.2")["rule"]["aggregate"] = "average_utilisation"
    assert "未知输入「average_utilisation」" in refused(data)


@pytest.mark.parametrize(
    "formula",
    [
        "procurement_actual >",
        "__import__('os').system('true')",
        "procurement_actual.real > 0",
        "open('x')",
        "[procurement_actual][0] > 0",
        "procurement_actual > 0; procurement_planned > 0",
        "'text' == 'text'",
        "procurement_actual ** 2 > 0",
    ],
)
def test_a_bad_formula_is_refused(formula: str) -> None:
    data = raw("zhanjiang-2019-department")
    node(data, "2.1.4")["rule"]["cases"][0]["when"] = formula
    assert "指标 2.1.4「政府采购执行率」：公式" in refused(data)


def test_formulas_may_use_min_max_abs() -> None:
    data = raw("zhanjiang-2019-department")
    when = "abs(procurement_actual - procurement_planned) > max(1, min(2, 3))"
    node(data, "2.1.4")["rule"]["cases"][0]["when"] = when
    assert load_rubric(data).id == "zhanjiang-2019-department"


def test_bands_out_of_order_are_refused() -> None:
    data = raw("zhanjiang-2019-department")
    node(data, "2.1.1")["rule"]["bands"][1]["at_least"] = 1.2
    assert "各档界限须按由好到差的顺序排列" in refused(data)
    data = raw("zhanjiang-2019-department")
    node(data, "2.1.2")["rule"]["bands"][1]["points"] = 5
    assert "超出 [0, 4]" in refused(data)


def test_condition_points_must_make_the_weight() -> None:
    data = raw("zhanjiang-2019-department")
    node(data, "4.1.1")["rule"]["conditions"][1]["points"] = 1
    assert "各条件分值合计应等于本指标分值 4" in refused(data)


def test_a_leaf_without_rule_and_unquoted_codes_are_refused() -> None:
    data = raw("mof-2020-project")
    del data["indicators"][0]["rule"]
    assert "指标 1「预算执行率」：末级指标须有 rule" in refused(data)
    data = raw("mof-2020-project")
    data["indicators"][0]["code"] = 1.1
    assert "code 须是非空字符串" in refused(data)


def test_unknown_rule_kinds_and_misplaced_bonus_are_refused() -> None:
    data = raw("mof-2020-project")
    data["indicators"][0]["rule"] = {"kind": "vibes"}
    assert "未知的规则类型「vibes」" in refused(data)
    data = raw("zhanjiang-2019-department")
    node(data, "4.4.2")["rule"] = copy.deepcopy(data["adjustments"]["rule"])
    assert "加减分规则只能写在 adjustments 中" in refused(data)


def test_grade_bands_must_descend_to_zero() -> None:
    data = raw("mof-2020-project")
    data["grades"] = [{"label": "优", "min": 90}, {"label": "良", "min": 80}]
    assert "最后一档为 0" in refused(data)


def test_the_same_level1_cannot_be_collected_twice() -> None:
    data = raw("mof-2020-project")
    data["indicators"][3]["rule"]["level1"] = ["效益指标"]
    assert "一级指标「效益指标」已由指标 3「效益指标」收集" in refused(data)


def test_loaded_bands_keep_exact_decimal_limits() -> None:
    rule = library_rubric("zhanjiang-2019-department").indicator("整体支出完成率").rule
    assert isinstance(rule, BandsRule)
    assert [band.limit for band in rule.bands] == [D("1.0"), D("0.9"), D("0.8"), D("0.7")]
