"""历史: the audit trail's triggers record each change with who, where, old and new value; the tab
lists, filters and exports them; the event tables cannot be changed."""

import importlib
import io
from typing import Any

import pgtrigger
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from openpyxl import load_workbook

from departments.roles import Role
from departments.selectors import person_name
from evaluations.models import Evaluation, ProjectEvaluation, Staffing
from evaluations.models.audit import EVENT_MODELS, UserLoginEvent
from evaluations.selectors.history import HistoryRow, evaluation_history
from evaluations.services.sections import Outcome, section_submit, section_version
from evaluations.services.workflow import evaluation_transition
from evaluations.tables.registry import section_for
from tests.conftest import PASSWORD, Cast
from tests.factories import project_of

ADDRESS = "10.20.30.40"


def in_scope(cast: Cast) -> Any:
    return scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk)


def history_url(cast: Cast, evaluation: Evaluation | None = None) -> str:
    evaluation = evaluation or cast.evaluation_a
    return reverse(
        "department:evaluation_history",
        kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
    )


def save_staffing_via_service(cast: Cast, authorized: int) -> None:
    """A save through the one write path, outside any request (as a task or the shell would)."""
    with in_scope(cast):
        evaluation = Evaluation.objects.get(pk=cast.evaluation_a.pk)
        section = section_for(evaluation, "basic.staffing")
        assert section is not None
        data = QueryDict(mutable=True)
        data.update(
            {
                "basic-staffing-staff_authorized": str(authorized),
                "basic-staffing-staff_actual": "55",
            }
        )
        done = section_submit(
            evaluation=evaluation,
            section=section,
            data=data,
            based_on=section_version(evaluation=evaluation, key=section.key).version,
            by=cast.users["filler_a"],
            roles=frozenset({Role.FILLER}),
        )
        assert done.outcome == Outcome.SAVED


