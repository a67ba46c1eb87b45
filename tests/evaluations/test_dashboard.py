"""The reviewer's campaign dashboard (bureau:campaign) and the summaries it lists."""

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from departments.roles import Role
from evaluations.models import Campaign, Evaluation, Transition
from evaluations.selectors.evaluations import evaluation_with_parts
from evaluations.services.summaries import evaluation_summary
from evaluations.services.workflow import evaluation_transition
from evaluations.tasks import summarize_on_commit
from evaluations.views import review as review_views
from tests.access import staffing
from tests.conftest import Cast
from tests.factories import DepartmentFactory, EvaluationFactory

State = Evaluation.State


def dashboard_url(cast: Cast, **params: str) -> str:
    url = reverse(
        "bureau:campaign", kwargs={"jurisdiction": cast.bureau.slug, "pk": cast.campaign.pk}
    )
    if params:
        url += "?" + "&".join(f"{name}={value}" for name, value in params.items())
    return url


def summarized(evaluation: Evaluation, **fields: Any) -> None:
    with scopes_disabled():
        Evaluation.objects.filter(pk=evaluation.pk).update(**fields)


def add_departments(cast: Cast, count: int, **fields: Any) -> list[Evaluation]:
    """`count` more departments of bureau A (乙000局, 乙001局 …), each with a draft evaluation."""
    with scopes_disabled():
        start = Evaluation.objects.filter(campaign=cast.campaign).count()
    made: list[Evaluation] = []
    for number in range(start, start + count):
        department = DepartmentFactory(jurisdiction=cast.bureau, name=f"乙{number:03d}局")
        made.append(
            EvaluationFactory.create(campaign=cast.campaign, department=department, **fields)
        )
    return made


def page(cast: Cast, **params: str) -> Any:
    response = cast.client_for("reviewer").get(dashboard_url(cast, **params))
    assert response.status_code == 200
    return response


def names(response: Any) -> list[str]:
    return [row.department for row in response.context["dashboard"].rows]


# --- counts, progress, overdue -------------------------------------------------------------------


def test_it_counts_the_evaluations_by_state_and_shows_progress(cast: Cast) -> None:
    summarized(cast.evaluation_a, state=State.SUBMITTED)
    add_departments(cast, 2, state=State.APPROVED)
    response = page(cast)
    dashboard = response.context["dashboard"]
    counts = {count.state: count.count for count in dashboard.counts}
    assert counts == {"draft": 1, "submitted": 1, "returned": 0, "approved": 2, "published": 0}
    assert (dashboard.total, dashboard.done, dashboard.percent) == (4, 3, 75)
    assert "已提交 3 / 4" in response.content.decode()


