"""整体绩效自评基础数据表: every block saves through the generic view and checks itself."""

from datetime import date
from decimal import Decimal

import pytest

from evaluations.selectors.evaluations import evaluation_metrics
from tests.conftest import Cast
from tests.evaluations.helpers_tables import messages_of, save, table_url, values_of

SECTIONS = [
    (
        "basic.targets",
        {"overall_target": "社会消费品零售总额增长10%左右", "overall_completion": "增长8.4%"},
        {"overall_target": "社会消费品零售总额增长10%左右", "overall_completion": "增长8.4%"},
    ),
    (
        "basic.project_targets",
        {"due_count": "14", "due_amount": "3954", "declared_count": "14", "approved_count": "14"},
        {"due_count": 14, "due_amount": Decimal("3954"), "approved_count": 14},
    ),
    (
        "basic.disclosures",
        {
            "budget_published": "true",
            "budget_on": "2019-02-15",
            "budget_url": "https://www.zhanjiang.gov.cn/ziswj/gkmlpt/index#488",
            "self_evaluation_published": "false",
        },
        {"budget_on": date(2019, 2, 15), "self_evaluation_published": False},
    ),
    (
        "basic.assets",
        {
            "internal_rules": "true",
            "fixed_assets_total": "1863.39",
            "fixed_assets_in_use": "1862.39",
        },
        {"internal_rules": True, "fixed_assets_total": Decimal("1863.39")},
    ),
    (
        "basic.organisation",
        {"project_count": "23", "new_projects": "1", "continued_projects": "22", "adjusted": "1"},
        {"project_count": 23, "new_projects": 1, "continued_projects": 22, "adjusted": 1},
    ),
    (
        "basic.spending",
        {
            "three_public_budget": "127.98",
            "three_public_actual": "109.28",
            "three_public_rate_stated": "85.39",
        },
        {
            "three_public_actual": Decimal("109.28"),
            "three_public_rate_stated_pct": Decimal("85.39"),
        },
    ),
    (
        "basic.work",
        {"party_inspection_score": "99.89", "projects_planned": "23", "projects_on_time": "23"},
        {"party_inspection_score": Decimal("99.89"), "projects_on_time": 23},
    ),
    (
        "basic.benefits",
        {"social_economic_benefits": "进出口货物运量7775万吨"},
        {"social_economic_benefits": "进出口货物运量7775万吨"},
    ),
    (
        "basic.fairness",
        {"has_feedback_channel": "true", "complaints_received": "0", "satisfaction": "95"},
        {"has_feedback_channel": True, "complaints_received": 0, "satisfaction": Decimal("0.95")},
    ),
    (
        "basic.revenue",
        {"prior_carryover": "75.87", "actual_revenue": "4186.81", "procurement_actual": "613.0894"},
        {"actual_revenue": Decimal("4186.81"), "procurement_actual": Decimal("613.0894")},
    ),
]


@pytest.mark.parametrize(("key", "fields", "expected"), SECTIONS)
def test_it_saves_each_section_through_the_generic_view(
    cast: Cast, key: str, fields: dict[str, str], expected: dict[str, object]
) -> None:
    prefix = key.replace(".", "-").replace("_", "-")
    response = save(cast, key, {f"{prefix}-{name}": value for name, value in fields.items()})
    assert response.status_code == 200, response.content.decode()
    values = values_of(cast)
    assert {name: values[name] for name in expected} == expected


def test_it_shows_the_unit_name_and_nature_read_only(cast: Cast) -> None:
    body = cast.client_for("filler_a").get(table_url(cast, "basic")).content.decode()
    assert '<dd class="computed">甲市商务局</dd>' in body
    assert '<dd class="computed">行政单位</dd>' in body
    assert 'name="basic-unit-name"' not in body


def test_it_recomputes_the_control_rates_live(cast: Cast) -> None:
    response = save(
        cast,
        "basic.spending",
        {
            "basic-spending-three_public_budget": "127.98",
            "basic-spending-three_public_actual": "109.28",
            "basic-spending-public_funds_budget": "138.6",
            "basic-spending-public_funds_actual": "71.97",
        },
    )
    body = response.content.decode()
    assert 'id="basic-spending-rates" hx-swap-oob="true"' in body
    assert "85.39%" in body and "51.93%" in body


def test_it_shows_the_revenue_metrics_in_the_section(cast: Cast) -> None:
    save(
        cast,
        "basic.revenue",
        {
            "basic-revenue-prior_carryover": "75.87",
            "basic-revenue-actual_revenue": "4186.81",
            "basic-revenue-actual_expenditure": "4165.93",
            "basic-revenue-year_end_carryover": "96.76",
            "basic-revenue-procurement_planned": "769.1121",
            "basic-revenue-procurement_actual": "613.0894",
        },
    )
    body = cast.client_for("filler_a").get(table_url(cast, "basic")).content.decode()
    section = body[body.index('id="basic-revenue-rates"') :]
    for shown in ("整体支出完成率", "97.73%", "结转结余率", "2.27%", "政府采购执行率", "79.71%"):
        assert shown in section


