"""A newcomer's first visit, on the demo data: 湛江市商务局's 2019 evaluation as the seed published it."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from evaluations.demo.load import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_filler_opens_the_2019_evaluation_and_watches_the_checks_follow_a_change(
    browser: Any, live_server: Any
) -> None:
    call_command("load_demo", publish=False, stdout=io.StringIO())
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", "zhanjiang-filler")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button.primary")
    page.get_by_role("link", name="湛江市商务局").first.click()
    page.get_by_role("link", name="2019 年度").click()
    # The overview: the seed's ratios, computed, and the seed's own inconsistency pointed out.
    checks = page.locator("#checks")
    assert "4165.93 ÷ (75.87 + 4186.81) = 97.73%" in checks.inner_text()
    assert "96.75" in checks.inner_text()  # 年末结转 96.76 where the figures give 96.75
    overview = page.url
    page.get_by_role("link", name="整体绩效自评基础数据表（财政资金情况）").first.click()
    assert "广交会业务工作经费" in page.locator("main").inner_text()
    page.goto(overview)
    page.get_by_role("link", name="评分表").first.click()
    assert "自评 4 分，按规则计算为 3.19 分" in page.locator("main").inner_text()
    # Change a number: the section saves itself, the ratio and the findings follow.
    page.goto(overview)
    page.get_by_role("link", name="整体绩效自评基础数据表").first.click()
    assert page.input_value("#id_basic-spending-three_public_actual") == "109.28"
    page.fill("#id_basic-spending-three_public_actual", "140")
    page.keyboard.press("Tab")
    page.wait_for_selector("#basic-spending-status:has-text('已自动保存')")
    page.locator("#metric-three_public_control_rate").get_by_text("109.39%").wait_for()
    assert "超过预算安排数 127.98 万元" in page.locator("#basic-spending-violations").inner_text()
