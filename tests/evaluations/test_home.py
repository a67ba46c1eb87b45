"""The home page by role (我的工作台): each role's block, and the workspaces as before."""

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from departments.roles import Role
from evaluations.models import Campaign, Evaluation, SectionState, Transition
from evaluations.selectors import home as home_selectors
from tests.conftest import Cast
from tests.factories import DepartmentMembershipFactory, JurisdictionMembershipFactory

State = Evaluation.State


def home(cast: Cast, role: str) -> Any:
    response = cast.client_for(role).get(reverse("home"))
    assert response.status_code == 200
    return response


def set_due(cast: Cast, days: int) -> datetime.date:
    due = timezone.localdate() + datetime.timedelta(days=days)
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(due_on=due)
    return due


def update(evaluation: Evaluation, **fields: Any) -> None:
    with scopes_disabled():
        Evaluation.objects.filter(pk=evaluation.pk).update(**fields)


def test_it_sends_anonymous_users_to_log_in(cast: Cast) -> None:
    response = cast.client_for("anonymous").get(reverse("home"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_filler_sees_days_left_sections_and_findings(cast: Cast) -> None:
    set_due(cast, 5)
    update(cast.evaluation_a, error_count=3, warning_count=2, summarized_at=timezone.now())
    with scopes_disabled():
        SectionState.objects.create(evaluation=cast.evaluation_a, key="basic.staffing", version=2)
        SectionState.objects.create(evaluation=cast.evaluation_a, key="basic.assets", version=0)
    response = home(cast, "filler_a")
    (item,) = response.context["home"].filler
    assert item.evaluation.pk == cast.evaluation_a.pk
    assert item.days_left == 5 and item.sections_saved == 1 and item.sections_total > 1
    html = response.content.decode()
    assert "还剩 5 天" in html and "待填报的自评" in html
    assert "待审核" not in html and "待提交的自评" not in html


def test_the_filler_sees_how_many_days_overdue(cast: Cast) -> None:
    set_due(cast, -4)
    assert "逾期 4 天" in home(cast, "filler_a").content.decode()


def test_the_filler_does_not_see_submitted_evaluations_or_other_departments(cast: Cast) -> None:
    update(cast.evaluation_a, state=State.SUBMITTED)
    assert home(cast, "filler_a").context["home"].filler == []
    (item,) = home(cast, "filler_b").context["home"].filler
    assert item.evaluation.pk == cast.evaluation_b.pk


def test_the_head_sees_what_awaits_submission_and_whether_it_is_blocked(cast: Cast) -> None:
    update(cast.evaluation_a, error_count=2, warning_count=0, summarized_at=timezone.now())
    response = home(cast, "head_a")
    (item,) = response.context["home"].head_pending
    assert item.blocked
    assert "暂不能提交：2 个错误、0 个警告未说明" in response.content.decode()
    update(cast.evaluation_a, error_count=0)
    assert "可以提交" in home(cast, "head_a").content.decode()


def test_the_head_sees_what_was_returned_with_the_reason(cast: Cast) -> None:
    update(cast.evaluation_a, state=State.RETURNED)
    with scopes_disabled():
        Transition.objects.create(
            evaluation=cast.evaluation_a,
            name="return",
            from_state=State.SUBMITTED,
            to_state=State.RETURNED,
            actor=cast.users["reviewer"],
            reason="资产表数据有误",
        )
    response = home(cast, "head_a")
    assert response.context["home"].head_pending == []
    (item,) = response.context["home"].head_returned
    assert item.return_reason == "资产表数据有误"
    assert "被退回修改的自评" in response.content.decode()


def test_the_reviewer_sees_the_queue_oldest_first_and_campaign_progress(cast: Cast) -> None:
    now = timezone.now()
    update(cast.evaluation_a, state=State.SUBMITTED, submitted_at=now)
    update(cast.evaluation_b, state=State.SUBMITTED, submitted_at=now - datetime.timedelta(days=1))
    response = home(cast, "reviewer")
    (bureau,) = response.context["home"].bureaus
    assert [e.pk for e in bureau.queue] == [cast.evaluation_b.pk, cast.evaluation_a.pk]
    (progress,) = bureau.campaigns
    assert (progress.campaign.pk, progress.done, progress.total) == (cast.campaign.pk, 2, 2)
    html = response.content.decode()
    assert (
        reverse("bureau:campaign", kwargs={"jurisdiction": "jia", "pk": cast.campaign.pk}) in html
    )
    assert "待填报的自评" not in html


def test_the_bureau_block_shows_only_the_users_bureau(cast: Cast) -> None:
    update(cast.other_evaluation, state=State.SUBMITTED, submitted_at=timezone.now())
    (bureau,) = home(cast, "outsider").context["home"].bureaus
    assert bureau.jurisdiction_slug == "zi"
    assert [e.pk for e in bureau.queue] == [cast.other_evaluation.pk]
    assert home(cast, "reviewer").context["home"].bureaus[0].queue == []


def test_a_user_with_several_roles_sees_each_block(cast: Cast) -> None:
    user = cast.users["filler_a"]
    DepartmentMembershipFactory(user=user, department=cast.department_a, role=Role.DEPARTMENT_HEAD)
    JurisdictionMembershipFactory(user=user, jurisdiction=cast.bureau, role=Role.REVIEWER)
    html = home(cast, "filler_a").content.decode()
    for title in ("待填报的自评", "待提交的自评", "待审核", "我的工作空间"):
        assert title in html
    # The workspaces' links stay.
    assert reverse("department:home", kwargs={"department": "jia-commerce"}) in html
    assert reverse("bureau:home", kwargs={"jurisdiction": "jia"}) in html


def test_the_queue_lists_the_oldest_and_counts_them_all(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(home_selectors, "QUEUE_LIMIT", 1)
    now = timezone.now()
    update(cast.evaluation_a, state=State.SUBMITTED, submitted_at=now)
    update(cast.evaluation_b, state=State.SUBMITTED, submitted_at=now - datetime.timedelta(days=1))
    response = home(cast, "reviewer")
    (bureau,) = response.context["home"].bureaus
    assert [e.pk for e in bureau.queue] == [cast.evaluation_b.pk]
    assert bureau.queue_total == 2 and bureau.campaigns[0].submitted == 2
    assert "待审核（2）" in response.content.decode()
