"""A NUL character in a query string is refused before any view reads it (PostgreSQL cannot
compare it: the portal's search and filters ended in a 500)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast


@pytest.mark.parametrize(
    "query",
    [{"q": "商务\x00局"}, {"department": "\x00"}, {"\x00": "1"}],
    ids=["q", "filter", "key"],
)
def test_the_portal_answers_400_in_chinese(db: None, query: dict[str, str]) -> None:
    response = Client().get(reverse("portal:index"), query)
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


def test_the_api_answers_400_as_json(module_cast: Cast) -> None:
    client = module_cast.client_for("filler_a")
    response = client.get(reverse("rubrics-api:list"), {"q": "\x00"})
    assert response.status_code == 400
    assert response.json()["detail"] == "请求无法处理。"


def test_a_query_without_one_is_served(db: None) -> None:
    assert Client().get(reverse("portal:index"), {"q": "商务局"}).status_code == 200
