"""Project evaluations scored by their campaign's project rubric: the rubric chosen, the inputs
gathered from the rows, the seeds' figures recomputed by hand, and the page that shows them."""

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.models import Campaign, Evaluation, Indicator, ProjectEvaluation
from evaluations.scoring.projects import (
    ProjectScoring,
    fresh_project_scoring,
    project_inputs,
    project_rubric,
)
from rubrics.selectors import latest_rubric
from tests.conftest import Cast
from tests.evaluations.helpers_tables import page_queries
from tests.evaluations.test_hunan_projects import (
    HTMX,
    indicator_post,
    messages_of,
    project_url,
    save_url,
    seeded,
)
from tests.factories import CampaignFactory, project_of

D = Decimal

# A quantitative row that falls short: 10 × 18 ÷ 20 = 9, where the department claims 10.
SHORT_ROW = {
    "level1": "产出指标",
    "level2": "数量指标",
    "name": "参展企业",
    "target": "≥20家",
    "actual": "18家",
    "weight": D(10),
    "score": D(10),
}


def project_with(
    evaluation: Evaluation, rows: list[dict[str, Any]], **fields: Any
) -> ProjectEvaluation:
    with scopes_disabled():
        project = project_of(evaluation, **fields)
        Indicator.objects.bulk_create(
            Indicator(evaluation=evaluation, project=project, position=n, **row)
            for n, row in enumerate(rows)
        )
    return project


def scored(evaluation: Evaluation, project: ProjectEvaluation) -> ProjectScoring:
    with scopes_disabled():
        scoring = fresh_project_scoring(Evaluation.objects.get(pk=evaluation.pk), project.pk)
    assert scoring is not None
    return scoring


def seed_projects(evaluation: Evaluation) -> dict[str, ProjectScoring]:
    with scopes_disabled():
        projects = list(ProjectEvaluation.objects.filter(evaluation=evaluation))
    return {project.name: scored(evaluation, project) for project in projects}


# Which rubric


def test_a_campaign_scores_projects_with_its_own_rubric_else_its_table_sets_else_the_national(
    cast: Cast,
) -> None:
    with scopes_disabled():
        national = CampaignFactory(table_set=Campaign.TableSet.PROJECT_ONLY)
        hunan = CampaignFactory(table_set=Campaign.TableSet.HUNAN_OVERALL)
        chosen = CampaignFactory(
            table_set=Campaign.TableSet.HUNAN_OVERALL,
            project_rubric=latest_rubric("mof-2020-project"),
        )
    assert [
        rubric.rubric_id if (rubric := project_rubric(c)) else None
        for c in (national, hunan, chosen, cast.campaign)
    ] == ["mof-2020-project", "yueyang-2023-project", "mof-2020-project", "mof-2020-project"]


def test_the_inputs_are_the_data_dictionarys(cast: Cast) -> None:
    project = project_with(
        cast.evaluation_a,
        [SHORT_ROW, {**SHORT_ROW, "level1": ""}],
        current_full_year=D(80),
        other_full_year=D(20),
        budget_full_year=D(100),
        budget_executed=D("93.65"),
    )
    with scopes_disabled():
        inputs = project_inputs(project, project.indicators.all())
    assert inputs["budget_full_year"] == D(100) and inputs["budget_executed"] == D("93.65")
    assert "budget_initial" not in inputs  # left blank: not an input
    assert [source["budget_full_year"] for source in inputs["funds_by_source"]] == [
        D(80),
        None,
        D(20),
    ]
    # The row without a 一级指标 cannot be filed under the rubric; the other claims its 得分.
    assert [(row["name"], row["claimed"]) for row in inputs["indicators"]] == [("参展企业", D(10))]


# The seeds, recomputed by hand


def test_seed_003_projects_score_as_computed_by_hand(cast: Cast) -> None:
    evaluation = seeded(cast, "yueyang-commerce", 2023, Campaign.TableSet.HUNAN_OVERALL)
    found = seed_projects(evaluation)
    # 预算执行率 = 10 × 全年执行数 ÷ 全年预算数, at most 10: 320/320, 115/115, 100/100.
    assert {name: s.funds.score if s.funds else None for name, s in found.items()} == {
        "现代服务业资金": D(10),
        "招商引资资金": D(10),
        "食品风险基金": D(10),
    }
    food = found["食品风险基金"]
    assert food.rubric.rubric_id == "yueyang-2023-project"
    assert food.funds is not None
    assert food.funds.explanation.endswith(" = 100.00%；10 × 100.00% = 10 分")
    # Its rows are qualitative (「完成」): each keeps the claimed 得分, 20 + 20 + 10 × 5 = 90.
    assert [row.item.score if row.item else None for row in food.rows] == [
        D(20),
        D(20),
        D(10),
        D(10),
        D(10),
        D(10),
        D(10),
    ]
    assert food.result.subtotal("绩效指标").score == D(90)
    # 10 + 90 = 100 = the stated 总分, graded 优: seed 003's project sheets follow their rule.
    for scoring in found.values():
        assert (scoring.result.total, scoring.result.grade) == (D(100), "优")
        assert scoring.result.claimed_total == D(100)
        assert scoring.flag_count == 0


