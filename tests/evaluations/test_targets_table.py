"""绩效目标申报情况汇总表: projects with attribute, period, amounts, basis and target."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from evaluations.models import TargetDeclaration
from tests.conftest import Cast
from tests.evaluations.helpers_tables import messages_of, rows, save, table_url

PREFIX = "targets-declarations"
PROJECTS = [
    {
        "name": "宝满边检营房建设资金",
        "attribute": "one_off",
        "applicant": "湛江边防检查站",
        "starts_on": "2019-01-01",
        "ends_on": "2019-12-31",
        "total_amount": "600",
        "city_funds": "600",
        "target": "支持湛江边检站宝满营房建设项目。",
    },
    {
        "name": "口岸单位工作经费",
        "attribute": "recurring",
        "starts_on": "2019-01-01",
        "ends_on": "2019-12-31",
        "total_amount": "270",
        "city_funds": "270",
    },
]


def saved(cast: Cast) -> list[TargetDeclaration]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        return list(TargetDeclaration.objects.filter(evaluation=cast.evaluation_a))


def test_it_saves_the_projects_and_totals_their_amounts(cast: Cast) -> None:
    response = save(cast, "targets.declarations", rows(PREFIX, [*PROJECTS, {}]))
    assert response.status_code == 200, response.content.decode()
    projects = saved(cast)
    assert [(p.position, p.name, p.attribute, p.city_funds) for p in projects] == [
        (1, "宝满边检营房建设资金", "one_off", Decimal("600")),
        (2, "口岸单位工作经费", "recurring", Decimal("270")),
    ]
    assert projects[0].ends_on == date(2019, 12, 31)
    assert 'id="targets-declarations-total-amount" hx-swap-oob="true">870.00<' in (
        response.content.decode()
    )


def test_a_row_needs_a_name_and_an_attribute(cast: Cast) -> None:
    response = save(cast, "targets.declarations", rows(PREFIX, [{"total_amount": "5"}]))
    assert response.status_code == 422
    assert not saved(cast)


def test_it_checks_each_projects_period_and_amounts_and_the_declared_count(cast: Cast) -> None:
    broken = {
        **PROJECTS[1],
        "starts_on": "2019-06-01",
        "ends_on": "2019-03-31",
        "city_funds": "300",
    }
    save(cast, "targets.declarations", rows(PREFIX, [PROJECTS[0], broken]))
    save(cast, "basic.project_targets", {"basic-project-targets-declared_count": "14"})
    found = messages_of(cast)
    assert "「口岸单位工作经费」完成时间 2019-03-31 早于开始时间 2019-06-01。" in found
    assert "「口岸单位工作经费」申请市财政资金 300.00 万元超过资金总额 270.00 万元。" in found
    assert "汇总表列出 2 个项目，与基础数据表的实际申报项目数 14 个不符。" in found


def test_the_page_runs_as_many_queries_for_50_rows_as_for_5(cast: Cast) -> None:
    def make(count: int) -> int:
        with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
            TargetDeclaration.objects.filter(evaluation=cast.evaluation_a).delete()
            TargetDeclaration.objects.bulk_create(
                TargetDeclaration(
                    evaluation=cast.evaluation_a,
                    position=position,
                    name=f"项目{position}",
                    attribute="recurring",
                    total_amount=Decimal(position),
                )
                for position in range(1, count + 1)
            )
        with CaptureQueriesContext(connection) as context:
            response = cast.client_for("filler_a").get(table_url(cast, "targets"))
            assert response.status_code == 200
        assert f"项目{count}" in response.content.decode()
        return len(context.captured_queries)

    assert make(5) == make(50)
