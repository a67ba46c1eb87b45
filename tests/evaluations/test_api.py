"""The REST API: every section readable by members, writable with the forms' own validation."""

from typing import Any

from django.urls import reverse
from django_scopes import scope

from evaluations.models import Staffing
from tests.conftest import Cast


def section_url(cast: Cast, key: str = "basic.staffing") -> str:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key}
    return reverse("department-api:section", kwargs=kwargs)


def put(cast: Cast, user: str, body: dict[str, object]) -> Any:
    return cast.client_for(user).put(section_url(cast), data=body, content_type="application/json")


def test_a_filler_writes_a_section_and_reads_it_back(cast: Cast) -> None:
    response = put(
        cast, "filler_a", {"based_on": 0, "data": {"staff_authorized": 61, "staff_actual": 55}}
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
    read = cast.client_for("reviewer").get(section_url(cast)).json()
    assert read["data"] == {"staff_authorized": 61, "staff_actual": 55} and read["version"] == 1


def test_the_api_validates_like_the_form(cast: Cast) -> None:
    response = put(cast, "filler_a", {"based_on": 0, "data": {"staff_authorized": "六十一"}})
    assert response.status_code == 400
    assert "staff_authorized" in response.json()["errors"]
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        assert not Staffing.objects.exists()


def test_a_stale_write_is_refused_with_the_current_values(cast: Cast) -> None:
    put(cast, "filler_a", {"based_on": 0, "data": {"staff_authorized": 61, "staff_actual": 55}})
    response = put(
        cast, "filler_a", {"based_on": 0, "data": {"staff_authorized": 61, "staff_actual": 57}}
    )
    assert response.status_code == 409
    assert response.json()["data"]["staff_actual"] == 55 and response.json()["version"] == 1


def test_reviewers_read_but_do_not_write_department_sections(cast: Cast) -> None:
    assert put(cast, "reviewer", {"based_on": 0, "data": {"staff_actual": 1}}).status_code == 403


def test_the_evaluation_document_lists_sections_metrics_and_violations(cast: Cast) -> None:
    put(cast, "filler_a", {"based_on": 0, "data": {"staff_authorized": 50, "staff_actual": 55}})
    url = reverse(
        "department-api:evaluation",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
    )
    body = cast.client_for("filler_a").get(url).json()
    assert body["sections"]["basic.staffing"]["version"] == 1
    assert any(
        metric["key"] == "staff_control_rate" and metric["display"] == "110.00%"
        for metric in body["metrics"]
    )
    assert any(v["code"] == "basic.staff_within_authorized" for v in body["violations"])


def test_yes_no_answers_round_trip_through_the_api(cast: Cast) -> None:
    kwargs = {
        "department": cast.department_a.slug,
        "pk": cast.evaluation_a.pk,
        "key": "basic.disclosures",
    }
    url = reverse("department-api:section", kwargs=kwargs)
    client = cast.client_for("filler_a")
    body = {"based_on": 0, "data": {"self_evaluation_published": True, "budget_published": False}}
    response = client.put(url, data=body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = client.get(url).json()["data"]
    assert data["self_evaluation_published"] is True and data["budget_published"] is False
