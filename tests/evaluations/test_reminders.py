"""截止提醒: N days before a campaign's deadline, and on the day, the fillers and heads of every
department that has not submitted are reminded, once a day, in the inbox and by e-mail."""

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from celery.schedules import crontab
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from config.celery import app
from evaluations.models import Campaign, Evaluation, Notification
from evaluations.services.reminders import send_deadline_reminders
from evaluations.tasks import send_deadline_reminders as reminders_task
from tests.conftest import Cast
from tests.factories import DepartmentMembershipFactory

DUE = datetime.date(2020, 3, 31)
THREE_DAYS_BEFORE = datetime.date(2020, 3, 28)


@pytest.fixture(autouse=True)
def _eager_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The e-mail task runs in the test (CI sets a broker; these tests are not about Celery)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)


def due(cast: Cast, on: datetime.date = DUE, *, reminder_days: int = 3, **fields: Any) -> None:
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(
            due_on=on, reminder_days=reminder_days, **fields
        )


def set_state(evaluation: Evaluation, state: str) -> None:
    with scopes_disabled():
        Evaluation.objects.filter(pk=evaluation.pk).update(state=state)


def recipients() -> set[int]:
    return set(Notification.objects.values_list("recipient_id", flat=True))


def people(cast: Cast, *names: str) -> set[int]:
    return {cast.users[name].pk for name in names}


@pytest.fixture
def b_submitted(cast: Cast) -> Cast:
    """Department A has not submitted; department B has."""
    due(cast)
    set_state(cast.evaluation_b, Evaluation.State.SUBMITTED)
    DepartmentMembershipFactory(department=cast.department_b, role="department_head")
    return cast


def test_it_reminds_the_fillers_and_heads_that_have_not_submitted(b_submitted: Cast) -> None:
    cast = b_submitted
    assert send_deadline_reminders(today=THREE_DAYS_BEFORE) == 1
    assert recipients() == people(cast, "filler_a", "head_a")
    entry = Notification.objects.get(recipient=cast.users["filler_a"])
    assert entry.subject == "甲市商务局 2019 年度自评距截止还有 3 天（2020-03-31 截止）"
    assert "尚未提交" in entry.body and "填报中" in entry.body
    assert entry.evaluation_id == cast.evaluation_a.pk
    assert entry.url == f"/d/jia-commerce/evaluations/{cast.evaluation_a.pk}/"


def test_a_returned_evaluation_is_reminded(b_submitted: Cast) -> None:
    cast = b_submitted
    set_state(cast.evaluation_b, Evaluation.State.RETURNED)
    assert send_deadline_reminders(today=THREE_DAYS_BEFORE) == 2
    assert people(cast, "filler_a", "head_a", "filler_b") <= recipients()
    entry = Notification.objects.get(recipient=cast.users["filler_b"])
    assert "已退回" in entry.body


@pytest.mark.parametrize(
    "state", [Evaluation.State.SUBMITTED, Evaluation.State.APPROVED, Evaluation.State.PUBLISHED]
)
def test_a_department_past_its_submission_is_not_reminded(cast: Cast, state: str) -> None:
    due(cast)
    set_state(cast.evaluation_a, state)
    set_state(cast.evaluation_b, state)
    assert send_deadline_reminders(today=THREE_DAYS_BEFORE) == 0
    assert not Notification.objects.exists()


def test_it_reminds_n_days_before_and_on_the_day_only(b_submitted: Cast) -> None:
    reminded = {
        days_left: send_deadline_reminders(today=DUE - datetime.timedelta(days=days_left))
        for days_left in range(-2, 6)
    }
    assert reminded == {-2: 0, -1: 0, 0: 1, 1: 0, 2: 0, 3: 1, 4: 0, 5: 0}
    subjects = sorted(
        Notification.objects.filter(recipient=b_submitted.users["head_a"]).values_list(
            "subject", flat=True
        )
    )
    assert subjects == [
        "甲市商务局 2019 年度自评今天截止（2020-03-31）",
        "甲市商务局 2019 年度自评距截止还有 3 天（2020-03-31 截止）",
    ]


def test_the_reminder_days_are_the_campaigns(cast: Cast) -> None:
    due(cast, reminder_days=7)
    assert send_deadline_reminders(today=THREE_DAYS_BEFORE) == 0
    assert send_deadline_reminders(today=datetime.date(2020, 3, 24)) == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"reminder_days": 0},  # 0 means no reminders, not even on the day
        {"status": Campaign.Status.CLOSED},
        {"status": Campaign.Status.PREPARING},
    ],
)
def test_it_reminds_nobody_of_a_campaign_without_reminders(
    cast: Cast, fields: dict[str, Any]
) -> None:
    due(cast, **{"reminder_days": 3, **fields})
    assert send_deadline_reminders(today=THREE_DAYS_BEFORE) == 0
    assert send_deadline_reminders(today=DUE) == 0
    assert not Notification.objects.exists()


def test_each_bureau_is_reminded_of_its_own_deadline(cast: Cast) -> None:
    due(cast)
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.other_campaign.pk).update(
            due_on=DUE + datetime.timedelta(days=1), reminder_days=3
        )
    other_filler: Any = DepartmentMembershipFactory(department=cast.other_department).user
    send_deadline_reminders(today=THREE_DAYS_BEFORE)
    assert other_filler.pk not in recipients()
    send_deadline_reminders(today=THREE_DAYS_BEFORE + datetime.timedelta(days=1))
    assert Notification.objects.get(recipient=other_filler).evaluation_id == (
        cast.other_evaluation.pk
    )


def test_a_second_run_the_same_day_sends_nothing(
    b_submitted: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    cast = b_submitted
    for user in (cast.users["filler_a"], cast.users["head_a"]):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=THREE_DAYS_BEFORE) == 1
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2
    assert "距截止还有 3 天" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=THREE_DAYS_BEFORE) == 0
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_remind_once(cast: Cast) -> None:
    due(cast)
    set_state(cast.evaluation_b, Evaluation.State.SUBMITTED)
    start = threading.Barrier(2)
    counts: list[int] = []

    def run() -> None:
        try:
            start.wait()
            counts.append(send_deadline_reminders(today=THREE_DAYS_BEFORE))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert Notification.objects.count() == 2


def test_the_task_reminds_as_of_the_sites_today(cast: Cast) -> None:
    due(cast, timezone.localdate() + datetime.timedelta(days=3))
    assert reminders_task.delay().get() == 2
    assert reminders_task.delay().get() == 0


def test_beat_runs_the_reminders_daily_at_eight_shanghai_time() -> None:
    entry = app.conf.beat_schedule["deadline-reminders"]
    assert entry["task"] == reminders_task.name
    assert entry["schedule"] == crontab(hour=8, minute=0)  # every day of every month
    assert str(app.conf.timezone) == "Asia/Shanghai"
