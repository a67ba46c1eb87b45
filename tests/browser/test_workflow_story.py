"""The review story on the demo data, through the screens: the head submits 湛江市商务局 2019, the
reviewer returns it with a comment on one figure, the filler finds the comment at that figure and
corrects it, the head submits again, the reviewer sees what changed, enters verified scores,
approves and publishes; the history shows every step with old and new values, the inbox and the
dashboard follow; two reviewers approving at once: one wins, the other is told."""

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.demo.load import DEMO_PASSWORD
from evaluations.models import Evaluation, ReviewComment, Transition
from tests.completion import complete_in_scope

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIGURE = "#id_funds-figures-2-budget_initial"


def log_in(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    return page


def unread(page: Any) -> int:
    """The unread count the header shows (0 when it shows none)."""
    page.reload()
    badge = page.locator("header .badge")
    return int(badge.inner_text()) if badge.count() else 0


def dashboard_count(page: Any, url: str, state: str) -> int:
    page.goto(url)
    card = page.locator(f".state-card-{state} .count-value")
    return int(card.inner_text())


def take(page: Any, step: str) -> None:
    """Open a step's <details> in the workflow panel and confirm it."""
    panel = page.locator("#workflow")
    panel.locator("summary", has_text=step).click()
    panel.get_by_role("button", name=f"确定{step}").click()
    page.locator(".messages").get_by_text(f"已执行「{step}」").wait_for()


def test_the_review_story(browser: Any, live_server: Any) -> None:
    call_command("load_demo", publish=False, stdout=io.StringIO())
    with scopes_disabled():
        evaluation = Evaluation.objects.select_related("department").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )
    filler = get_user_model().objects.get(username="zhanjiang-filler")
    complete_in_scope(evaluation, filler)
    kwargs = {"department": evaluation.department.slug, "pk": evaluation.pk}
    overview = live_server.url + reverse("department:evaluation", kwargs=kwargs)
    funds = live_server.url + reverse(
        "department:evaluation_table", kwargs={**kwargs, "table": "funds"}
    )
    scores = live_server.url + reverse(
        "department:evaluation_table", kwargs={**kwargs, "table": "scores"}
    )

    with scopes_disabled():
        campaign = evaluation.campaign
    dashboard = live_server.url + reverse(
        "bureau:campaign", kwargs={"jurisdiction": "zhanjiang", "pk": campaign.pk}
    )
    reviewer = log_in(browser, live_server, "zhanjiang-reviewer")
    submitted_before = dashboard_count(reviewer, dashboard, "submitted")
    reviewer_unread = unread(reviewer)

    head = log_in(browser, live_server, "zhanjiang-department-head")
    head.goto(overview)
    take(head, "提交")
    assert "已提交" in head.locator("#workflow h2").inner_text()
    # The reviewer is told (inbox) and the dashboard counts the submission.
    assert unread(reviewer) == reviewer_unread + 1
    assert dashboard_count(reviewer, dashboard, "submitted") == submitted_before + 1

    reviewer.goto(funds)
    # 写意见 beside the line: the return page opens with the section and the line chosen.
    reviewer.locator("#funds-figures-table tbody tr").nth(2).get_by_role(
        "link", name="写意见"
    ).click()
    assert reviewer.input_value("#id_comments-0-section") == "funds.figures"
    assert reviewer.input_value("#id_comments-0-row") == "funds.figures|2"
    reviewer.select_option("#id_comments-0-field", "funds.figures|budget_initial")
    reviewer.fill("#id_comments-0-text", "年初预算与预算批复不一致，请核对。")
    reviewer.fill("#id_reason", "请核对资金数据。")
    reviewer.get_by_role("button", name="退回修改").click()
    reviewer.locator(".messages").get_by_text("已退回修改").wait_for()

    page = log_in(browser, live_server, "zhanjiang-filler")
    assert unread(page) >= 1  # 退回修改 in the filler's inbox
    page.goto(live_server.url + "/inbox/")
    assert "被退回修改" in page.locator("main").inner_text()
    page.goto(funds)
    figure = page.locator(FIGURE)
    note = page.locator(f"#{figure.get_attribute('aria-describedby')}")
    assert "年初预算与预算批复不一致" in note.inner_text()
    assert note.is_visible()
    page.fill(FIGURE, "1351.20")
    page.keyboard.press("Tab")
    page.wait_for_selector("#funds-figures-status:has-text('已自动保存')")
    complete_in_scope(evaluation, filler)  # the warnings the change raised, explained

    head.goto(overview)
    take(head, "提交")

    reviewer.goto(funds)
    assert "上次退回意见" in reviewer.locator(f"{FIGURE} + .review-note").inner_text()
    # What changed since the first submission: the corrected figure, old and new.
    reviewer.goto(overview)
    reviewer.get_by_role("link", name="修改对比", exact=True).first.click()
    reviewer.wait_for_url("**/changes/")
    changes = reviewer.locator("body").inner_text()
    assert "1351.20" in changes and "1351.21" in changes
    reviewer.goto(scores)
    reviewer.fill("#id_scores-verified-score__1_1_1", "4")
    reviewer.keyboard.press("Tab")
    reviewer.wait_for_selector("#scores-verified-status:has-text('已自动保存')")
    # Two reviewers approve at once: the first wins, the second is told who did it.
    second = log_in(browser, live_server, "zhanjiang-reviewer")
    second.goto(overview)
    reviewer.goto(overview)
    second.locator("#workflow summary", has_text="审核通过").click()
    take(reviewer, "审核通过")
    second.get_by_role("button", name="确定审核通过").click()
    told = second.locator("ul.messages:not(.near)").inner_text()
    assert "黄海燕" in told and "审核通过" in told
    take(reviewer, "公开")
    assert "已公开" in reviewer.locator("#workflow h2").inner_text()

    with scopes_disabled():
        steps = list(
            Transition.objects.filter(evaluation=evaluation).order_by("at").values_list("name")
        )
        assert steps == [("submit",), ("return",), ("submit",), ("approve",), ("publish",)]
        comment = ReviewComment.objects.get(evaluation=evaluation)
    assert (comment.section, comment.row, comment.field) == ("funds.figures", 2, "budget_initial")

    # The history tab: every step, and the corrected figure with its old and new values.
    reviewer.goto(overview)
    reviewer.get_by_role("link", name="历史", exact=True).first.click()
    reviewer.wait_for_url("**/history/")
    history = reviewer.locator("body").inner_text()
    for step in ("提交", "退回修改", "审核通过", "公开"):
        assert step in history
    assert "1351.21" in history and "1351.20" in history
    assert "陈晓梅" in history and "林国栋" in history
