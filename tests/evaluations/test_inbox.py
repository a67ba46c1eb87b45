"""消息 (the inbox): a transition puts entries in the inboxes of those concerned, the header
counts the unread, opening one reads it, and nobody reaches another person's entries.

The inbox is not a tenant URL, so it has no door rows: isolation is proved here."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from config.celery import app
from departments.roles import Role
from departments.scoping import jurisdiction_scope
from evaluations.models import Evaluation, Notification
from evaluations.services.notifications import email_notifications, notify
from evaluations.services.workflow import evaluation_transition
from evaluations.tasks import send_notification_emails
from tests.conftest import Cast
from tests.test_jobs import ROOT, current_database_url

SITE = "https://zpj.example.gov.cn"
INBOX = "/inbox/"


@pytest.fixture(autouse=True)
def _eager_jobs(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """The e-mail task runs in the test (CI sets a broker; these tests are not about Celery)."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    settings.SITE_URL = SITE


def with_addresses(cast: Cast) -> None:
    for name, user in cast.users.items():
        user.email = f"{name}@example.gov.cn"
        user.first_name, user.last_name = name, "测"
        user.save(update_fields=["email", "first_name", "last_name"])


def returned(cast: Cast, capture: Callable[..., Any]) -> list[Notification]:
    """The reviewer returns department A's submitted evaluation; the e-mail task runs on commit."""
    with scopes_disabled():
        Evaluation.objects.filter(pk=cast.evaluation_a.pk).update(state=Evaluation.State.SUBMITTED)
    with jurisdiction_scope(cast.bureau.pk), capture(execute=True):
        evaluation = Evaluation.objects.get(pk=cast.evaluation_a.pk)
        evaluation_transition(
            evaluation=evaluation,
            name="return",
            by=cast.users["reviewer"],
            roles=frozenset({Role.REVIEWER}),
            reason="请核对在职人数。",
        )
    return list(Notification.objects.order_by("pk"))


