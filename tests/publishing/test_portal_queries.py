"""The portal reads a fixed number of queries whatever the number of publications (N+1 guards)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from departments.models import Department
from evaluations.models import Evaluation
from publishing.models import Artifact, Publication
from tests.conftest import Cast

FIGURES = {"total_score": "90.00", "grade": "优", "completion_rate": "97.73%"}


def many_publications(cast: Cast, size: int) -> list[Publication]:
    """`size` departments of 甲市, each with a published evaluation and two files (bulk inserts)."""
    with scopes_disabled():
        departments = Department.objects.bulk_create(
            Department(
                jurisdiction=cast.bureau, slug=f"many-{size}-{n}", name=f"甲市{size}号第{n}局"
            )
            for n in range(size)
        )
        evaluations = Evaluation.objects.bulk_create(
            Evaluation(campaign=cast.campaign, department=department, state="published")
            for department in departments
        )
        publications = Publication.objects.bulk_create(
            Publication(
                evaluation=evaluation,
                department=evaluation.department,
                jurisdiction=cast.bureau,
                fiscal_year=2019,
                title=f"{evaluation.department.name}2019年度部门整体支出绩效自评报告",
                search_text=f"{evaluation.department.name} 甲市2019年度自评",
                state="withdrawn" if n % 10 == 0 else "published",
                published_at=timezone.now(),
                withdrawn_at=timezone.now() if n % 10 == 0 else None,
                withdrawal_reason="更正" if n % 10 == 0 else "",
                figures=FIGURES,
            )
            for n, evaluation in enumerate(evaluations)
        )
        Artifact.objects.bulk_create(
            Artifact(
                publication=publication,
                document=document,
                title=document,
                filename=f"{document}.pdf",
                mimetype="application/pdf",
                file=f"publications/{publication.code}/{document}.pdf",
                sha256="0" * 64,
                size=100,
                pages=1,
                position=position,
            )
            for publication in publications
            for position, document in enumerate(("package", "data"))
        )
    return publications


def queries_for(client: Client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(context.captured_queries)


PAGES: dict[str, Callable[[Publication], tuple[str, dict[str, str]]]] = {
    "list": lambda p: (reverse("portal:index"), {}),
    "list page 2": lambda p: (reverse("portal:index"), {"page": "2"}),
    "search": lambda p: (reverse("portal:index"), {"q": "第1局"}),
    "filter": lambda p: (reverse("portal:index"), {"bureau": "jia", "year": "2019"}),
    "detail": lambda p: (reverse("portal:publication", args=[p.code]), {}),
    "campaign": lambda p: (reverse("portal:campaign", args=["jia", 2019]), {}),
    "feed": lambda p: (reverse("portal:feed"), {}),
    "publication json": lambda p: (reverse("portal:publication_json", args=[p.code]), {}),
    "campaign json": lambda p: (reverse("portal:campaign_json", args=["jia", 2019]), {}),
    "campaign csv": lambda p: (reverse("portal:campaign_csv", args=["jia", 2019]), {}),
}


@pytest.mark.parametrize("page", PAGES)
def test_it_costs_the_same_queries_at_two_sizes(
    cast: Cast, django_assert_max_num_queries: Any, page: str
) -> None:
    client = Client()
    small = many_publications(cast, 25)
    url, params = PAGES[page](small[1])
    at_small = queries_for(client, url, params)
    large = many_publications(cast, 120)
    url, params = PAGES[page](large[1])
    with django_assert_max_num_queries(at_small):
        response = client.get(url, params)
    assert response.status_code == 200
    assert at_small <= 6
