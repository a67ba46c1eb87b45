"""The evaluation page's publication panel: progress while rendering (polled), the code and the
links once published, a failure's message with 「重新生成」 for reviewers, withdrawals."""

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from evaluations.models import Evaluation
from publishing.models import Publication
from publishing.tasks import publish_evaluation
from tests.conftest import Cast
from tests.evaluations.test_workflow import put_in
from tests.factories import artifact_of, publication_of

State = Publication.State


def submitted_once(cast: Cast, state: str) -> Evaluation:
    evaluation = put_in(cast.evaluation_a, state)
    with scopes_disabled():
        Evaluation.objects.filter(pk=evaluation.pk).update(first_submitted_at=timezone.now())
    return evaluation


def page(cast: Cast, who: str) -> str:
    url = reverse(
        "department:evaluation",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
    )
    response = cast.client_for(who).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_rendering_publication_shows_its_progress_and_is_polled(cast: Cast) -> None:
    evaluation = submitted_once(cast, Evaluation.State.PUBLISHED)
    publication_of(evaluation, state="pending", documents_total=5, documents_done=2)
    html = page(cast, "filler_a")
    assert '<progress max="5" value="2"' in html and "已生成 2 / 5 个文件" in html
    panel = reverse(
        "department:evaluation_publications",
        kwargs={"department": cast.department_a.slug, "pk": evaluation.pk},
    )
    assert f'hx-get="{panel}" hx-trigger="every 2s"' in html


def test_a_published_one_shows_its_code_and_links(cast: Cast) -> None:
    evaluation = submitted_once(cast, Evaluation.State.PUBLISHED)
    publication = publication_of(evaluation, documents_total=1, documents_done=1)
    artifact_of(publication, "package", title="公开材料合订本")
    html = page(cast, "head_a")
    assert publication.display_code in html
    assert reverse("portal:publication", args=[publication.code]) in html
    assert reverse("portal:download", args=[publication.code, "package"]) in html
    assert reverse("verify:code", args=[publication.code]) in html
    assert "公开材料合订本" in html and "every 2s" not in html


@pytest.mark.parametrize(("who", "offered"), [("reviewer", True), ("head_a", False)])
def test_a_failed_one_shows_the_error_and_retry_to_publishers(
    cast: Cast, who: str, offered: bool
) -> None:
    evaluation = submitted_once(cast, Evaluation.State.PUBLISHED)
    publication_of(evaluation, state="failed", error="生成超时：请重新生成。")
    html = page(cast, who)
    assert "生成超时：请重新生成。" in html
    retry = reverse(
        "department:publication_retry",
        kwargs={"department": cast.department_a.slug, "pk": evaluation.pk},
    )
    assert (retry in html) is offered and ("重新生成</button>" in html) is offered


def test_retry_sends_the_task_again(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    sent: list[int] = []
    monkeypatch.setattr(publish_evaluation, "delay", sent.append)
    evaluation = submitted_once(cast, Evaluation.State.PUBLISHED)
    publication = publication_of(evaluation, state="failed", error="x")
    retry = reverse(
        "department:publication_retry",
        kwargs={"department": cast.department_a.slug, "pk": evaluation.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("reviewer").post(retry)
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.state == State.PENDING and publication.error == ""
    assert sent == [publication.pk]


def test_a_withdrawn_one_is_listed_with_its_reason(cast: Cast) -> None:
    evaluation = submitted_once(cast, Evaluation.State.APPROVED)
    publication_of(
        evaluation,
        state="withdrawn",
        withdrawn_at=timezone.now(),
        withdrawal_reason="附表数据有误，更正后重新公开",
    )
    html = page(cast, "filler_a")
    assert "附表数据有误，更正后重新公开" in html and "已撤回" in html


def test_a_draft_never_submitted_has_no_panel(cast: Cast) -> None:
    assert 'id="publications"' not in page(cast, "filler_a")


def test_a_publication_stuck_pending_may_be_retried(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """Its task was lost (the hard time limit, a broker down when it was sent)."""
    sent: list[int] = []
    monkeypatch.setattr(publish_evaluation, "delay", sent.append)
    evaluation = submitted_once(cast, Evaluation.State.PUBLISHED)
    publication = publication_of(evaluation, state="pending")
    with scopes_disabled():
        Publication.objects.filter(pk=publication.pk).update(
            requested_at=timezone.now() - datetime.timedelta(hours=1)
        )
    html = page(cast, "reviewer")
    assert "生成时间过长" in html and "重新生成</button>" in html
    retry = reverse(
        "department:publication_retry",
        kwargs={"department": cast.department_a.slug, "pk": evaluation.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("bureau_admin").post(retry)
    assert sent == [publication.pk]


def test_a_publication_rendering_now_is_not_offered_a_retry(cast: Cast) -> None:
    evaluation = submitted_once(cast, Evaluation.State.PUBLISHED)
    publication_of(evaluation, state="pending")
    html = page(cast, "reviewer")
    assert "生成时间过长" not in html and "重新生成</button>" not in html
