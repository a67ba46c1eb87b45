"""A project table written in every way the issue found in published tables, scored by the
`score` command and by the API: one result, explained item by item.

Expected scores are worked out by hand in the comments (Decimal arithmetic in the asserts).
"""

import json
from decimal import Decimal as D
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from rubrics.engine.io import parse_request
from rubrics.engine.scoring import Result, score
from rubrics.library_files import library_rubric
from tests.conftest import Cast

CASE = Path(__file__).parent / "cases" / "written-every-way.json"
RUBRIC = "yueyang-2023-project"


@pytest.fixture(scope="module")
def result() -> Result:
    data = json.loads(CASE.read_text(encoding="utf-8"))
    inputs, claimed = parse_request(data)
    return score(library_rubric(RUBRIC), inputs, claimed)


def by_name(result: Result) -> dict[str, Any]:
    return {item.name: item for item in result.items}


def test_the_command_and_the_api_give_the_same_result(cast: Cast) -> None:
    out = StringIO()
    call_command("score", RUBRIC, str(CASE), stdout=out)
    from_command = json.loads(out.getvalue())
    response = cast.client_for("reviewer").post(
        reverse("rubrics-api:score", kwargs={"rubric_id": RUBRIC}),
        data=CASE.read_text(encoding="utf-8"),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == from_command
    assert from_command["declared_weight"] == "120"
    assert [row["name"] for row in from_command["unmatched"]] == ["未归类的行"]


def test_percentages_beside_plain_numbers(result: Result) -> None:
    items = by_name(result)
    # 「≥95%」 vs 「90」: 90% of 95% → 10 × 0.9 ÷ 0.95 (not full marks as 90 ≥ 0.95)
    assert items["参训率"].score == D(10) * D("0.9") / D("0.95")
    assert "完成值「90」按 90% 读（另一方为百分数）" in items["参训率"].explanation
    # 「100」 vs 「95%」: 95% of 100% → 9.5 (not 0.10 as 0.95 ÷ 100)
    assert items["验收合格率"].score == D("9.5")
    # 「≥95%」 vs 「0.96」: 96% or 0.96%? Not scored, flagged.
    assert items["成本控制率"].score is None
    assert items["成本控制率"].flag.startswith("口径不一致，需人工确认")


def test_scale_words_durations_and_annotations(result: Result) -> None:
    items = by_name(result)
    assert items["培训人次"].score == 8  # 20000 ÷ 25000 × 10 (was full marks)
    assert items["办结时限"].score == D("7.5")  # at most 3 months, took 4: 3 ÷ 4 × 10
    assert items["资金拨付率"].score == 10  # 「≥90%；」 vs 「100%（含）」
    assert items["群众满意度"].score == D("4.75")  # 「约100%」 vs 「95百分比」 + zero-width space
    assert items["人均培训成本"].score == 5  # 4.5万 ≤ 5万


def test_lower_is_better_names_are_scored_that_way_and_say_why(result: Result) -> None:
    items = by_name(result)
    control = items["财政供养人员控制率"]
    assert control.score == 10  # 96% ≤ 100% (was 9.6, higher-is-better)
    assert "按“越低越好”计分（名称含“控制率”）" in control.explanation
    assert items["预算调整率"].score == D("6.25")  # 5% ÷ 8% × 10
    assert items["结转结余率"].score == 10  # 4% ≤ 10%


def test_a_row_with_no_direction_is_judged_with_the_reason(result: Result) -> None:
    item = by_name(result)["业务工作支出安排金额"]
    assert item.kind == "qualitative" and item.score == 5  # the claimed 5, judged
    assert "无法判断越高越好还是越低越好" in item.explanation


def test_garbled_text_is_flagged_not_taken_at_face_value(result: Result) -> None:
    item = by_name(result)["培训次数"]
    assert item.score is None
    assert item.flag == "指标值「到0次」无法识别（数字前的「到」无法识别），需人工确认"


def test_achievement_words_count_in_the_tier_check(result: Result) -> None:
    item = by_name(result)["服务质量"]
    # 「达标」 is 达成年度指标 (80%–100%): 3 of 5 is 60%, outside the tier.
    assert item.flag is not None and "属「达成年度指标」档" in item.flag


def test_declared_weights_above_the_total_are_shown_and_scored_within_the_rubric(
    result: Result,
) -> None:
    # Rows 110 (unmatched 5 aside) for a family of 90, 预算执行率 10: 120 declared of 100.
    assert result.declared_weight == 120
    assert "申报分值合计 120，超过评分表总分 100" in result.total_explanation
    subtotal = result.subtotal("绩效指标")
    scored = sum((item.score for item in result.items if item.parent == "2" and item.score), D(0))
    assert subtotal.score == scored * D(90) / D(110)
    assert "按本项分值折算" in subtotal.explanation


def test_sanity_warnings_name_the_item(result: Result) -> None:
    assert "表彰事项（commendations）第 1 项为空（null），未计入" in result.warnings
    assert (
        "分资金来源的全年执行数（budget_executed）合计 300（当年财政拨款 300 + 上年结转 0 + "
        "其他资金 0），与年度资金总额 320 不一致" in result.warnings
    )
    assert any("「保障指标」不在评分表" in warning for warning in result.warnings)


def test_the_table_shows_the_working_the_unmatched_rows_and_the_declared_sum(db: None) -> None:
    out = StringIO()
    call_command("score", RUBRIC, str(CASE), "--format", "table", stdout=out)
    table = out.getvalue()
    assert "未归入评分表的申报指标" in table
    assert "申报分值合计 120，超过评分表总分 100，各一级指标在评分表规定的分值内计分" in table
    assert "按“越低越好”计分（名称含“调整率”）" in table
