"""The demo's 湛江市商务局 2019 documents, rendered once per test session (rendering them takes
most of a minute). The tests that read them run first (tests/conftest.py), one after another, so
that xdist's first batch gives them all to one worker and only that worker renders them."""

from typing import Any

import pytest
from django.db import transaction
from django_scopes import scope, scopes_disabled

from evaluations.demo.load import load_demo
from evaluations.models import Evaluation
from evaluations.selectors.evaluations import evaluation_with_parts
from publishing.documents.renderer import Rendered, evaluation_data, render_document


def zhanjiang_2019() -> Evaluation:
    with scopes_disabled():
        return Evaluation.objects.select_related("department").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )


def render_demo(slugs: list[str], *, draft: bool) -> dict[str, Rendered]:
    """Documents of 湛江 2019 from the demo data, rendered inside the evaluation's scope."""
    found = zhanjiang_2019()
    department = found.department
    with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
        evaluation = evaluation_with_parts(pk=found.pk)
        assert evaluation is not None
        with evaluation_data(evaluation, draft=draft) as data:
            return {slug: render_document(data, slug) for slug in slugs}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read the documents are database tests (so that the test database is set up
    even when only they run); tests/conftest.py runs them first, together."""
    for item in items:
        if "demo_documents" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def demo_documents(django_db_setup: Any, django_db_blocker: Any) -> dict[str, Rendered]:
    """The report, scoring sheet, funds table and package of 湛江 2019, as published (without the
    draft watermark); the demo is loaded in a transaction that is rolled back at once."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        rendered = render_demo(["report", "scores", "funds", "package"], draft=False)
        transaction.set_rollback(True)
    return rendered
