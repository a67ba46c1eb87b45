"""Another tenant's object under a member's own URL is not found, and is left as it was.

Generated from the table of doors (tests/access.py): at every door whose URL names an object (an
evaluation, a campaign, a project, an evidence file, a project's section), a member of A who may
pass keeps A's slug and names instead an object of department B (same bureau) or of bureau Z. Row
ids posted in a section's data (fund lines, indicators) are refused by the section's validation.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.models import Evaluation, FundLine, Indicator
from tests.access import DOORS, TENANT_URLS, URL_KWARGS, Door, enter
from tests.conftest import Cast
from tests.factories import evidence_for, project_of

# (what it is, the value put in the URL, the object that must stay as it was)
Foreign = tuple[str, Any, Model]


@pytest.fixture
def cast(module_cast: Cast) -> Cast:
    """One cast for the module, its users logged in once (tests/conftest.py), not one per test."""
    return module_cast


def others(cast: Cast) -> list[tuple[str, Evaluation]]:
    return [("department B", cast.evaluation_b), ("bureau Z", cast.other_evaluation)]


def foreign_evaluations_or_campaigns(cast: Cast, kwargs: frozenset[str]) -> list[Foreign]:
    if "department" in kwargs:
        return [(f"evaluation of {who}", e.pk, e) for who, e in others(cast)]
    return [("campaign of bureau Z", cast.other_campaign.pk, cast.other_campaign)]


def foreign_projects(cast: Cast, kwargs: frozenset[str]) -> list[Foreign]:
    return [(f"project of {who}", p.pk, p) for who, e in others(cast) for p in [project_of(e)]]


def foreign_evidence(cast: Cast, kwargs: frozenset[str]) -> list[Foreign]:
    return [(f"evidence of {who}", f.pk, f) for who, e in others(cast) for f in [evidence_for(e)]]


def foreign_project_sections(cast: Cast, kwargs: frozenset[str]) -> list[Foreign]:
    """A section key naming another tenant's project ("project.<pk>.info")."""
    return [
        (f"section of a project of {who}", f"project.{p.pk}.info", p)
        for who, e in others(cast)
        for p in [project_of(e)]
    ]


# Another tenant's objects for each URL argument that names an object.
FOREIGN: dict[str, Callable[[Cast, frozenset[str]], list[Foreign]]] = {
    "pk": foreign_evaluations_or_campaigns,
    "project_pk": foreign_projects,
    "evidence": foreign_evidence,
    "key": foreign_project_sections,
}

# Arguments that name no object of a tenant: the tenant itself, a table's or a document's slug,
# a workflow step's name.
NOT_OBJECTS = frozenset({"department", "jurisdiction", "table", "document", "name"})

CASES = [
    (door, kwarg)
    for door in DOORS
    if door.name in TENANT_URLS
    for kwarg in sorted(URL_KWARGS[door.name] & FOREIGN.keys())
]


def as_stored(instance: Model) -> dict[str, Any] | None:
    with scopes_disabled():
        return type(instance)._default_manager.filter(pk=instance.pk).values().first()


def test_every_kind_of_object_in_a_url_is_tried() -> None:
    taken = set().union(*(URL_KWARGS[name] for name in TENANT_URLS))
    untried = sorted(taken - NOT_OBJECTS - FOREIGN.keys())
    assert not untried, (
        f"Tenant URL arguments without another tenant's object in FOREIGN: {untried}"
    )
    assert {kwarg for _, kwarg in CASES} == FOREIGN.keys()
    assert len(CASES) > len({door.name for door, _ in CASES}) > 10


@pytest.mark.parametrize(("door", "kwarg"), CASES, ids=lambda case: str(case))
def test_another_tenants_object_under_my_url_is_not_found(
    cast: Cast, door: Door, kwarg: str
) -> None:
    for what, value, instance in FOREIGN[kwarg](cast, URL_KWARGS[door.name]):
        before = as_stored(instance)
        response = enter(cast, door, door.passer(), **{kwarg: value})
        assert response.status_code == 404, what
        assert as_stored(instance) == before, what


