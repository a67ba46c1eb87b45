"""Every door of the site and who may pass it: one table, read by the isolation, permission and
cross-tenant tests (after pretix's src/tests/api/test_permissions.py).

A door is one method on one named URL. Its row gives the status each member of the cast gets, in
the order of ROLES, when it sends a minimal body: past the tenancy and role layer a view answers
2xx, a redirect after a write, or its own validation's 4xx; at the layer, anonymous users are sent
to the login page (HTML) or get 401 (API), non-members 404 and members without the role 403.

A new URL is one more row here (and an entry in SAMPLES if it takes a new kind of argument);
tests/departments/test_isolation.py fails naming every tenant or API URL the table lacks.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from departments.tenancy import is_tenant_pattern
from evaluations.models import Evidence
from tests.conftest import Cast
from tests.doors import more_doors
from tests.factories import evidence_for, project_of

ROLES = ("anonymous", "filler_a", "head_a", "reviewer", "bureau_admin", "filler_b", "outsider")
MEMBERS_OF_A = ("filler_a", "head_a", "reviewer", "bureau_admin")

Body = Callable[[Cast], dict[str, Any]]


@dataclass(frozen=True)
class Door:
    method: str
    name: str
    statuses: dict[str, int]
    body: Body | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.name}"

    @property
    def is_api(self) -> bool:
        return self.name in API_URLS

    def passer(self) -> str:
        """A member of tenant A whom the tenancy and role layer lets through this door."""
        return next(r for r in MEMBERS_OF_A if self.statuses[r] not in {403, 404})


def door(method: str, name: str, *statuses: int, body: Body | None = None) -> Door:
    return Door(method, name, dict(zip(ROLES, statuses, strict=True)), body)


def staffing(cast: Cast) -> dict[str, Any]:
    return {
        "based_on": 0,
        "basic-staffing-staff_authorized": 61,
        "basic-staffing-staff_actual": 55,
    }


def staffing_json(cast: Cast) -> dict[str, Any]:
    return {"based_on": 0, "data": {"staff_authorized": 61, "staff_actual": 55}}


def new_project(cast: Cast) -> dict[str, Any]:
    return {"name": "新项目"}


def nothing(cast: Cast) -> dict[str, Any]:
    return {}


def score_inputs(cast: Cast) -> dict[str, Any]:
    return {"inputs": {"procurement_actual": "613.0894", "procurement_planned": "769.1121"}}


# fmt: off
DOORS = [
    #    method    URL name                                   anon fill head rev  adm  b    out
    door("GET",    "department:home",                          302, 200, 200, 200, 200, 404, 404),
    door("GET",    "department:evaluation",                    302, 200, 200, 200, 200, 404, 404),
    door("GET",    "department:evaluation_table",              302, 200, 200, 200, 200, 404, 404),
    # Filler and reviewer may save; which sections each may change is the view's 403 (staffing:
    # fillers only).
    door("POST",   "department:section_save",                  302, 302, 403, 403, 403, 404, 404, body=staffing),
    door("GET",    "department:evaluation_excel",              302, 200, 200, 200, 200, 404, 404),
    # No file: the view's own 400.
    door("POST",   "department:evaluation_excel_import",       302, 400, 403, 403, 403, 404, 404, body=nothing),
    # No warning named: the view's own 400.
    door("POST",   "department:warning_explanation",           302, 400, 403, 403, 403, 404, 404, body=nothing),
    door("POST",   "department:project_add",                   302, 302, 403, 403, 403, 404, 404, body=new_project),
    door("GET",    "department:project",                       302, 200, 200, 200, 200, 404, 404),
    door("GET",    "department:evidence_download",             302, 200, 200, 200, 200, 404, 404),
    door("POST",   "department:evidence_delete",               302, 302, 403, 403, 403, 404, 404, body=nothing),
    # No file: refused with a message, back to the section.
    door("POST",   "department:evidence_upload",               302, 302, 403, 403, 403, 404, 404, body=nothing),
    door("GET",    "department:document_preview",              302, 200, 200, 200, 200, 404, 404),
    door("GET",    "department:members",                       302, 403, 200, 403, 200, 404, 404),
    door("GET",    "bureau:home",                              302, 404, 404, 200, 200, 404, 404),
    door("GET",    "bureau:departments",                       302, 404, 404, 200, 200, 404, 404),
    door("GET",    "bureau:members",                           302, 404, 404, 403, 200, 404, 404),
    door("GET",    "department-api:evaluations",               401, 200, 200, 200, 200, 404, 404),
    door("GET",    "department-api:evaluation",                401, 200, 200, 200, 200, 404, 404),
    door("GET",    "department-api:section",                   401, 200, 200, 200, 200, 404, 404),
    door("PUT",    "department-api:section",                   401, 200, 403, 403, 403, 404, 404, body=staffing_json),
    door("GET",    "rubrics-api:list",                         401, 200, 200, 200, 200, 200, 200),
    door("POST",   "rubrics-api:score",                        401, 200, 200, 200, 200, 200, 200, body=score_inputs),
    # The schema and its documentation page are public: they describe the API, no tenant's data.
    door("GET",    "api-schema",                               200, 200, 200, 200, 200, 200, 200),
    door("GET",    "api-docs",                                 200, 200, 200, 200, 200, 200, 200),
    # Submitting the near-empty evaluation of the cast: blocked by its findings (422), the
    # head's step only.
    door("POST",   "department-api:transition",                401, 403, 422, 403, 403, 404, 404, body=nothing),
]
# fmt: on
# Each area's doors live beside this table, in tests/doors/<area>.py (a list named DOORS).
DOORS += more_doors()


def walk(
    entries: list[Any], namespace: str = "", route: str = "", kwargs: frozenset[str] = frozenset()
) -> Iterator[tuple[str, str, frozenset[str]]]:
    """(name, route, argument names) of every named pattern of the URLconf."""
    for entry in entries:
        names = kwargs | frozenset(getattr(entry.pattern, "converters", {}).keys())
        here = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix, here, names)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", here, names


URL_KWARGS = {name: kwargs for name, _, kwargs in walk(get_resolver().url_patterns)}
API_URLS = frozenset(
    name for name, route, _ in walk(get_resolver().url_patterns) if route.startswith("api/")
)
TENANT_URLS = frozenset(name for name, kwargs in URL_KWARGS.items() if is_tenant_pattern(kwargs))
# The URLs the table must cover: every tenant URL and every API endpoint.
GUARDED_URLS = TENANT_URLS | API_URLS


def non_members(name: str) -> tuple[str, ...]:
    """Who of the cast has no membership in the tenant of A that the URL `name` names."""
    if "department" in URL_KWARGS[name]:
        return ("filler_b", "outsider")
    return ("filler_a", "head_a", "filler_b", "outsider")


def evaluation_or_campaign(cast: Cast, kwargs: frozenset[str]) -> int:
    """`pk` names an evaluation under a department, a campaign under a bureau."""
    return cast.evaluation_a.pk if "department" in kwargs else cast.campaign.pk


def evidence_a(cast: Cast) -> Evidence:
    return evidence_for(cast.evaluation_a, uploaded_by=cast.users["filler_a"])


# A value of tenant A for each argument a guarded URL takes.
SAMPLES: dict[str, Callable[[Cast, frozenset[str]], Any]] = {
    "department": lambda cast, kwargs: cast.department_a.slug,
    "jurisdiction": lambda cast, kwargs: cast.bureau.slug,
    "pk": evaluation_or_campaign,
    "project_pk": lambda cast, kwargs: project_of(cast.evaluation_a).pk,
    "evidence": lambda cast, kwargs: evidence_a(cast).pk,
    "table": lambda cast, kwargs: "basic",
    "key": lambda cast, kwargs: "basic.staffing",
    "document": lambda cast, kwargs: "report",
    "rubric_id": lambda cast, kwargs: "zhanjiang-2019-department",
    "name": lambda cast, kwargs: "submit",
}


def sample_kwargs(cast: Cast, name: str) -> dict[str, Any]:
    """Tenant A's values for the arguments of the URL `name`."""
    kwargs = URL_KWARGS[name]
    return {kwarg: SAMPLES[kwarg](cast, kwargs) for kwarg in kwargs}


def knock(client: Client, door: Door, url: str, body: dict[str, Any] | None) -> HttpResponse:
    """Send `door`'s request to `url`: a form post for pages, JSON for the API."""
    send = getattr(client, door.method.lower())
    if body is None:
        return send(url)
    if door.is_api:
        return send(url, body, content_type="application/json")
    return send(url, body)


def enter(cast: Cast, door: Door, role: str, **kwargs: Any) -> HttpResponse:
    """`role` goes through `door` of tenant A, with some of A's arguments replaced by `kwargs`."""
    url = reverse(door.name, kwargs={**sample_kwargs(cast, door.name), **kwargs})
    body = door.body(cast) if door.body else None
    return knock(cast.client_for(role), door, url, body)
