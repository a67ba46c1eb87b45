"""Bulk publishing of a campaign: the real publish transition for each approved evaluation, each
in its own transaction and sending its own task; one refused does not stop the others. And the
dashboard's control and progress."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from departments.roles import Role
from evaluations.models import Evaluation, Transition
from publishing import services
from publishing.models import Publication
from publishing.tasks import publish_evaluation
from tests.conftest import Cast
from tests.evaluations.test_workflow import fresh, put_in
from tests.factories import publication_of

State = Publication.State
REVIEWER = frozenset({Role.REVIEWER})


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The publications whose task was sent (rendering itself is tested in test_pipeline.py)."""
    ids: list[int] = []
    monkeypatch.setattr(publish_evaluation, "delay", ids.append)
    return ids


def approve_both(cast: Cast) -> None:
    for evaluation in (cast.evaluation_a, cast.evaluation_b):
        put_in(evaluation, Evaluation.State.APPROVED)
    with scopes_disabled():
        Evaluation.objects.filter(campaign=cast.campaign).update(first_submitted_at=timezone.now())


def test_it_publishes_every_approved_evaluation_each_with_its_task(
    cast: Cast, sent: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    approve_both(cast)
    with (
        scope(jurisdiction=cast.bureau.pk, department=None),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outcome = services.campaign_publish_all(
            campaign=cast.campaign, by=cast.users["reviewer"], roles=REVIEWER
        )
    assert outcome.published == 2 and outcome.refused == []
    with scopes_disabled():
        publications = list(Publication.objects.filter(evaluation__campaign=cast.campaign))
        assert Transition.objects.filter(name="publish").count() == 2
    assert {p.state for p in publications} == {State.PENDING}
    assert sorted(sent) == sorted(p.pk for p in publications)
    assert fresh(cast.evaluation_a).state == Evaluation.State.PUBLISHED
    assert fresh(cast.other_evaluation).state == Evaluation.State.DRAFT  # another bureau's


def test_one_refused_does_not_stop_the_others(
    cast: Cast, sent: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    approve_both(cast)
    with scope(jurisdiction=cast.bureau.pk, department=None):
        # A live publication left over: A's new one breaks the one-live constraint.
        publication_of(cast.evaluation_a, state="pending")
        with django_capture_on_commit_callbacks(execute=True):
            outcome = services.campaign_publish_all(
                campaign=cast.campaign, by=cast.users["bureau_admin"], roles=REVIEWER
            )
    assert outcome.published == 1
    assert [name for name, _ in outcome.refused] == [cast.department_a.name]
    assert fresh(cast.evaluation_a).state == Evaluation.State.APPROVED  # rolled back
    assert fresh(cast.evaluation_b).state == Evaluation.State.PUBLISHED
    assert len(sent) == 1


def test_fillers_may_not_publish_a_campaign(cast: Cast) -> None:
    approve_both(cast)
    with (
        scope(jurisdiction=cast.bureau.pk, department=None),
        pytest.raises(services.PermissionDenied),
    ):
        services.campaign_publish_all(
            campaign=cast.campaign,
            by=cast.users["head_a"],
            roles=frozenset({Role.DEPARTMENT_HEAD}),
        )
    assert fresh(cast.evaluation_a).state == Evaluation.State.APPROVED


def dashboard(cast: Cast) -> str:
    return reverse(
        "bureau:campaign", kwargs={"jurisdiction": cast.bureau.slug, "pk": cast.campaign.pk}
    )


def test_the_dashboard_offers_bulk_publishing_then_follows_it(
    cast: Cast, sent: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    approve_both(cast)
    client = cast.client_for("reviewer")
    page = client.get(dashboard(cast)).content.decode()
    publish = reverse(
        "bureau:campaign_publish", kwargs={"jurisdiction": cast.bureau.slug, "pk": cast.campaign.pk}
    )
    assert publish in page and "公开全部已审核（2 份）" in page

    confirm = client.get(publish).content.decode()
    assert 'name="confirmed" value="yes"' in confirm and "2 份自评" in confirm
    # The bulk job (run in process here) takes each publish step; each sends its own task.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish, {"confirmed": "yes"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(dashboard(cast) + "?publishing=")
    assert location.endswith("#publishing")
    assert len(sent) == 2
    with scopes_disabled():
        assert Transition.objects.filter(name="publish", actor=cast.users["reviewer"]).count() == 2

    progress_url = reverse(
        "bureau:campaign_publishing",
        kwargs={"jurisdiction": cast.bureau.slug, "pk": cast.campaign.pk},
    )
    rendering = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in rendering and "已公开 0 / 2" in rendering
    assert '<progress id="publishing-progress" max="2" value="0">' in rendering

    with scopes_disabled():
        first, second = Publication.objects.filter(evaluation__campaign=cast.campaign)
        Publication.objects.filter(pk=first.pk).update(state=State.PUBLISHED)
        Publication.objects.filter(pk=second.pk).update(state=State.FAILED, error="生成超时")
    done = client.get(progress_url).content.decode()
    assert "hx-trigger" not in done and "已公开 1 / 2" in done
    assert "生成超时" in done and second.department.name in done


def test_the_dashboard_keeps_asking_while_the_bulk_job_has_work_left(
    cast: Cast, sent: list[int]
) -> None:
    """Right after 「公开全部已审核」 the job may not have taken any step yet: nothing renders,
    but approved evaluations wait. Without the request's time, nothing is awaited."""
    approve_both(cast)
    client = cast.client_for("bureau_admin")
    progress_url = reverse(
        "bureau:campaign_publishing",
        kwargs={"jurisdiction": cast.bureau.slug, "pk": cast.campaign.pk},
    )
    now = int(timezone.now().timestamp())
    waiting = client.get(progress_url, {"publishing": now}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and f"?publishing={now}" in waiting
    assert "2 份已审核的自评正在排队公开" in waiting
    assert "公开全部已审核（" not in waiting  # not offered twice

    idle = client.get(progress_url).content.decode()
    assert "hx-trigger" not in idle and "公开全部已审核（2 份）" in idle
    stale = client.get(progress_url, {"publishing": now - 3600}).content.decode()
    assert "hx-trigger" not in stale


def test_without_confirmation_nothing_is_published(cast: Cast, sent: list[int]) -> None:
    approve_both(cast)
    publish = reverse(
        "bureau:campaign_publish", kwargs={"jurisdiction": cast.bureau.slug, "pk": cast.campaign.pk}
    )
    cast.client_for("bureau_admin").post(publish, {})
    assert fresh(cast.evaluation_a).state == Evaluation.State.APPROVED and sent == []