# Row ids in posted data


def save_section(cast: Cast, key: str, data: dict[str, Any]) -> int:
    url = reverse(
        "department:section_save",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key},
    )
    return cast.client_for("filler_a").post(url, {"based_on": 0, **data}).status_code


def rows(prefix: str, *forms: dict[str, Any], initial: int) -> dict[str, Any]:
    """A formset's posted data: `forms` in order, the first `initial` of them saved rows."""
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": len(forms), f"{prefix}-INITIAL_FORMS": initial}
    for index, form in enumerate(forms):
        data.update({f"{prefix}-{index}-{name}": value for name, value in form.items()})
    return data


@pytest.fixture
def fund_lines(cast: Cast) -> dict[str, FundLine]:
    """One line in each of A's, B's and bureau Z's evaluations."""
    evaluations = {"a": cast.evaluation_a, "b": cast.evaluation_b, "z": cast.other_evaluation}
    return {
        owner: FundLine.objects.create(evaluation=evaluation, name="一、财政拨款资金", order=0)
        for owner, evaluation in evaluations.items()
    }


@pytest.mark.parametrize("owner", ["b", "z"])
def test_another_tenants_fund_line_posted_as_mine_is_refused(
    cast: Cast, fund_lines: dict[str, FundLine], owner: str
) -> None:
    theirs = fund_lines[owner]
    before = as_stored(theirs)
    renamed = {"id": theirs.pk, "name": "改名", "order": 0, "parent": ""}
    assert save_section(cast, "funds.structure", rows("funds-structure", renamed, initial=1)) == 422
    assert as_stored(theirs) == before


@pytest.mark.parametrize("owner", ["b", "z"])
def test_a_new_fund_line_cannot_be_filed_under_another_tenants_line(
    cast: Cast, fund_lines: dict[str, FundLine], owner: str
) -> None:
    mine, theirs = fund_lines["a"], fund_lines[owner]
    kept = {"id": mine.pk, "name": mine.name, "order": 0, "parent": ""}
    added = {"id": "", "name": "新项目", "order": "", "parent": theirs.pk}
    assert (
        save_section(cast, "funds.structure", rows("funds-structure", kept, added, initial=1))
        == 422
    )
    with scopes_disabled():
        assert not FundLine.objects.filter(parent=theirs).exists()


@pytest.mark.parametrize("owner", ["b", "z"])
def test_the_api_refuses_another_tenants_fund_line_as_mine(
    cast: Cast, fund_lines: dict[str, FundLine], owner: str
) -> None:
    theirs = fund_lines[owner]
    before = as_stored(theirs)
    url = reverse(
        "department-api:section",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "key": "funds.figures",
        },
    )
    body = {"based_on": 0, "data": {"rows": [{"id": theirs.pk, "remark": "改"}]}}
    response = cast.client_for("filler_a").put(url, body, content_type="application/json")
    assert response.status_code == 422
    assert as_stored(theirs) == before


@pytest.mark.parametrize("owner", ["b", "z"])
def test_another_tenants_indicator_posted_in_my_project_is_refused(cast: Cast, owner: str) -> None:
    evaluation = {"b": cast.evaluation_b, "z": cast.other_evaluation}[owner]
    mine = project_of(cast.evaluation_a)
    theirs = Indicator.objects.create(
        evaluation=evaluation, project=project_of(evaluation), name="培训人次"
    )
    before = as_stored(theirs)
    prefix = f"project-{mine.pk}-indicators"
    renamed = {"id": theirs.pk, "name": "改名"}
    assert (
        save_section(cast, f"project.{mine.pk}.indicators", rows(prefix, renamed, initial=1)) == 422
    )
    assert as_stored(theirs) == before