def test_seed_004_states_a_total_its_report_does_not_let_anyone_check(cast: Cast) -> None:
    evaluation = seeded(cast, "jiangmen-commerce", 2022, Campaign.TableSet.PROJECT_ONLY)
    (scoring,) = seed_projects(evaluation).values()
    assert scoring.rubric.rubric_id == "mof-2020-project"
    assert scoring.funds is not None and scoring.funds.score is None  # no budget published
    assert (scoring.result.total, scoring.result.complete) == (D(0), False)
    assert (
        scoring.result.total_flag == "部分指标未评分，自评总分 98 分无法完全核实（已计算部分 0 分）"
    )
    assert scoring.flag_count == 1


# Rules


def test_the_execution_score_is_ten_times_the_rate_rounded_half_up_only_for_show(
    cast: Cast,
) -> None:
    project = project_with(
        cast.evaluation_a, [], budget_full_year=D(100), budget_executed=D("93.65")
    )
    scoring = scored(cast.evaluation_a, project)
    assert scoring.funds is not None
    assert scoring.funds.score == D("9.365")  # exact: 10 × 93.65%
    assert scoring.funds_score_shown == D("9.37")  # half up (half even would give 9.36)


def test_the_execution_score_is_capped_at_its_weight(cast: Cast) -> None:
    project = project_with(cast.evaluation_a, [], budget_full_year=D(100), budget_executed=D(110))
    funds = scored(cast.evaluation_a, project).funds
    assert funds is not None and funds.score == D(10)
    assert funds.explanation.endswith("10 × 110.00% = 11，超过分值，按 10 分计")


def test_a_claim_that_departs_from_the_rule_is_flagged(cast: Cast) -> None:
    project = project_with(
        cast.evaluation_a,
        [SHORT_ROW],
        budget_full_year=D("4128.02"),
        budget_executed=D("3995.49"),
        execution_rate_stated=D("96.00"),
        funds_score=D("9.60"),
        total_score=D(100),
    )
    scoring = scored(cast.evaluation_a, project)
    assert scoring.funds is not None
    assert scoring.funds.flag == (
        "自评 9.6 分，按规则计算为 9.68 分；填报预算执行率 96.00%，按公式计算为 96.79%"
    )
    (row,) = scoring.rows
    assert row.item is not None and row.item.score == D(9)
    assert row.flag == "自评 10 分，按规则计算为 9 分"
    # 9.68 (3995.49 ÷ 4128.02 × 10) + 9; 产出 50, 效益 30 and 满意度 10 lack rows: provisional.
    assert scoring.result.total == D(10) * D("3995.49") / D("4128.02") + D(9)
    assert scoring.result.total_flag is not None and "自评总分 100 分" in scoring.result.total_flag


def test_rows_the_rubric_cannot_score_say_why(cast: Cast) -> None:
    project = project_with(
        cast.evaluation_a,
        [
            {**SHORT_ROW, "level1": ""},
            {**SHORT_ROW, "level1": "成本指标"},  # not a family of 财预〔2020〕10号
            {**SHORT_ROW, "weight": None},
        ],
    )
    scoring = scored(cast.evaluation_a, project)
    assert [(row.item, row.flag) for row in scoring.rows] == [
        (None, "缺少一级指标，未计分"),
        (None, "一级指标「成本指标」不在评分表中，未计分"),
        (None, "缺少分值，未计分"),
    ]
    assert scoring.warnings[:2] == (
        "第 1 行「参展企业」：缺少一级指标，未计分",
        "第 3 行「参展企业」：缺少分值，未计分",
    )
    assert (
        "申报指标「参展企业」的一级指标「成本指标」不在评分表「mof-2020-project」中，未计分"
        in scoring.warnings
    )
    assert scoring.flag_count == 0  # nothing was claimed against a rule


def test_the_funds_check_compares_with_the_engines_score(cast: Cast) -> None:
    # No 分值 typed in: the hand-coded 分值 × 执行率 had nothing to compare; the rubric's 10 does.
    project = project_with(
        cast.evaluation_a,
        [],
        budget_full_year=D("4128.02"),
        budget_executed=D("3995.49"),
        funds_score=D("9.60"),
    )
    found = messages_of(cast.evaluation_a)[f"project.{project.pk}.funds"]
    assert "预算执行得分填报为 9.60，按分值 × 执行率计算为 9.68。" in found


# The page


