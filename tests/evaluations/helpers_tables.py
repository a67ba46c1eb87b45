"""Shared helpers of the table tests: posting a section and reading what the rules see."""

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from evaluations.selectors.checks import evaluation_violations
from evaluations.selectors.evaluations import evaluation_values
from tests.conftest import Cast

HTMX = {"HTTP_HX_REQUEST": "true"}


def save(cast: Cast, key: str, data: dict[str, str], *, client: Client | None = None) -> Any:
    url = reverse(
        "department:section_save",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key},
    )
    return (client or cast.client_for("filler_a")).post(url, {"based_on": "0", **data}, **HTMX)


def table_url(cast: Cast, table: str) -> str:
    return reverse(
        "department:evaluation_table",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "table": table},
    )


def values_of(cast: Cast) -> dict[str, Any]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        return evaluation_values(cast.evaluation_a)


def messages_of(cast: Cast) -> list[str]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        values = evaluation_values(cast.evaluation_a)
        return [v.message for v in evaluation_violations(cast.evaluation_a, values)]


def rows(prefix: str, lines: list[dict[str, str]], *, initial: int = 0) -> dict[str, str]:
    """A formset's POST data: management form and one dict per row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(lines)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(lines):
        data.update({f"{prefix}-{index}-{name}": value for name, value in line.items()})
    return data


def page_queries(client: Client, url: str) -> int:
    """The queries of one GET of `url`, after a first GET has warmed the session."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
