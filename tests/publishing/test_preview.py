"""预览 PDF from the evaluation page: for everyone who may see the evaluation, marked 草稿 until
it is published, and nothing for anyone else."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.models import Evaluation
from tests.conftest import Cast
from tests.publishing import pdf

pytestmark = pytest.mark.django_db


def preview_url(cast: Cast, document: str) -> str:
    evaluation = cast.evaluation_a
    kwargs = {"department": cast.department_a.slug, "pk": evaluation.pk, "document": document}
    return reverse("department:document_preview", kwargs=kwargs)


@pytest.mark.parametrize("role", ["filler_a", "head_a", "reviewer", "bureau_admin"])
def test_it_renders_a_draft_for_everyone_who_may_see_the_evaluation(cast: Cast, role: str) -> None:
    response = cast.client_for(role).get(preview_url(cast, "report"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "inline" in response["Content-Disposition"]
    assert "草稿" in pdf.flat_text(response.content)


def test_it_checks_ownership(cast: Cast) -> None:
    assert cast.client_for("filler_b").get(preview_url(cast, "report")).status_code == 404
    assert cast.client_for("outsider").get(preview_url(cast, "report")).status_code == 404
    assert cast.client_for("anonymous").get(preview_url(cast, "report")).status_code == 302


def test_documents_of_tables_the_campaign_does_not_fill_are_not_found(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    assert client.get(preview_url(cast, "hunan-basic")).status_code == 404
    assert client.get(preview_url(cast, "no-such-document")).status_code == 404


def test_the_published_version_has_no_watermark(cast: Cast) -> None:
    with scopes_disabled():
        Evaluation.objects.filter(pk=cast.evaluation_a.pk).update(state=Evaluation.State.PUBLISHED)
    response = cast.client_for("reviewer").get(preview_url(cast, "package"))
    assert response.status_code == 200
    assert "草稿" not in pdf.flat_text(response.content)


def test_the_evaluation_page_links_every_document(cast: Cast) -> None:
    page = cast.client_for("head_a").get(
        reverse(
            "department:evaluation",
            kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
        )
    )
    html = page.content.decode()
    assert "预览 PDF" in html
    for document in ("package", "report", "funds", "scores"):
        assert preview_url(cast, document) in html
