"""The demo's 湛江市商务局 2019 documents, rendered once per test session (rendering them takes
most of a minute). The tests that read them run first (tests/conftest.py), one after another, so
that xdist's first batch gives them all to one worker and only that worker renders them."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django_scopes import scope, scopes_disabled

from evaluations.demo.load import load_demo
from evaluations.models import Evaluation
from evaluations.scoring.department import evaluation_scoring
from evaluations.selectors.evaluations import evaluation_with_parts
from publishing.documents.catalogue import package_parts
from publishing.documents.renderer import (
    Rendered,
    document_html,
    evaluation_data,
    package_title,
    render_document,
)
from publishing.documents.scoresheet import headings


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


def score_heads() -> list[list[str]]:
    """The headings of each row of 湛江 2019's 评分表, outermost first, as its rubric names them."""
    found = zhanjiang_2019()
    department = found.department
    with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
        evaluation = evaluation_with_parts(pk=found.pk)
        assert evaluation is not None
        computed = evaluation_scoring(evaluation)
        assert computed is not None
        definition, result = computed
        # From the rubric itself, not from the sheet's layout under test.
        return [[head.label for head in headings(definition, item)] for item in result.items]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read the documents are database tests (so that the test database is set up
    even when only they run); tests/conftest.py runs them first, together."""
    for item in items:
        if "_demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


def package_html() -> str:
    found = zhanjiang_2019()
    department = found.department
    with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
        evaluation = evaluation_with_parts(pk=found.pk)
        assert evaluation is not None
        with evaluation_data(evaluation, draft=False) as data:
            return document_html(data, package_parts(data), title=package_title(data), package=True)


@dataclass(frozen=True)
class Demo:
    documents: dict[str, Rendered]
    score_heads: list[list[str]]  # each row of the 评分表: its 一级, (二级,) 三级 headings
    package_html: str  # the HTML the package was laid out from


@pytest.fixture(scope="session")
def _demo(django_db_setup: Any, django_db_blocker: Any) -> Demo:
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        rendered = render_demo(["report", "scores", "funds", "package"], draft=False)
        heads = score_heads()
        html = package_html()
        transaction.set_rollback(True)
    return Demo(rendered, heads, html)


@pytest.fixture(scope="session")
def demo_documents(_demo: Demo) -> dict[str, Rendered]:
    """The report, scoring sheet, funds table and package of 湛江 2019, as published (without the
    draft watermark); the demo is loaded in a transaction that is rolled back at once."""
    return _demo.documents


@pytest.fixture(scope="session")
def demo_package_html(_demo: Demo) -> str:
    return _demo.package_html


@pytest.fixture(scope="session")
def demo_score_heads(_demo: Demo) -> list[list[str]]:
    """The headings of each row of the demo's 评分表, outermost first, as the rubric names them."""
    return _demo.score_heads
