"""`POST /api/d/<department>/evaluations/<id>/transitions/<name>/`: what each answer carries."""

from typing import Any

from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.models import Evaluation, ReviewComment
from tests.conftest import Cast
from tests.evaluations.test_workflow import fresh, put_in, verify_scores


def post(cast: Cast, role: str, evaluation: Evaluation, name: str, body: Any = None) -> Any:
    url = reverse(
        "department-api:transition",
        kwargs={"department": evaluation.department.slug, "pk": evaluation.pk, "name": name},
    )
    return cast.client_for(role).post(url, body or {}, content_type="application/json")


def test_it_answers_200_with_the_new_state(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    body = {
        "reason": "请核对",
        "comments": [{"section": "basic.staffing", "field": "staff_actual", "text": "不符"}],
    }
    response = post(cast, "reviewer", evaluation, "return", body)
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "returned" and data["state_display"] == "已退回"
    assert data["late"] is False and isinstance(data["transition"], int)
    with scopes_disabled():
        assert ReviewComment.objects.get().transition_id == data["transition"]


def test_it_answers_409_naming_who_moved_the_state(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    verify_scores(evaluation)
    assert post(cast, "reviewer", evaluation, "approve").status_code == 200
    response = post(cast, "reviewer", evaluation, "approve")
    assert response.status_code == 409
    data = response.json()
    assert data["state"] == "approved"
    assert "执行「审核通过」" in data["detail"] and "此自评现为「已审核」" in data["detail"]


def test_it_answers_422_with_the_blockers(cast: Cast) -> None:
    response = post(cast, "head_a", cast.evaluation_a, "submit")
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] == "不能执行此操作。"
    staffing = [b for b in data["blockers"] if b.get("section") == "basic.staffing"]
    assert {b["field"] for b in staffing} == {"staff_authorized", "staff_actual"}
    assert all(b["kind"] == "error" and b["message"] for b in staffing)
    assert fresh(cast.evaluation_a).state == Evaluation.State.DRAFT


def test_it_answers_422_for_a_malformed_body(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    response = post(cast, "reviewer", evaluation, "return", {"comments": [{"row": -1}]})
    assert response.status_code == 422 and "errors" in response.json()


def test_it_answers_403_to_a_role_without_the_step(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    response = post(cast, "filler_a", evaluation, "approve")
    assert response.status_code == 403
    assert "不能执行「审核通过」" in response.json()["detail"]


def test_it_answers_404_for_an_unknown_step_or_another_tenant(cast: Cast) -> None:
    assert post(cast, "head_a", cast.evaluation_a, "vanish").status_code == 404
    assert post(cast, "filler_b", cast.evaluation_a, "submit").status_code == 404