def save_staffing_via_page(cast: Cast, authorized: int, based_on: int) -> None:
    """The filler's autosave from their browser at ADDRESS (the request's audit context)."""
    url = reverse(
        "department:section_save",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "key": "basic.staffing",
        },
    )
    data = {
        "based_on": str(based_on),
        "basic-staffing-staff_authorized": str(authorized),
        "basic-staffing-staff_actual": "55",
    }
    response = cast.client_for("filler_a").post(
        url, data, REMOTE_ADDR=ADDRESS, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200


def history(cast: Cast, **filters: Any) -> list[HistoryRow]:
    with in_scope(cast):
        return evaluation_history(evaluation=cast.evaluation_a, **filters)


def staff_change(rows: list[HistoryRow]) -> HistoryRow:
    return next(row for row in rows if row.field == "编制数" and row.old == "61")


def test_it_records_a_saved_figure_with_who_where_old_and_new(cast: Cast) -> None:
    save_staffing_via_service(cast, 61)
    save_staffing_via_page(cast, 62, based_on=1)
    row = staff_change(history(cast))
    assert (row.kind, row.section, row.field, row.old, row.new) == (
        "update",
        "人员情况",
        "编制数",
        "61",
        "62",
    )
    assert row.who == person_name(cast.users["filler_a"])
    assert row.who_id == cast.users["filler_a"].pk
    assert row.address == ADDRESS


def test_a_save_through_the_api_carries_the_same_context(cast: Cast) -> None:
    save_staffing_via_service(cast, 61)
    url = reverse(
        "department-api:section",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "key": "basic.staffing",
        },
    )
    body = {"based_on": 1, "data": {"staff_authorized": 62, "staff_actual": 55}}
    response = cast.client_for("filler_a").put(
        url, data=body, content_type="application/json", REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 200, response.content
    row = staff_change(history(cast))
    assert (row.new, row.who_id, row.address) == ("62", cast.users["filler_a"].pk, ADDRESS)


def test_a_save_outside_any_request_is_the_systems(cast: Cast) -> None:
    save_staffing_via_service(cast, 61)
    rows = history(cast)
    figure = next(row for row in rows if row.field == "编制数")
    assert (figure.old, figure.new, figure.who, figure.who_id, figure.address) == (
        "",
        "61",
        "系统",
        None,
        "",
    )
    assert any(row.kind == "insert" and row.section == "人员情况" for row in rows)


def test_an_unchanged_save_records_nothing(cast: Cast) -> None:
    save_staffing_via_service(cast, 61)
    before = len(history(cast))
    save_staffing_via_service(cast, 61)
    assert len(history(cast)) == before


def test_a_row_older_than_the_audit_shows_its_old_value_at_its_first_change(cast: Cast) -> None:
    # A row written before the audit existed: no event of its insert.
    with in_scope(cast), pgtrigger.ignore("evaluations.Staffing:audit_insert"):
        Staffing.objects.create(evaluation=cast.evaluation_a, staff_authorized=61, staff_actual=55)
    assert not history(cast, section="staffing")
    # Migration 0018 copies such rows as they are when it runs.
    with connection.schema_editor() as editor:
        importlib.import_module("evaluations.migrations.0018_audit").record_baseline(apps, editor)
    assert not history(cast, section="staffing")
    save_staffing_via_page(cast, 62, based_on=0)
    rows = history(cast, section="staffing")
    assert [(row.kind, row.field, row.old, row.new) for row in rows] == [
        ("update", "编制数", "61", "62")
    ]


def test_a_transition_appears_with_its_label_states_and_reason(cast: Cast) -> None:
    with in_scope(cast):
        Evaluation.objects.filter(pk=cast.evaluation_a.pk).update(state=Evaluation.State.SUBMITTED)
        evaluation = Evaluation.objects.get(pk=cast.evaluation_a.pk)
        evaluation_transition(
            evaluation=evaluation,
            name="return",
            by=cast.users["reviewer"],
            roles=frozenset({Role.REVIEWER}),
            reason="请核对编制数",
            remote_addr=ADDRESS,
        )
    step = next(row for row in history(cast) if row.kind == "transition")
    assert (step.section, step.field, step.old, step.new, step.reason) == (
        "流程",
        "退回修改",
        "已提交",
        "已退回",
        "请核对编制数",
    )
    assert (step.who, step.address) == (person_name(cast.users["reviewer"]), ADDRESS)


def test_a_deleted_row_appears_with_its_label(cast: Cast) -> None:
    with in_scope(cast):
        project = project_of(cast.evaluation_a, name="外经贸发展专项")
        ProjectEvaluation.objects.filter(pk=project.pk).delete()
    deleted = [row for row in history(cast) if row.kind == "delete"]
    assert [(row.section, row.row) for row in deleted] == [("项目支出绩效自评", "外经贸发展专项")]


def test_the_filters_narrow_by_person_kind_table_and_date(cast: Cast) -> None:
    save_staffing_via_service(cast, 61)
    save_staffing_via_page(cast, 62, based_on=1)
    filler = cast.users["filler_a"].pk
    assert {row.who_id for row in history(cast, who=filler)} == {filler}
    assert {row.kind for row in history(cast, kind="update")} == {"update"}
    assert {row.section for row in history(cast, section="staffing")} == {"人员情况"}
    # The filter's dates are local (Asia/Shanghai), as the page shows them.
    today = timezone.localtime(staff_change(history(cast)).when).date()
    assert history(cast, since=today, until=today)
    assert not history(cast, until=today.replace(year=today.year - 1))


def test_the_tab_lists_the_change_for_a_reviewer(cast: Cast) -> None:
    save_staffing_via_service(cast, 61)
    save_staffing_via_page(cast, 62, based_on=1)
    page = cast.client_for("reviewer").get(history_url(cast), {"kind": "update"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "编制数" in text and "<del>61</del>" in text and "<ins>62</ins>" in text
    assert person_name(cast.users["filler_a"]) in text and ADDRESS in text


def test_the_evaluation_page_links_to_the_tab(cast: Cast) -> None:
    page = cast.client_for("filler_a").get(
        reverse(
            "department:evaluation",
            kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
        )
    )
    assert f'href="{history_url(cast)}"' in page.content.decode()


def test_a_bad_filter_shows_its_message_not_an_error(cast: Cast) -> None:
    page = cast.client_for("filler_a").get(history_url(cast), {"since": "昨天", "who": "x"})
    assert page.status_code == 200
    assert "输入一个有效的日期。" in page.content.decode()


def test_the_export_is_a_workbook_with_a_header_and_the_filtered_rows(cast: Cast) -> None:
    save_staffing_via_service(cast, 61)
    save_staffing_via_page(cast, 62, based_on=1)
    with in_scope(cast):
        project = project_of(cast.evaluation_a, name="外经贸发展专项")
        ProjectEvaluation.objects.filter(pk=project.pk).delete()
    response = cast.client_for("head_a").get(history_url(cast), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    lines = [[cell or "" for cell in line] for line in sheet.iter_rows(values_only=True)]
    assert lines[0][:9] == [
        "时间",
        "人员",
        "来源地址",
        "类型",
        "栏目",
        "行",
        "项目",
        "原值",
        "新值",
    ]
    name = person_name(cast.users["filler_a"])
    assert [name, ADDRESS, "修改", "人员情况", "", "编制数", "61", "62"] in [
        line[1:9] for line in lines
    ]
    assert any(line[3:6] == ["删除", "项目支出绩效自评", "外经贸发展专项"] for line in lines)
    only_updates = cast.client_for("head_a").get(
        history_url(cast), {"format": "xlsx", "kind": "update"}
    )
    kinds = {
        line[3]
        for line in load_workbook(io.BytesIO(only_updates.content))
        .worksheets[0]
        .iter_rows(min_row=2, values_only=True)
    }
    assert kinds == {"修改"}


def test_the_event_tables_refuse_update_and_delete(cast: Cast) -> None:
    save_staffing_via_service(cast, 61)
    # The table's name is the model's own, not input.
    table = EVENT_MODELS[Staffing]._meta.db_table
    update = f'UPDATE "{table}" SET staff_authorized = 1'  # noqa: S608
    delete = f'DELETE FROM "{table}"'  # noqa: S608
    for statement in (update, delete):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT staff_authorized FROM "{table}" WHERE pgh_label = %s', ["update"])  # noqa: S608
        assert cursor.fetchall() == [(61,)]


def test_every_event_table_has_the_append_only_trigger(db: None) -> None:
    tables = [model._meta.db_table for model in [*EVENT_MODELS.values(), UserLoginEvent]]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname LIKE 'pgtrigger_append_only_%%' AND NOT t.tgisinternal"
        )
        protected = {name for (name,) in cursor.fetchall()}
    assert set(tables) <= protected


def test_a_login_is_recorded_with_its_address(cast: Cast) -> None:
    user = cast.users["filler_a"]
    user.set_password(PASSWORD)
    user.save()
    response = cast.client_for("anonymous").post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    login: Any = UserLoginEvent._default_manager.get(pgh_obj_id=user.pk)
    assert login.pgh_context["remote_addr"] == ADDRESS


def test_another_departments_history_is_not_found(cast: Cast) -> None:
    assert cast.client_for("filler_b").get(history_url(cast)).status_code == 404
    assert cast.client_for("outsider").get(history_url(cast)).status_code == 404