def test_it_lists_the_overdue_departments(cast: Cast) -> None:
    summarized(cast.evaluation_a, state=State.RETURNED)
    summarized(cast.evaluation_b, state=State.SUBMITTED)
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(
            due_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    response = page(cast)
    overdue = response.context["dashboard"].overdue
    assert [row.department for row in overdue] == ["甲市商务局"]
    assert "逾期未提交的部门（1）" in response.content.decode()


def test_nothing_is_overdue_before_the_deadline(cast: Cast) -> None:
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(due_on=timezone.localdate())
    assert page(cast).context["dashboard"].overdue == []


# --- sort and filter -----------------------------------------------------------------------------


def test_it_sorts_by_any_column_with_unknown_values_last(cast: Cast) -> None:
    summarized(cast.evaluation_a, computed_score=Decimal("71.5"), claimed_score=Decimal("90"))
    summarized(cast.evaluation_b, computed_score=Decimal("88"), claimed_score=Decimal("89"))
    late = add_departments(cast, 1)[0]  # never scored
    assert names(page(cast, sort="computed")) == ["甲市商务局", "甲市文化局", late.department.name]
    assert names(page(cast, sort="-computed")) == ["甲市文化局", "甲市商务局", late.department.name]
    # Claimed − computed: 18.5 against 1.
    assert names(page(cast, sort="-departure"))[:2] == ["甲市商务局", "甲市文化局"]
    assert names(page(cast, sort="departure"))[:2] == ["甲市文化局", "甲市商务局"]


def test_an_unknown_sort_falls_back_to_the_department_name(cast: Cast) -> None:
    assert names(page(cast, sort="-password")) == ["甲市商务局", "甲市文化局"]


def test_it_filters_by_state_text_lateness_and_overdue(cast: Cast) -> None:
    summarized(cast.evaluation_a, state=State.SUBMITTED, submitted_late=True)
    assert names(page(cast, state="submitted")) == ["甲市商务局"]
    assert names(page(cast, state="draft")) == ["甲市文化局"]
    assert names(page(cast, q="文化")) == ["甲市文化局"]
    assert names(page(cast, late="1")) == ["甲市商务局"]
    assert names(page(cast, overdue="1")) == []  # no deadline
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(due_on=datetime.date(2020, 1, 1))
    assert names(page(cast, overdue="1")) == ["甲市文化局"]
    # Counts and charts stay those of the whole campaign.
    assert page(cast, q="文化").context["dashboard"].total == 2


def test_the_sort_links_keep_the_filters(cast: Cast) -> None:
    columns = page(cast, q="文化", sort="computed").context["columns"]
    computed = next(column for column in columns if column["name"] == "computed")
    assert computed["sort"] == "ascending"
    assert "q=%E6%96%87%E5%8C%96" in computed["query"] and "sort=-computed" in computed["query"]


# --- export --------------------------------------------------------------------------------------


def test_it_exports_the_filtered_table_as_a_workbook(cast: Cast) -> None:
    summarized(
        cast.evaluation_b,
        computed_score=Decimal("81.25"),
        claimed_score=Decimal("90"),
        grade="良",
        error_count=2,
        summarized_at=timezone.now(),
    )
    response = cast.client_for("reviewer").get(dashboard_url(cast, q="文化", format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("预算部门", "状态", "提交时间", "逾期", "计算得分")
    assert len(rows) == 2
    assert rows[1][0] == "甲市文化局" and rows[1][1] == "填报中"
    assert rows[1][4] == pytest.approx(81.25) and rows[1][7] == pytest.approx(8.75)
    assert rows[1][8] == "良" and rows[1][9] == 2


def test_department_names_are_text_in_the_workbook(cast: Cast) -> None:
    department = DepartmentFactory(jurisdiction=cast.bureau, name="=1+1")
    EvaluationFactory(campaign=cast.campaign, department=department)
    response = cast.client_for("reviewer").get(dashboard_url(cast, q="=1", format="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    cell = sheet["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


# --- a constant number of queries ---------------------------------------------------------------


def queries_for(cast: Cast, departments: int) -> tuple[int, int]:
    """(queries, rows shown) of the dashboard after adding `departments` submitted ones."""
    evaluations = add_departments(cast, departments, state=State.SUBMITTED)
    with scopes_disabled():
        for evaluation in evaluations:
            Transition.objects.create(
                evaluation=evaluation,
                name="submit",
                from_state=State.DRAFT,
                to_state=State.SUBMITTED,
                actor=cast.users["head_a"],
            )
    client = cast.client_for("reviewer")
    client.get(dashboard_url(cast))  # the session and the like, once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(dashboard_url(cast, sort="-computed", q="乙"))
    return len(queries.captured_queries), len(response.context["dashboard"].rows)


def test_the_number_of_queries_does_not_grow_with_the_departments(cast: Cast) -> None:
    few, three = queries_for(cast, 3)
    many, thirty = queries_for(cast, 27)  # 30 more departments in all
    assert (three, thirty) == (3, 30)
    assert few == many


# --- charts --------------------------------------------------------------------------------------


def test_the_charts_bin_scores_count_grades_and_mark_departures(cast: Cast) -> None:
    summarized(
        cast.evaluation_a, computed_score=Decimal("71.50"), claimed_score=Decimal("90"), grade="中"
    )
    summarized(
        cast.evaluation_b, computed_score=Decimal("100"), claimed_score=Decimal("98"), grade="优"
    )
    charts = page(cast).context["data"]
    assert charts["scores"]["counts"] == [0, 0, 0, 0, 0, 0, 0, 1, 0, 1]
    assert (charts["grades"]["grades"], charts["grades"]["counts"]) == (["优", "中"], [1, 1])
    assert charts["scatter"]["beyond"] == [[71.5, 90.0, "甲市商务局"]]
    assert charts["scatter"]["within"] == [[100.0, 98.0, "甲市文化局"]]


def test_progress_over_time_follows_the_transitions(cast: Cast) -> None:
    actor = cast.users["head_a"]
    with scopes_disabled():
        for evaluation in (cast.evaluation_a, cast.evaluation_b):
            Transition.objects.create(
                evaluation=evaluation,
                name="submit",
                from_state="draft",
                to_state="submitted",
                actor=actor,
            )
    progress = page(cast).context["data"]["progress"]
    series = {line["state"]: line["data"] for line in progress["series"]}
    assert len(progress["days"]) == 1
    assert (series["draft"], series["submitted"]) == ([0], [2])


def test_the_page_carries_the_chart_data_without_inline_code(cast: Cast) -> None:
    html = page(cast).content.decode()
    assert '<script id="dashboard-data" type="application/json">' in html
    assert "vendor/echarts/echarts.min.js" in html and "js/dashboard.js" in html
    assert "<script>" not in html


# --- summaries -----------------------------------------------------------------------------------


def fresh_summary(evaluation: Evaluation) -> tuple[Any, ...]:
    with scope(
        jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
    ):
        now = evaluation_with_parts(pk=evaluation.pk)
        assert now is not None
        summary = evaluation_summary(evaluation=now)
        stored = Evaluation.objects.get(pk=evaluation.pk)
    return summary, stored


def test_a_section_save_refreshes_the_summary(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse(
        "department:section_save",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "key": "basic.staffing",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("filler_a").post(url, staffing(cast))
    assert response.status_code == 302
    summary, stored = fresh_summary(cast.evaluation_a)
    assert stored.summarized_at is not None
    assert (stored.error_count, stored.warning_count) == (
        summary.error_count,
        summary.warning_count,
    )
    assert (stored.computed_score, stored.grade) == (summary.computed_score, summary.grade)
    assert stored.error_count > 0  # the near-empty evaluation is far from complete


def test_a_transition_refreshes_the_summary(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with scope(jurisdiction=cast.bureau.pk, department=None):
        evaluation = Evaluation.objects.select_related("campaign").get(pk=cast.evaluation_a.pk)
        with django_capture_on_commit_callbacks(execute=True):
            evaluation_transition(
                evaluation=evaluation,
                name="reopen",
                by=cast.users["bureau_admin"],
                roles=frozenset({Role.BUREAU_ADMIN}),
                reason="补充材料",
            )
    summary, stored = fresh_summary(cast.evaluation_a)
    assert stored.summarized_at is not None
    assert stored.error_count == summary.error_count


def test_the_command_summarizes_a_campaign(cast: Cast) -> None:
    out = io.StringIO()
    call_command("summarize_evaluations", campaign=cast.campaign.pk, stdout=out)
    assert "已汇总 2 份自评" in out.getvalue()
    with scopes_disabled():
        summarized_at = dict(Evaluation.objects.values_list("pk", "summarized_at"))
    assert summarized_at[cast.evaluation_a.pk] is not None
    assert summarized_at[cast.other_evaluation.pk] is None


def test_the_dashboard_checks_ownership(cast: Cast) -> None:
    other = reverse(
        "bureau:campaign", kwargs={"jurisdiction": cast.bureau.slug, "pk": cast.other_campaign.pk}
    )
    assert cast.client_for("reviewer").get(other).status_code == 404
    assert cast.client_for("outsider").get(dashboard_url(cast)).status_code == 404
    assert cast.client_for("filler_a").get(dashboard_url(cast)).status_code == 404


def test_the_table_is_shown_a_page_at_a_time_keeping_the_order(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_views, "ROWS_PER_PAGE", 1)
    first = page(cast, sort="-department")
    assert [row.department for row in first.context["page"]] == ["甲市文化局"]
    assert first.context["pages"] == {"next": "sort=-department&page=2"}
    second = page(cast, sort="-department", page="2")
    assert [row.department for row in second.context["page"]] == ["甲市商务局"]
    assert page(cast, page="x").context["page"].number == 1


def test_an_evaluation_never_summarized_shows_no_counts(cast: Cast) -> None:
    summarized(cast.evaluation_b, error_count=4, summarized_at=timezone.now())
    response = page(cast, sort="-errors")
    assert names(response) == ["甲市文化局", "甲市商务局"]  # unknown counts come last
    assert response.content.decode().count("尚未检查") == 1


def test_a_transaction_sends_one_summary_per_evaluation(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        summarize_on_commit(cast.evaluation_a.pk)
        summarize_on_commit(cast.evaluation_a.pk)  # a second section of the same import
        summarize_on_commit(cast.evaluation_b.pk)
        try:
            with transaction.atomic():
                summarize_on_commit(cast.other_evaluation.pk)
                raise RuntimeError
        except RuntimeError:
            pass  # that savepoint rolled back: its callback is dropped, and may be asked again
        summarize_on_commit(cast.other_evaluation.pk)
    assert len(callbacks) == 3


def test_explaining_a_warning_refreshes_the_count_of_unexplained_ones(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.evaluations.test_explanations import STAFF_WARNING, explain, save_staffing

    with django_capture_on_commit_callbacks(execute=True):
        save_staffing(cast, "61", "63")  # more staff than authorized: a warning
    before = fresh_summary(cast.evaluation_a)[1].warning_count
    with django_capture_on_commit_callbacks(execute=True):
        assert explain(cast, "临时借调人员", warning=STAFF_WARNING).status_code == 200
    assert fresh_summary(cast.evaluation_a)[1].warning_count == before - 1


def test_adding_a_project_refreshes_the_summary(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("filler_a").post(
            reverse("department:project_add", kwargs=kwargs), {"name": "新项目"}
        )
    assert response.status_code == 302
    assert fresh_summary(cast.evaluation_a)[1].summarized_at is not None
