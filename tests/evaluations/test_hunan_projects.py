"""湖南 tables and project evaluations: autosave through the generic view, per-project isolation,
the rules on seed 003 / 004 as published, and a page whose queries do not grow with its rows."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from departments.models import Department
from evaluations.demo.figures import hunan as hunan_figures
from evaluations.models import (
    Campaign,
    Evaluation,
    HunanOverall,
    Indicator,
    ProjectEvaluation,
    SectionState,
)
from evaluations.selectors.checks import evaluation_violations
from evaluations.selectors.evaluations import evaluation_values
from tests.conftest import Cast
from tests.evaluations.helpers_tables import page_queries
from tests.factories import (
    CampaignFactory,
    EvaluationFactory,
    project_of,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def hunan_cast(cast: Cast) -> Cast:
    cast.campaign.table_set = Campaign.TableSet.HUNAN_OVERALL
    cast.campaign.save()
    return cast


def save_url(cast: Cast, key: str, evaluation: Evaluation | None = None) -> str:
    return reverse(
        "department:section_save",
        kwargs={
            "department": cast.department_a.slug,
            "pk": (evaluation or cast.evaluation_a).pk,
            "key": key,
        },
    )


def project_url(cast: Cast, project: ProjectEvaluation) -> str:
    return reverse(
        "department:project",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "project_pk": project.pk,
        },
    )


def in_scope_a(cast: Cast) -> Any:
    return scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk)


def indicator_post(prefix: str, rows: list[dict[str, str]], *, initial: int = 0) -> dict[str, str]:
    data = {
        "based_on": "0",
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def test_it_saves_the_overall_funds_and_shows_the_rate_live(hunan_cast: Cast) -> None:
    prefix = "hunan-overall-funds"
    data = {
        "based_on": "0",
        f"{prefix}-budget_initial": "2161.19",
        f"{prefix}-budget_full_year": "4128.02",
        f"{prefix}-budget_executed": "3995.49",
        f"{prefix}-funds_weight": "10",
        f"{prefix}-execution_rate_stated": "96.00",
        f"{prefix}-funds_score": "9.60",
    }
    response = hunan_cast.client_for("filler_a").post(
        save_url(hunan_cast, "hunan_overall.funds"), data, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="hunan-overall-funds-computed" hx-swap-oob="true"' in body
    assert "96.79%" in body and "9.68" in body
    assert "执行率填报为 96.00%，按全年执行数 ÷ 全年预算数计算为 96.79%。" in body
    with in_scope_a(hunan_cast):
        row = HunanOverall.objects.get(evaluation=hunan_cast.evaluation_a)
    assert row.budget_executed == Decimal("3995.49")
    assert row.execution_rate_stated == Decimal("96.00")


def test_it_saves_indicator_rows_in_order_and_skips_the_blank_one(hunan_cast: Cast) -> None:
    prefix = "hunan-overall-indicators"
    rows = [
        {
            "level1": "产出指标",
            "name": "新设外资企业",
            "target": "≥20",
            "actual": "24",
            "weight": "10",
            "score": "10",
        },
        {
            "level1": "满意度指标",
            "name": "服务对象满意度",
            "target": "95%以上",
            "actual": "完成",
            "weight": "10",
            "score": "10",
        },
        {},
    ]
    response = hunan_cast.client_for("filler_a").post(
        save_url(hunan_cast, "hunan_overall.indicators"), indicator_post(prefix, rows), **HTMX
    )
    assert response.status_code == 200
    with in_scope_a(hunan_cast):
        saved = list(Indicator.objects.filter(evaluation=hunan_cast.evaluation_a))
    assert [(row.name, row.position, row.project) for row in saved] == [
        ("新设外资企业", 0, None),
        ("服务对象满意度", 1, None),
    ]


def test_a_row_marked_for_deletion_goes_and_the_rest_renumber(hunan_cast: Cast) -> None:
    prefix = "hunan-overall-indicators"
    with in_scope_a(hunan_cast):
        first, second = (
            Indicator.objects.create(
                evaluation=hunan_cast.evaluation_a, position=n, name=name, weight=Decimal(10)
            )
            for n, name in enumerate(("经济成本指标", "社会成本指标"))
        )
    rows = [
        {"id": str(first.pk), "name": "经济成本指标", "weight": "10", "DELETE": "on"},
        {"id": str(second.pk), "name": "社会成本指标", "weight": "10"},
    ]
    response = hunan_cast.client_for("filler_a").post(
        save_url(hunan_cast, "hunan_overall.indicators"),
        indicator_post(prefix, rows, initial=2),
        **HTMX,
    )
    assert response.status_code == 200
    with in_scope_a(hunan_cast):
        assert list(Indicator.objects.values_list("name", "position")) == [("社会成本指标", 0)]


def test_the_hunan_tables_render(hunan_cast: Cast) -> None:
    client = hunan_cast.client_for("filler_a")
    pages = (
        ("hunan-basic", "经费控制情况(万元)"),
        ("hunan-overall", "绩效指标"),
        ("hunan-overall", 'id="hunan-overall-funds-computed"'),  # the rate, shown before a save
    )
    for table, text in pages:
        url = reverse(
            "department:evaluation_table",
            kwargs={
                "department": hunan_cast.department_a.slug,
                "pk": hunan_cast.evaluation_a.pk,
                "table": table,
            },
        )
        response = client.get(url)
        assert response.status_code == 200
        assert text in response.content.decode()


def test_a_filler_adds_a_project_and_lands_on_its_page(cast: Cast) -> None:
    url = reverse(
        "department:project_add",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
    )
    response = cast.client_for("filler_a").post(
        url, {"name": "食品风险基金", "implementing_unit": "岳阳市商务局本级"}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "项目支出绩效自评表：食品风险基金" in body
    assert "项目资金(万元)" in body and "其中:当年财政拨款" in body
    with in_scope_a(cast):
        project = ProjectEvaluation.objects.get(evaluation=cast.evaluation_a)
    assert project.implementing_unit == "岳阳市商务局本级"


def test_the_projects_table_lists_projects_with_an_add_form(cast: Cast) -> None:
    project_of(cast.evaluation_a, name="招商引资资金")
    project_of(cast.evaluation_b, name="乙的项目")
    url = reverse(
        "department:evaluation_table",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "table": "projects",
        },
    )
    body = cast.client_for("filler_a").get(url).content.decode()
    assert "招商引资资金" in body and "新增项目" in body
    assert "乙的项目" not in body


def test_a_head_may_not_add_a_project(cast: Cast) -> None:
    url = reverse(
        "department:project_add",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
    )
    assert cast.client_for("head_a").post(url, {"name": "x"}).status_code == 403


def test_project_sections_save_through_the_generic_view(cast: Cast) -> None:
    project = project_of(cast.evaluation_a, name="现代服务业资金")
    key, prefix = f"project.{project.pk}.funds", f"project-{project.pk}-funds"
    data = {
        "based_on": "0",
        f"{prefix}-current_full_year": "320",
        f"{prefix}-budget_full_year": "320",
        f"{prefix}-budget_executed": "300",
        f"{prefix}-funds_weight": "10",
        f"{prefix}-execution_rate_stated": "100.00",
        f"{prefix}-funds_score": "10",
    }
    response = cast.client_for("filler_a").post(save_url(cast, key), data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="1" id="{prefix}-version"' in body
    assert "93.75%" in body  # 300 / 320, re-rendered out of band
    assert "执行率填报为 100.00%，按全年执行数 ÷ 全年预算数计算为 93.75%。" in body
    # The rubric engine's score, refreshed with the save: 10 × 93.75% = 9.375, shown 9.38.
    assert "10 × 93.75% = 9.38 分" in body
    assert "预算执行得分填报为 10.00，按分值 × 执行率计算为 9.38。" in body
    with in_scope_a(cast):
        project.refresh_from_db()
        assert project.budget_executed == Decimal(300)
        assert SectionState.objects.get(evaluation=cast.evaluation_a, key=key).version == 1


def test_a_stale_project_save_is_refused_and_shows_the_saved_value(cast: Cast) -> None:
    project = project_of(cast.evaluation_a, name="招商引资资金")
    key, prefix = f"project.{project.pk}.info", f"project-{project.pk}-info"
    first, second = cast.client_for("filler_a"), cast.client_for("filler_a")
    saved = first.post(save_url(cast, key), {"based_on": "0", f"{prefix}-name": "甲名"}, **HTMX)
    assert saved.status_code == 200
    refused = second.post(save_url(cast, key), {"based_on": "0", f"{prefix}-name": "乙名"}, **HTMX)
    assert refused.status_code == 409
    flat = refused.content.decode().replace("\n", "").replace("  ", "")
    assert "<td>项目支出名称</td><td>甲名</td><td>乙名</td>" in flat  # theirs, then mine
    assert f'href="{project_url(cast, project)}#{prefix}"' in flat


def test_without_htmx_an_invalid_project_save_shows_its_errors(cast: Cast) -> None:
    project = project_of(cast.evaluation_a, name="食品风险基金")
    prefix = f"project-{project.pk}-funds"
    response = cast.client_for("filler_a").post(
        save_url(cast, f"project.{project.pk}.funds"),
        {"based_on": "0", f"{prefix}-budget_executed": "一百"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "未保存：请改正以下问题。" in body and 'value="一百"' in body


def test_project_indicator_rows_belong_to_their_project(cast: Cast) -> None:
    first = project_of(cast.evaluation_a)
    second = project_of(cast.evaluation_a)
    prefix = f"project-{first.pk}-indicators"
    rows = [
        {
            "level1": "产出指标",
            "name": "展会",
            "target": "≥3",
            "actual": "3",
            "weight": "10",
            "score": "10",
        }
    ]
    response = cast.client_for("filler_a").post(
        save_url(cast, f"project.{first.pk}.indicators"), indicator_post(prefix, rows), **HTMX
    )
    assert response.status_code == 200
    with in_scope_a(cast):
        assert list(Indicator.objects.values_list("project", flat=True)) == [first.pk]
        assert not second.indicators.exists()


def test_another_departments_project_is_not_found_under_my_url(cast: Cast) -> None:
    theirs = project_of(cast.evaluation_b)
    client = cast.client_for("filler_a")
    assert client.get(project_url(cast, theirs)).status_code == 404
    response = client.post(
        save_url(cast, f"project.{theirs.pk}.funds"),
        {"based_on": "0", f"project-{theirs.pk}-budget_executed": "1"},
        **HTMX,
    )
    assert response.status_code == 404
    with scopes_disabled():
        theirs.refresh_from_db()
    assert theirs.budget_executed is None


def test_a_project_of_another_evaluation_is_not_found_under_this_one(cast: Cast) -> None:
    other_year = EvaluationFactory(
        campaign=CampaignFactory(jurisdiction=cast.bureau, fiscal_year=2020),
        department=cast.department_a,
    )
    project = project_of(other_year)
    assert cast.client_for("filler_a").get(project_url(cast, project)).status_code == 404


def test_the_project_page_queries_do_not_grow_with_its_rows(cast: Cast) -> None:
    def queries_with(rows: int) -> int:
        project = project_of(cast.evaluation_a)
        with scopes_disabled():
            Indicator.objects.bulk_create(
                Indicator(
                    evaluation=cast.evaluation_a,
                    project=project,
                    position=n,
                    name=f"指标{n}",
                    target="≥10",
                    actual="12",
                    weight=Decimal(1),
                    score=Decimal(1),
                )
                for n in range(rows)
            )
        count = page_queries(cast.client_for("filler_a"), project_url(cast, project))
        with scopes_disabled():
            project.delete()
        return count

    assert queries_with(5) == queries_with(50)


def test_the_overview_queries_do_not_grow_with_the_projects(cast: Cast) -> None:
    url = reverse(
        "department:evaluation",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
    )
    client = cast.client_for("filler_a")

    project_of(cast.evaluation_a)
    one = page_queries(client, url)
    for _n in range(4):
        project_of(cast.evaluation_a)
    assert page_queries(client, url) == one


# The seeds as published: what the checks panel says about them.


def seeded(cast: Cast, slug: str, year: int, table_set: str) -> Evaluation:
    department = Department.objects.create(jurisdiction=cast.bureau, slug=slug, name=slug)
    campaign = Campaign.objects.create(
        jurisdiction=cast.bureau, fiscal_year=year, title=str(year), table_set=table_set
    )
    evaluation = Evaluation.objects.create(campaign=campaign, department=department)
    with scopes_disabled():
        hunan_figures.load(evaluation)
        return Evaluation.objects.get(pk=evaluation.pk)  # as a request reads it, from the database


def messages_of(evaluation: Evaluation) -> dict[str, list[str]]:
    with scopes_disabled():
        violations = evaluation_violations(evaluation, evaluation_values(evaluation))
    found: dict[str, list[str]] = {}
    for violation in violations:
        found.setdefault(violation.section, []).append(violation.message)
    return found


def test_the_rules_flag_seed_003_as_published(cast: Cast) -> None:
    evaluation = seeded(cast, "yueyang-commerce", 2023, Campaign.TableSet.HUNAN_OVERALL)
    tables = {
        key: found for key, found in messages_of(evaluation).items() if key.startswith("hunan")
    }
    assert tables == {
        "hunan_basic.staffing": ["控制率填报为 94.00%，按实际在职人数 ÷ 编制数计算为 94.64%。"],
        "hunan_basic.three_public": [
            "2023年预算数：三公经费 55.77 万元，而公务用车购置和维护经费、出国经费、公务接待合计 "
            "32.80 万元。"
        ],
        "hunan_overall.funds": [
            "执行率填报为 96.00%，按全年执行数 ÷ 全年预算数计算为 96.79%。",
            "预算执行得分填报为 9.60，按分值 × 执行率计算为 9.68。",
        ],
        "hunan_overall.total": [
            "预算执行与各项指标的分值合计 110.00，与总分 100.00 不一致。",
            "预算执行与各项指标的得分合计 109.60，与填报的总得分 100.00 不一致。",
        ],
    }


def test_seed_003_projects_add_up(cast: Cast) -> None:
    evaluation = seeded(cast, "yueyang-commerce", 2023, Campaign.TableSet.HUNAN_OVERALL)
    with scopes_disabled():
        projects = list(
            ProjectEvaluation.objects.filter(evaluation=evaluation).values_list("name", flat=True)
        )
        rows = Indicator.objects.filter(evaluation=evaluation, project__isnull=False).count()
    assert projects == ["现代服务业资金", "招商引资资金", "食品风险基金"]
    assert rows == 9 + 9 + 7
    assert not [key for key in messages_of(evaluation) if key.startswith("project.")]


def test_seed_004_shows_what_the_report_does_not_publish(cast: Cast) -> None:
    evaluation = seeded(cast, "jiangmen-commerce", 2022, Campaign.TableSet.PROJECT_ONLY)
    with scopes_disabled():
        project = ProjectEvaluation.objects.get(evaluation=evaluation)
    assert (project.name, project.total_score) == ("内外经贸发展与口岸建设管理经费", Decimal(98))
    found = messages_of(evaluation)
    assert found[f"project.{project.pk}.indicators"] == ["请至少填写一行绩效指标。"]
    assert "请填写总分的分值。" in found[f"project.{project.pk}.total"]


def test_loading_twice_changes_nothing(cast: Cast) -> None:
    evaluation = seeded(cast, "yueyang-commerce", 2023, Campaign.TableSet.HUNAN_OVERALL)
    with scopes_disabled():
        hunan_figures.load(evaluation)
        assert ProjectEvaluation.objects.filter(evaluation=evaluation).count() == 3
        assert Indicator.objects.filter(evaluation=evaluation).count() == 11 + 25


# Rules over rows


def project_with(cast: Cast, rows: list[dict[str, Any]], **funds: Any) -> ProjectEvaluation:
    project = project_of(cast.evaluation_a, **funds)
    with scopes_disabled():
        for position, row in enumerate(rows):
            Indicator.objects.create(
                evaluation=cast.evaluation_a, project=project, position=position, **row
            )
    return project


def project_messages(cast: Cast, project: ProjectEvaluation, family: str) -> list[str]:
    return messages_of(cast.evaluation_a).get(f"project.{project.pk}.{family}", [])


def test_a_missed_target_needs_a_deviation_note(cast: Cast) -> None:
    missed = {"name": "参展企业", "target": "≥20家", "actual": "18家"}
    project = project_with(
        cast,
        [
            missed,
            {"name": "活动", "target": "年底前", "actual": "部分完成"},
            {"name": "满意度", "target": "95%以上", "actual": "96%"},
            {**missed, "name": "已说明", "deviation_note": "受疫情影响"},
        ],
    )
    assert project_messages(cast, project, "indicators") == [
        "第 1 行「参展企业」：实际完成值未达到年度指标值，请填写偏差原因分析及改进措施。",
        "第 2 行「活动」：实际完成值未达到年度指标值，请填写偏差原因分析及改进措施。",
    ]


def test_a_score_above_its_weight_is_an_error(cast: Cast) -> None:
    project = project_with(
        cast, [{"name": "展会", "weight": Decimal(10), "score": Decimal(12), "actual": "完成"}]
    )
    assert project_messages(cast, project, "indicators") == [
        "第 1 行「展会」：得分 12.00 超过分值 10.00。"
    ]


def test_sources_must_add_up_and_the_rate_stay_within_100(cast: Cast) -> None:
    project = project_with(
        cast,
        [],
        current_full_year=Decimal(100),
        carryover_full_year=Decimal(20),
        budget_full_year=Decimal(100),
        budget_executed=Decimal(110),
        funds_weight=Decimal(10),
        execution_rate_stated=Decimal(110),
    )
    assert project_messages(cast, project, "funds") == [
        "全年预算数：当年财政拨款、上年结转、其它资金合计 120.00 万元，与年度资金总额 100.00 万元不一致。",
        "执行率 110.00% 超过 100%。",
        "全年执行数超过全年预算数，执行率超过 100%，请核对。",
    ]
