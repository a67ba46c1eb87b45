"""One table of doors and who may pass (after pretix's test_permissions)."""

import pytest
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import evidence_for, project_of

CAST = ["anonymous", "filler_a", "head_a", "reviewer", "bureau_admin", "filler_b", "outsider"]

# url name → expected status for each member of CAST, in order.
MATRIX = {
    "department:home": [302, 200, 200, 200, 200, 404, 404],
    "department:evaluation": [302, 200, 200, 200, 200, 404, 404],
    "department:members": [302, 403, 200, 403, 200, 404, 404],
    "department:project": [302, 200, 200, 200, 200, 404, 404],
    "department:evaluation_table": [302, 200, 200, 200, 200, 404, 404],
    "department:evidence_download": [302, 200, 200, 200, 200, 404, 404],
    "department:evidence_upload": [302, 405, 403, 403, 403, 404, 404],
    "department:evaluation_excel": [302, 200, 200, 200, 200, 404, 404],
    "department:evaluation_excel_import": [302, 405, 403, 403, 403, 404, 404],
    "bureau:home": [302, 404, 404, 200, 200, 404, 404],
    "bureau:campaign": [302, 404, 404, 200, 200, 404, 404],
    "bureau:departments": [302, 404, 404, 200, 200, 404, 404],
    "bureau:members": [302, 404, 404, 403, 200, 404, 404],
}


def url_for(cast: Cast, name: str) -> str:
    kwargs: dict[str, object] = {}
    if name.startswith("department:"):
        kwargs["department"] = cast.department_a.slug
    else:
        kwargs["jurisdiction"] = cast.bureau.slug
    if name in ("department:evaluation", "department:project"):
        kwargs["pk"] = cast.evaluation_a.pk
    if name == "department:project":
        kwargs["project_pk"] = project_of(cast.evaluation_a).pk
    if name in {"department:evaluation", "department:evaluation_table"}:
        kwargs["pk"] = cast.evaluation_a.pk
    if name == "department:evaluation_table":
        kwargs["table"] = "report"
    if name == "department:evidence_download":
        kwargs["pk"] = cast.evaluation_a.pk
        kwargs["evidence"] = evidence_for(cast.evaluation_a).pk
    if name in {"department:evaluation_excel", "department:evaluation_excel_import"}:
        kwargs["pk"] = cast.evaluation_a.pk
    if name == "department:evidence_upload":
        kwargs.update(pk=cast.evaluation_a.pk, key="report.01")
    if name == "bureau:campaign":
        kwargs["pk"] = cast.campaign.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    ("name", "user", "expected"),
    [
        (name, user, status)
        for name, row in MATRIX.items()
        for user, status in zip(CAST, row, strict=True)
    ],
)
def test_permission_matrix(cast: Cast, name: str, user: str, expected: int) -> None:
    assert cast.client_for(user).get(url_for(cast, name)).status_code == expected


def test_it_hides_another_departments_evaluation_behind_my_department(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    for evaluation in (cast.evaluation_b, cast.other_evaluation):
        url = reverse(
            "department:evaluation",
            kwargs={"department": cast.department_a.slug, "pk": evaluation.pk},
        )
        assert client.get(url).status_code == 404


def test_it_hides_another_bureaus_campaign_behind_my_bureau(cast: Cast) -> None:
    url = reverse(
        "bureau:campaign", kwargs={"jurisdiction": cast.bureau.slug, "pk": cast.other_campaign.pk}
    )
    assert cast.client_for("reviewer").get(url).status_code == 404


def test_a_department_page_lists_only_its_own_evaluations(cast: Cast) -> None:
    response = cast.client_for("reviewer").get(
        reverse("department:home", kwargs={"department": "jia-commerce"})
    )
    assert list(response.context["evaluations"]) == [cast.evaluation_a]


def test_a_bureau_lists_only_its_own_departments(cast: Cast) -> None:
    response = cast.client_for("reviewer").get(
        reverse("bureau:departments", kwargs={"jurisdiction": "jia"})
    )
    assert set(response.context["departments"]) == {cast.department_a, cast.department_b}
