"""The REST API: every section readable by members, writable with the forms' own validation."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scope

from evaluations.models import SectionState, SpendingControl, Staffing
from tests.conftest import Cast
from tests.evaluations.test_autosave import at_once, winner_and_loser


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
    assert response.status_code == 422  # as the browser's autosave answers
    assert response.json()["errors"] == {"staff_authorized": ["输入整数。"]}
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


def test_a_malformed_request_is_a_400_naming_what_is_missing(cast: Cast) -> None:
    response = put(cast, "filler_a", {"data": {"staff_actual": 1}})
    assert response.status_code == 400 and "based_on" in response.json()
    response = put(cast, "filler_a", {"based_on": 0, "data": [1]})
    assert response.status_code == 400 and "data" in response.json()


def test_a_reviewer_reads_a_section_and_a_department_head_cannot_write_it(cast: Cast) -> None:
    put(cast, "filler_a", {"based_on": 0, "data": {"staff_authorized": 61, "staff_actual": 55}})
    read = cast.client_for("reviewer").get(section_url(cast))
    assert read.status_code == 200
    assert read.json()["data"] == {"staff_authorized": 61, "staff_actual": 55}
    assert cast.client_for("head_a").get(section_url(cast)).status_code == 200
    response = put(
        cast, "head_a", {"based_on": 1, "data": {"staff_authorized": 61, "staff_actual": 1}}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色或此自评的状态不允许修改此栏目。"
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        assert Staffing.objects.get().staff_actual == 55


@pytest.mark.parametrize("state", ["submitted", "approved", "published"])
def test_a_filler_cannot_write_an_evaluation_that_is_no_longer_editable(
    cast: Cast, state: str
) -> None:
    put(cast, "filler_a", {"based_on": 0, "data": {"staff_authorized": 61, "staff_actual": 55}})
    cast.evaluation_a.state = state
    cast.evaluation_a.save()
    response = put(
        cast, "filler_a", {"based_on": 1, "data": {"staff_authorized": 61, "staff_actual": 57}}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色或此自评的状态不允许修改此栏目。"
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        assert Staffing.objects.get().staff_actual == 55
        assert SectionState.objects.get(key="basic.staffing").version == 1
    # Still readable, as it was saved.
    read = cast.client_for("filler_a").get(section_url(cast)).json()
    assert read["data"]["staff_actual"] == 55 and read["version"] == 1


def test_a_percentage_reads_back_as_it_is_written(cast: Cast) -> None:
    """A ratio is written as a percentage (95 for 95%) and read the same way, not as 0.95."""
    kwargs = {
        "department": cast.department_a.slug,
        "pk": cast.evaluation_a.pk,
        "key": "basic.spending",
    }
    url = reverse("department-api:section", kwargs=kwargs)
    client = cast.client_for("filler_a")
    body = {"based_on": 0, "data": {"three_public_budget": 100, "three_public_rate_stated": 95}}
    assert client.put(url, data=body, content_type="application/json").status_code == 200
    read = client.get(url).json()
    assert read["data"]["three_public_rate_stated"] == "95"
    # Writing back what was read changes nothing.
    again = {"based_on": read["version"], "data": read["data"]}
    assert client.put(url, data=again, content_type="application/json").status_code == 200
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        assert SpendingControl.objects.get().three_public_rate_stated == Decimal("0.95")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("saved_before", [False, True], ids=["first-save", "later-save"])
def test_two_writes_at_the_same_moment_one_wins_and_the_other_gets_its_values(
    cast: Cast, monkeypatch: Any, saved_before: bool
) -> None:
    based_on = 0
    if saved_before:
        put(cast, "filler_a", {"based_on": 0, "data": {"staff_authorized": 10, "staff_actual": 9}})
        based_on = 1
    bodies = {
        "first": {"staff_authorized": 61, "staff_actual": 55},
        "second": {"staff_authorized": 62, "staff_actual": 57},
    }
    responses = at_once(
        monkeypatch,
        lambda client, name: client.put(
            section_url(cast),
            data={"based_on": based_on, "data": bodies[name]},
            content_type="application/json",
        ),
        list(bodies),
        [cast.users["filler_a"]] * 2,
    )
    winner, loser = winner_and_loser(responses)
    refused = responses[loser].json()
    assert refused["version"] == based_on + 1 and refused["data"] == bodies[winner]
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        row = Staffing.objects.get()
    assert {"staff_authorized": row.staff_authorized, "staff_actual": row.staff_actual} == (
        bodies[winner]
    )


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
