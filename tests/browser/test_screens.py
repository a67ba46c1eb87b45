"""Every table page of the demo evaluations on a laptop and a phone: no page wider than the screen,
every input reachable, every value of a card-shaped row named by its column."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.demo.load import DEMO_PASSWORD
from evaluations.models import Evaluation
from evaluations.tables.registry import tables_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Each visible control, scrolled into view: its box must lie inside every scrolling ancestor and
# inside the viewport; the page itself must not be wider than the viewport.
LAYOUT = """() => {
  const clipped = [];
  const controls = document.querySelectorAll(
    'main input:not([type=hidden]), main select, main textarea');
  for (const el of controls) {
    if (!el.checkVisibility()) continue;  // not rendered, or in a closed <details>
    el.scrollIntoView({block: 'center', inline: 'center'});
    const box = el.getBoundingClientRect();
    let bounds = {left: 0, right: window.innerWidth, top: 0, bottom: window.innerHeight};
    for (let up = el.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (!/(auto|scroll|hidden)/.test(style.overflowX + style.overflowY)) continue;
      const r = up.getBoundingClientRect();
      bounds = {left: Math.max(bounds.left, r.left), right: Math.min(bounds.right, r.right),
                top: Math.max(bounds.top, r.top), bottom: Math.min(bounds.bottom, r.bottom)};
    }
    const inside = box.width > 0 && box.left >= bounds.left - 1 && box.right <= bounds.right + 1
      && box.top >= bounds.top - 1 && box.bottom <= bounds.bottom + 1;
    if (!inside) clipped.push(el.name || el.id || el.type);
  }
  window.scrollTo(0, 0);
  return {pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth, clipped};
}"""

# On a phone a row of a card table hides the header: each value cell must name its column.
UNLABELLED = """() => Array.from(document.querySelectorAll('table.cards td'))
  .filter(td => td.checkVisibility() && td.textContent.trim() + td.querySelectorAll(
    'input, select, textarea').length && !td.dataset.label).length"""


def table_pages() -> list[tuple[str, str]]:
    """(filler's username, URL path) of every table page of every demo evaluation."""
    pages = []
    with scopes_disabled():
        for evaluation in Evaluation.objects.select_related("department").order_by("pk"):
            department = evaluation.department.slug
            user = f"{department.split('-')[0]}-filler"
            for table in tables_for(evaluation):
                kwargs = {"department": department, "pk": evaluation.pk, "table": table.slug}
                pages.append((user, reverse("department:evaluation_table", kwargs=kwargs)))
    return pages


def log_in(context: Any, live_server: Any, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x900", "390x844"])
def test_every_table_page_fits_the_screen_and_every_input_is_reachable(
    browser: Any, live_server: Any, viewport: dict[str, int]
) -> None:
    call_command("load_demo", publish=False, stdout=io.StringIO())
    pages = table_pages()
    assert {path.rsplit("/", 2)[-2] for _, path in pages} >= {"funds", "scores", "hunan-overall"}
    problems = []
    checked_cards = 0
    for username in sorted({user for user, _ in pages}):
        context = browser.new_context(viewport=viewport)
        page = log_in(context, live_server, username)
        for _, path in (entry for entry in pages if entry[0] == username):
            page.goto(f"{live_server.url}{path}")
            layout = page.evaluate(LAYOUT)
            if layout["pageWidth"] > layout["viewport"]:
                problems.append(f"{path}: page {layout['pageWidth']} px wide")
            if layout["clipped"]:
                problems.append(f"{path}: clipped {layout['clipped'][:5]}")
            if viewport is PHONE:
                checked_cards += page.locator("table.cards").count()
                if unlabelled := page.evaluate(UNLABELLED):
                    problems.append(f"{path}: {unlabelled} values without their column's name")
        context.close()
    assert problems == []
    if viewport is PHONE:
        assert checked_cards >= 3  # the funds figures and the scoring sheets are shown as cards


def test_on_a_phone_a_funds_row_is_a_card_naming_each_column(
    browser: Any, live_server: Any
) -> None:
    call_command("load_demo", publish=False, stdout=io.StringIO())
    page = log_in(browser.new_context(viewport=PHONE), live_server, "zhanjiang-filler")
    path = next(path for _, path in table_pages() if path.endswith("/funds/"))
    page.goto(f"{live_server.url}{path}")
    row = page.locator("#funds-figures-table tbody tr").first
    assert not page.locator("#funds-figures-table thead").is_visible()
    cell = row.locator("td[data-label='部门年初预算数']")
    assert cell.is_visible()
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"部门年初预算数"'
    # The row is a card: as wide as the screen allows, not a strip of a wider table.
    assert row.bounding_box()["width"] <= PHONE["width"]