def test_the_project_page_shows_computed_scores_working_and_flags(cast: Cast) -> None:
    project = project_with(
        cast.evaluation_a,
        [SHORT_ROW],
        budget_full_year=D(320),
        budget_executed=D(300),
        funds_score=D(10),
        total_score=D(100),
    )
    body = cast.client_for("filler_a").get(project_url(cast, project)).content.decode()
    # 预算执行率: 300 ÷ 320 = 93.75%, 10 × 93.75% = 9.375, shown 9.38.
    assert "= 93.75%；10 × 93.75% = 9.38 分" in body
    assert "自评 10 分，按规则计算为 9.38 分" in body
    assert f'id="project-{project.pk}-row-1"' in body
    assert "自评 10 分，按规则计算为 9 分" in body
    assert "指标值「≥20家」，完成值「18家」：未达到指标值，10 × 18 ÷ 20 = 9 分" in body
    # 9.375 + 9 = 18.375: 18.38, 差, provisional (产出 50 has 10 of its rows, 效益 and 满意度 none).
    assert "计算总分 18.38（差）" in body
    assert "自评总分 100.00" in body
    assert "部分指标未评分，自评总分 100 分无法完全核实（已计算部分 18.38 分）" in body


def test_the_seed_pages_show_their_scores(cast: Cast) -> None:
    evaluation = seeded(cast, "yueyang-commerce", 2023, Campaign.TableSet.HUNAN_OVERALL)
    with scopes_disabled():
        project = ProjectEvaluation.objects.get(evaluation=evaluation, name="招商引资资金")
    url = reverse(
        "department:project",
        kwargs={"department": "yueyang-commerce", "pk": evaluation.pk, "project_pk": project.pk},
    )
    body = cast.client_for("reviewer").get(url).content.decode()
    assert "= 100.00%；10 × 100.00% = 10 分" in body
    assert "计算总分 100.00（优）" in body and "自评与规则一致" in body
    assert "按评分表「岳阳市项目支出绩效自评表（2023 年度）」计算的绩效指标得分" in body


def test_a_save_refreshes_every_score_out_of_band(cast: Cast) -> None:
    project = project_with(cast.evaluation_a, [], budget_full_year=D(100), budget_executed=D(100))
    prefix = f"project-{project.pk}-indicators"
    rows = {key: str(value) for key, value in SHORT_ROW.items()}
    response = cast.client_for("filler_a").post(
        save_url(cast, f"project.{project.pk}.indicators"),
        indicator_post(prefix, [rows]),
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    for piece in ("summary", "funds-scoring", "rows-scoring", "total-scoring"):
        assert f'id="project-{project.pk}-{piece}" hx-swap-oob="true"' in body
    assert "自评 10 分，按规则计算为 9 分" in body  # the row just saved
    assert "计算总分 19.00（差）" in body  # 10 + 9


def test_the_project_page_queries_do_not_grow_with_its_rows(cast: Cast) -> None:
    client = cast.client_for("filler_a")

    def queries_with(count: int) -> int:
        rows = [{**SHORT_ROW, "name": f"指标{n}", "weight": D(1)} for n in range(count)]
        project = project_with(cast.evaluation_a, rows, budget_full_year=D(1), budget_executed=D(1))
        page = client.get(project_url(cast, project)).content.decode()
        assert f'id="project-{project.pk}-row-{count}"' in page
        queries = page_queries(client, project_url(cast, project))
        with scopes_disabled():
            project.delete()
        return queries

    assert queries_with(3) == queries_with(30)


def test_the_projects_table_queries_do_not_grow_with_scored_projects(cast: Cast) -> None:
    url = reverse(
        "department:evaluation_table",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "table": "projects",
        },
    )
    client = cast.client_for("filler_a")

    project_with(cast.evaluation_a, [SHORT_ROW], budget_full_year=D(1), budget_executed=D(1))
    one = page_queries(client, url)
    for _n in range(3):
        project_with(cast.evaluation_a, [SHORT_ROW] * 5, budget_full_year=D(1), funds_score=D(1))
    assert page_queries(client, url) == one


def test_the_projects_table_lists_each_projects_computed_and_claimed_totals(cast: Cast) -> None:
    project_with(
        cast.evaluation_a,
        [SHORT_ROW],
        name="广交会参展",
        budget_full_year=D("4128.02"),
        budget_executed=D("3995.49"),
        funds_score=D("9.60"),
        total_score=D(100),
    )
    url = reverse(
        "department:evaluation_table",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "table": "projects",
        },
    )
    body = cast.client_for("filler_a").get(url).content.decode()
    row = body[body.index("广交会参展") : body.index("</tr>", body.index("广交会参展"))]
    # 10 × 3995.49 ÷ 4128.02 = 9.68, plus 9 for 18 of ≥20 家 × 10: 18.68, provisional (差).
    assert "18.68（差，暂定）" in row
    assert "100.00" in row
    assert "处与规则不符" in row