def test_a_percentage_is_typed_and_shown_as_a_percentage(cast: Cast) -> None:
    save(cast, "basic.fairness", {"basic-fairness-satisfaction": "95"})
    body = cast.client_for("filler_a").get(table_url(cast, "basic")).content.decode()
    assert 'name="basic-fairness-satisfaction" value="95"' in body


def test_it_flags_counts_and_percentages_out_of_range(cast: Cast) -> None:
    save(
        cast,
        "basic.work",
        {
            "basic-work-projects_planned": "23",
            "basic-work-projects_on_time": "24",
            "basic-work-targets_planned": "3",
            "basic-work-targets_achieved": "4",
            "basic-work-targets_rate_stated": "100",
        },
    )
    save(
        cast,
        "basic.fairness",
        {
            "basic-fairness-satisfaction": "120",
            "basic-fairness-complaints_received": "2",
            "basic-fairness-complaints_answered": "3",
        },
    )
    found = messages_of(cast)
    assert "按期完成项目数 24 个多于部门预算项目数 23 个。" in found
    assert "整体绩效目标实际实现数 4 个多于计划数 3 个。" in found
    assert "填报的整体绩效目标完成率 100.00% 与按实际实现数 ÷ 计划数计算的 133.33% 不符。" in found
    assert "满意度 120.00% 超过 100%。" in found
    assert "答复数量 3 个多于信访数量 2 个。" in found


def test_disclosure_dates_are_checked_against_the_fiscal_year(cast: Cast) -> None:
    save(
        cast,
        "basic.disclosures",
        {
            "basic-disclosures-budget_on": "2018-12-20",
            "basic-disclosures-final_accounts_on": "2019-09-19",
            "basic-disclosures-self_evaluation_on": "2019-11-30",
        },
    )
    found = messages_of(cast)
    assert "预算公开时间 2018-12-20 早于评价年度开始（2019-01-01）。" in found
    assert "自评信息公开时间 2019-11-30 不晚于评价年度结束（2019-12-31），自评尚未开展。" in found
    assert not [message for message in found if message.startswith("决算公开时间")]


def test_the_self_evaluation_is_disclosed_the_following_year(cast: Cast) -> None:
    save(cast, "basic.disclosures", {"basic-disclosures-self_evaluation_on": "2021-01-05"})
    assert "自评信息公开时间 2021-01-05 晚于评价次年年底（2020-12-31）。" in messages_of(cast)
    save(
        cast,
        "basic.disclosures",
        {"basic-disclosures-self_evaluation_on": "2020-09-07", "based_on": "1"},
    )
    assert not [m for m in messages_of(cast) if m.startswith("自评信息公开时间")]


def test_fixed_assets_in_use_cannot_exceed_the_total(cast: Cast) -> None:
    save(
        cast,
        "basic.assets",
        {"basic-assets-fixed_assets_total": "100", "basic-assets-fixed_assets_in_use": "120"},
    )
    assert "在用固定资产总额 120.00 万元超过固定资产总额 100.00 万元。" in messages_of(cast)


def test_spending_above_budget_is_a_warning(cast: Cast) -> None:
    save(
        cast,
        "basic.spending",
        {"basic-spending-three_public_budget": "100", "basic-spending-three_public_actual": "101"},
    )
    assert "三公经费实际支出数 101.00 万元超过预算安排数 100.00 万元。" in messages_of(cast)


def test_disclosures_are_the_data_dictionarys_list(cast: Cast) -> None:
    save(
        cast,
        "basic.disclosures",
        {
            "basic-disclosures-targets_published": "true",
            "basic-disclosures-targets_on": "2019-06-21",
            "basic-disclosures-targets_url": "zhanjiang.gov.cn/ziswj/",
        },
    )
    disclosures = values_of(cast)["disclosures"]
    assert [row["kind"] for row in disclosures] == [
        "self_evaluation",
        "budget",
        "final_accounts",
        "targets",
    ]
    assert disclosures[3] == {
        "kind": "targets",
        "label": "绩效目标",
        "anchor": "targets_on",
        "published": True,
        "published_on": date(2019, 6, 21),
        "url": "https://zhanjiang.gov.cn/ziswj/",
    }


def test_key_task_counts_give_the_completion_rate_and_its_checks(cast: Cast) -> None:
    response = save(
        cast,
        "basic.work",
        {
            "basic-work-key_tasks_total": "12",
            "basic-work-key_tasks_done": "11",
            "basic-work-key_work_rate_stated": "100",
        },
    )
    assert "91.67%" in response.content.decode()  # 重点工作完成率（计算）, live
    metrics = {metric.key: metric for metric in evaluation_metrics(values_of(cast))}
    assert metrics["key_task_completion_rate"].value == Decimal(11) / Decimal(12)
    found = messages_of(cast)
    assert "填报的重点工作完成率 100.00% 与按实际完成数 ÷ 重点工作总数计算的 91.67% 不符。" in found
    save(
        cast,
        "basic.work",
        {"based_on": "1", "basic-work-key_tasks_total": "12", "basic-work-key_tasks_done": "13"},
    )
    assert "重点工作实际完成数 13 个多于重点工作总数 12 个。" in messages_of(cast)
