"""Tenants see nothing of each other's: the table of doors (tests/access.py) covers every tenant and
API URL, and at every tenant URL, whatever the method, a non-member is answered exactly as for a
tenant that does not exist, and an anonymous caller is sent to log in.
"""

import re

import pytest
from django.http import HttpResponse
from django.urls import reverse

from tests.access import (
    API_URLS,
    DOORS,
    GUARDED_URLS,
    SAMPLES,
    TENANT_URLS,
    URL_KWARGS,
    non_members,
    sample_kwargs,
)
from tests.conftest import Cast

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# The CSRF token is masked afresh on every page (BREACH).
CSRF_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")


@pytest.fixture
def cast(module_cast: Cast) -> Cast:
    """One cast for the module, its users logged in once (tests/conftest.py), not one per test."""
    return module_cast


def test_the_table_has_a_door_for_every_tenant_and_api_url() -> None:
    assert {"department:home", "bureau:campaign", "department-api:section", "api-schema"} <= (
        GUARDED_URLS
    )
    missing = sorted(GUARDED_URLS - {door.name for door in DOORS})
    assert not missing, f"URLs without a row in tests/access.py DOORS: {', '.join(missing)}"


def test_the_table_names_only_urls_that_exist() -> None:
    assert sorted({door.name for door in DOORS} - GUARDED_URLS) == []


def test_every_argument_of_a_guarded_url_has_a_sample() -> None:
    taken = set().union(*(URL_KWARGS[name] for name in GUARDED_URLS))
    missing = sorted(taken - SAMPLES.keys())
    assert not missing, f"URL arguments without a value in tests/access.py SAMPLES: {missing}"


def test_the_table_shuts_every_tenant_door_to_non_members_and_anonymous_callers() -> None:
    for door in DOORS:
        if door.name in TENANT_URLS:
            assert door.statuses["anonymous"] == (401 if door.is_api else 302), door
            assert {door.statuses[role] for role in non_members(door.name)} == {404}, door


def url_of(cast: Cast, name: str, tenant: str | None = None) -> str:
    """The URL `name` of tenant A, or with A's slug replaced by `tenant`."""
    kwargs = sample_kwargs(cast, name)
    if tenant is not None:
        kwargs.update({k: tenant for k in ("department", "jurisdiction") if k in kwargs})
    return reverse(name, kwargs=kwargs)


def shown(response: HttpResponse, url: str) -> bytes:
    """The page, but for the two parts that may differ: its CSRF token and its own address (the
    language switch returns to it)."""
    return CSRF_TOKEN.sub(b"<csrf token>", response.content).replace(url.encode(), b"<url>")


@pytest.mark.parametrize("name", sorted(TENANT_URLS))
def test_a_non_member_is_answered_as_for_a_tenant_that_does_not_exist(
    cast: Cast, name: str
) -> None:
    url, nowhere = url_of(cast, name), url_of(cast, name, tenant="no-such-tenant")
    for role in non_members(name):
        client = cast.client_for(role)
        for method in METHODS:
            send = getattr(client, method.lower())
            answer, no_tenant = send(url), send(nowhere)
            assert answer.status_code == no_tenant.status_code == 404, (role, method)
            assert shown(answer, url) == shown(no_tenant, nowhere), (role, method)


@pytest.mark.parametrize("name", sorted(TENANT_URLS))
def test_an_anonymous_caller_is_sent_to_log_in(cast: Cast, name: str) -> None:
    url = url_of(cast, name)
    client = cast.client_for("anonymous")
    for method in METHODS:
        answer = getattr(client, method.lower())(url)
        if name in API_URLS:
            assert answer.status_code == 401, method
            assert answer["Content-Type"] == "application/json"
        else:
            assert answer.status_code == 302, method
            assert answer["Location"] == f"{reverse('login')}?next={url}"


def test_it_answers_404_for_unknown_tenants(cast: Cast) -> None:
    client = cast.client_for("bureau_admin")
    assert client.get("/d/no-such-department/").status_code == 404
    assert client.get("/j/no-such-bureau/").status_code == 404