@pytest.fixture
def entries(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> list[Notification]:
    with_addresses(cast)
    return returned(cast, django_capture_on_commit_callbacks)


def entry_of(cast: Cast, name: str) -> Notification:
    return Notification.objects.get(recipient=cast.users[name])


def badge(count: int) -> str:
    return f'aria-label="{count} 条未读消息"'


def open_url(entry: Notification) -> str:
    return reverse("inbox:open", kwargs={"pk": entry.pk})


# --- a transition notifies those concerned ------------------------------------------------------


def test_it_puts_a_return_in_the_fillers_and_heads_inbox_not_the_actors(
    cast: Cast, entries: list[Notification]
) -> None:
    assert {entry.recipient_id for entry in entries} == {
        cast.users["filler_a"].pk,
        cast.users["head_a"].pk,
    }
    entry = entry_of(cast, "filler_a")
    assert entry.subject == "甲市商务局 2019 年度自评被退回修改"
    assert "请核对在职人数。" in entry.body
    assert entry.url == f"/d/jia-commerce/evaluations/{cast.evaluation_a.pk}/"
    assert entry.read_at is None


def test_it_lists_the_users_own_entries_newest_first(
    cast: Cast, entries: list[Notification]
) -> None:
    notify(user_ids=[cast.users["filler_a"].pk], subject="较新的消息", body="", url="")
    page = cast.client_for("filler_a").get(INBOX).content.decode()
    assert page.index("较新的消息") < page.index("被退回修改")
    assert "<strong>甲市商务局 2019 年度自评被退回修改</strong>" in page  # unread stands out


def test_it_shows_nobody_elses_entries(cast: Cast, entries: list[Notification]) -> None:
    for name in ("reviewer", "filler_b", "outsider"):
        page = cast.client_for(name).get(INBOX).content.decode()
        assert "被退回修改" not in page
        assert "暂无消息" in page


def test_it_needs_a_login(cast: Cast, entries: list[Notification]) -> None:
    client = cast.client_for("anonymous")
    for response in (
        client.get(INBOX),
        client.post(open_url(entry_of(cast, "filler_a"))),
        client.post(reverse("inbox:read-all")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Notification.objects.exclude(read_at=None).exists()


# --- the header's count ------------------------------------------------------------------------


def test_it_counts_the_unread_in_the_header_and_drops_after_reading(
    cast: Cast, entries: list[Notification]
) -> None:
    client = cast.client_for("filler_a")
    home = client.get(reverse("home")).content.decode()
    assert badge(1) in home and "消息" in home
    response = client.post(open_url(entry_of(cast, "filler_a")))
    assert response.status_code == 302
    assert response["Location"] == f"/d/jia-commerce/evaluations/{cast.evaluation_a.pk}/"
    assert entry_of(cast, "filler_a").read_at is not None
    assert "条未读消息" not in client.get(reverse("home")).content.decode()
    # On a tenant's page too (rendered inside its scope), for the head who has not read theirs.
    department_home = reverse("department:home", kwargs={"department": "jia-commerce"})
    assert badge(1) in cast.client_for("head_a").get(department_home).content.decode()


def test_the_header_count_is_one_query(cast: Cast, entries: list[Notification]) -> None:
    client = cast.client_for("filler_a")
    client.get(reverse("home"))  # the session is warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    inbox_queries = [q["sql"] for q in captured if "evaluations_notification" in q["sql"]]
    assert len(inbox_queries) == 1 and "COUNT(" in inbox_queries[0]


def test_an_anonymous_page_counts_nothing(cast: Cast) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert cast.client_for("anonymous").get(reverse("login")).status_code == 200
    assert not [q for q in captured if "evaluations_notification" in q["sql"]]


# --- opening, filtering, marking all read ------------------------------------------------------


def test_it_checks_ownership(cast: Cast, entries: list[Notification]) -> None:
    theirs = entry_of(cast, "filler_a")
    for name in ("head_a", "reviewer", "filler_b", "outsider"):
        assert cast.client_for(name).post(open_url(theirs)).status_code == 404
    assert entry_of(cast, "filler_a").read_at is None


def test_opening_is_a_post(cast: Cast, entries: list[Notification]) -> None:
    entry = entry_of(cast, "filler_a")
    assert cast.client_for("filler_a").get(open_url(entry)).status_code == 405
    assert entry_of(cast, "filler_a").read_at is None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/d/", "/\\evil.example", "javascript:alert(1)"]
)
def test_opening_never_leaves_the_site(cast: Cast, url: str) -> None:
    (entry,) = notify(user_ids=[cast.users["filler_a"].pk], subject="外链", body="", url=url)
    response = cast.client_for("filler_a").post(open_url(entry))
    assert response.status_code == 302 and response["Location"] == INBOX


def test_the_unread_filter_lists_only_unread(cast: Cast, entries: list[Notification]) -> None:
    notify(user_ids=[cast.users["filler_a"].pk], subject="已读的消息", body="", url="")
    client = cast.client_for("filler_a")
    client.post(open_url(Notification.objects.get(subject="已读的消息")))
    unread = client.get(INBOX, {"show": "unread"}).content.decode()
    assert "被退回修改" in unread and "已读的消息" not in unread
    everything = client.get(INBOX).content.decode()
    assert "被退回修改" in everything and "已读的消息" in everything


def test_mark_all_read_reads_only_ones_own(cast: Cast, entries: list[Notification]) -> None:
    notify(user_ids=[cast.users["filler_a"].pk], subject="第二条", body="", url="")
    client = cast.client_for("filler_a")
    response = client.post(reverse("inbox:read-all"), follow=True)
    assert "已将 2 条消息标为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=cast.users["filler_a"], read_at=None)
    assert entry_of(cast, "head_a").read_at is None
    assert client.get(reverse("inbox:read-all")).status_code == 405


def test_it_pages_and_survives_a_bad_page_number(cast: Cast) -> None:
    notify(
        user_ids=[cast.users["filler_a"].pk] * 25,
        subject="提醒",
        body="",
        url="",
    )
    client = cast.client_for("filler_a")
    assert client.get(INBOX).content.decode().count('class="inbox-entry unread"') == 20
    second = client.get(INBOX, {"page": "2"}).content.decode()
    assert second.count('class="inbox-entry unread"') == 5 and "第 2 / 2 页" in second
    for odd in ("abc", "-1", "999999999999999999999"):
        assert client.get(INBOX, {"page": odd}).status_code == 200


# --- e-mail ------------------------------------------------------------------------------------


def test_it_emails_those_concerned_with_an_absolute_link(
    cast: Cast, entries: list[Notification]
) -> None:
    assert sorted(message.to[0] for message in mail.outbox) == [
        "filler_a@example.gov.cn",
        "head_a@example.gov.cn",
    ]
    message = next(m for m in mail.outbox if m.to == ["filler_a@example.gov.cn"])
    assert message.subject == "【预算绩效自评】甲市商务局 2019 年度自评被退回修改"
    assert f"{SITE}/d/jia-commerce/evaluations/{cast.evaluation_a.pk}/" in message.body
    assert f"{SITE}/inbox/" in message.body
    assert "请核对在职人数。" in message.body
    assert all(entry.emailed_at is not None for entry in Notification.objects.all())


def test_the_email_task_run_twice_sends_once(cast: Cast, entries: list[Notification]) -> None:
    assert len(mail.outbox) == 2
    ids = [entry.pk for entry in entries]
    assert send_notification_emails.delay(ids).get() == 0
    assert len(mail.outbox) == 2


def test_the_email_waits_for_the_commit(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with_addresses(cast)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(user_ids=[cast.users["filler_a"].pk], subject="未提交的变更", body="", url="")
    assert len(callbacks) == 1  # the e-mail waits for the commit
    assert mail.outbox == []


class FailingBackend(BaseEmailBackend):
    """An SMTP server that does not answer."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("SMTP server down")


def test_a_failed_send_is_retried_not_lost(cast: Cast, settings: Any) -> None:
    with_addresses(cast)
    (entry,) = notify(user_ids=[cast.users["filler_a"].pk], subject="重试", body="", url="")
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with pytest.raises(OSError):
        email_notifications(notification_ids=[entry.pk])
    entry.refresh_from_db()
    assert entry.emailed_at is None  # the claim was given back for the retry
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert email_notifications(notification_ids=[entry.pk]) == 1
    assert len(mail.outbox) == 1


def test_people_without_an_address_get_the_inbox_only(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    entries = returned(cast, django_capture_on_commit_callbacks)  # nobody has an address
    assert len(entries) == 2 and mail.outbox == []


def test_a_deactivated_account_keeps_its_inbox_but_gets_no_email(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with_addresses(cast)
    head = cast.users["head_a"]
    head.is_active = False
    head.save(update_fields=["is_active"])
    returned(cast, django_capture_on_commit_callbacks)
    assert entry_of(cast, "head_a").subject.endswith("被退回修改")
    assert [message.to for message in mail.outbox] == [["filler_a@example.gov.cn"]]


# --- a real worker ----------------------------------------------------------------------------


@pytest.fixture
def mail_worker(tmp_path: Any) -> Iterator[tuple[str, Any]]:
    """A worker on its own queue, printing its e-mails (console backend) to a log file."""
    if not settings.BROKER_CONFIGURED:
        pytest.skip("CELERY_BROKER_URL is not set: no broker to run a worker against (CI sets it)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": current_database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SITE_URL": SITE,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
    with log.open("w") as output:
        worker = subprocess.Popen(
            [*command, "-Q", queue, "--loglevel=WARNING"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield queue, log
        finally:
            worker.terminate()
            worker.wait(timeout=30)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_after_the_commit(
    cast: Cast, mail_worker: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    queue, log = mail_worker
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    with_addresses(cast)
    # No capture: the transition really commits, and only then is the task sent.
    entries = returned(cast, lambda execute: nullcontext())
    assert len(entries) == 2
    emailed = wait_for(lambda: not Notification.objects.filter(emailed_at=None).exists())
    assert emailed, "the worker did not e-mail the entries within a minute"
    written = wait_for(lambda: f"{SITE}/d/jia-commerce/" in log.read_text())
    assert written, log.read_text()
    assert f"{SITE}/d/jia-commerce/evaluations/{cast.evaluation_a.pk}/" in log.read_text()


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    """Poll until the condition holds: a worker in another process works at its own pace."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
