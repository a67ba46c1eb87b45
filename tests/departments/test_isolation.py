"""Every tenant URL, walked from the URLconf: outsiders get 404, anonymous users go to login.

A new URL pattern that takes a department or a jurisdiction joins these tests by itself; if it
needs other arguments, add sample values to SAMPLE_KWARGS or the walk fails and says so.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from departments.roles import Role
from departments.tenancy import declared_roles, is_tenant_pattern
from tests.conftest import Cast
from tests.factories import evidence_for, project_of

# Values for the non-tenant arguments of tenant URLs, taken from tenant A's own objects.
SAMPLE_KWARGS: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "department:evaluation": lambda cast: {"pk": cast.evaluation_a.pk},
    "department:evaluation_table": lambda cast: {"pk": cast.evaluation_a.pk, "table": "basic"},
    "department:section_save": lambda cast: {"pk": cast.evaluation_a.pk, "key": "basic.staffing"},
    "department-api:evaluation": lambda cast: {"pk": cast.evaluation_a.pk},
    "department-api:section": lambda cast: {"pk": cast.evaluation_a.pk, "key": "basic.staffing"},
    "department:project_add": lambda cast: {"pk": cast.evaluation_a.pk},
    "department:warning_explanation": lambda cast: {"pk": cast.evaluation_a.pk},
    "department:evaluation_excel": lambda cast: {"pk": cast.evaluation_a.pk},
    "department:evaluation_excel_import": lambda cast: {"pk": cast.evaluation_a.pk},
    "department:project": lambda cast: {
        "pk": cast.evaluation_a.pk,
        "project_pk": project_of(cast.evaluation_a).pk,
    },
    "department:evidence_upload": lambda cast: {
        "pk": cast.evaluation_a.pk,
        "key": "basic.staffing",
    },
    "department:evidence_download": lambda cast: {
        "pk": cast.evaluation_a.pk,
        "evidence": evidence_for(cast.evaluation_a).pk,
    },
    "department:evidence_delete": lambda cast: {
        "pk": cast.evaluation_a.pk,
        "evidence": evidence_for(cast.evaluation_a).pk,
    },
    "bureau:campaign": lambda cast: {"pk": cast.campaign.pk},
}


def walk(
    resolvers: list[Any], namespace: str = "", kwargs: frozenset[str] = frozenset()
) -> Iterator[tuple[str, frozenset[str]]]:
    for entry in resolvers:
        names = kwargs | frozenset(getattr(entry.pattern, "converters", {}).keys())
        if isinstance(entry, URLResolver):
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", names


TENANT_URL_KWARGS = {
    name: kwargs for name, kwargs in walk(get_resolver().url_patterns) if is_tenant_pattern(kwargs)
}
TENANT_URL_NAMES = sorted(
    {name for name, kwargs in walk(get_resolver().url_patterns) if is_tenant_pattern(kwargs)}
)


def tenant_url(cast: Cast, name: str) -> str:
    kwargs = dict(SAMPLE_KWARGS[name](cast)) if name in SAMPLE_KWARGS else {}
    if "department" in TENANT_URL_KWARGS[name]:
        kwargs["department"] = cast.department_a.slug
    else:
        kwargs["jurisdiction"] = cast.bureau.slug
    return reverse(name, kwargs=kwargs)


def outsiders_of(name: str) -> list[str]:
    """Users with no membership in the tenant the URL names."""
    if "department" in TENANT_URL_KWARGS[name]:
        return ["outsider", "filler_b"]
    return ["outsider", "filler_a", "head_a", "filler_b"]


def test_it_finds_the_tenant_urls() -> None:
    assert {"department:home", "department:evaluation", "bureau:home", "bureau:campaign"} <= set(
        TENANT_URL_NAMES
    )


@pytest.mark.parametrize("name", TENANT_URL_NAMES)
def test_it_sends_anonymous_users_to_login(cast: Cast, name: str) -> None:
    url = tenant_url(cast, name)
    response = cast.client_for("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", TENANT_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_to_outsiders(cast: Cast, name: str, method: str) -> None:
    url = tenant_url(cast, name)
    for user in outsiders_of(name):
        response = getattr(cast.client_for(user), method)(url)
        assert response.status_code == 404, (user, url)


@pytest.mark.parametrize("name", TENANT_URL_NAMES)
def test_it_lets_a_member_with_the_role_through(cast: Cast, name: str) -> None:
    """The walk above means something only if the same URLs open for the right people."""
    allowed = declared_roles(resolve(tenant_url(cast, name)).func) or frozenset()
    user = "bureau_admin" if Role.BUREAU_ADMIN in allowed else "filler_a"
    response = cast.client_for(user).get(tenant_url(cast, name))
    assert response.status_code in {200, 405}, name  # 405: a POST-only view, reached


def test_it_answers_404_for_unknown_tenants(cast: Cast) -> None:
    client = cast.client_for("bureau_admin")
    assert client.get("/d/no-such-department/").status_code == 404
    assert client.get("/j/no-such-bureau/").status_code == 404
