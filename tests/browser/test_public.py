"""The public side as anyone uses it, without logging in: find a publication on /public/, open it,
download its file, and check a file at /verify/ — the original, then a copy with one byte changed.
On a laptop and on a phone, no page wider than the screen."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.conftest import Cast
from tests.factories import artifact_of, publication_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n" + b"0" * 2000 + b"\n%%EOF\n"
VIEWPORTS = {"1366x900": {"width": 1366, "height": 900}, "390x844": {"width": 390, "height": 844}}
WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def published(cast: Cast) -> Any:
    with scopes_disabled():
        publication = publication_of(
            cast.evaluation_a,
            title="甲市商务局2019年度部门整体支出绩效自评报告",
            figures={"total_score": "89.19", "grade": "良", "completion_rate": "97.73%"},
        )
        artifact_of(
            publication, "package", PDF, pages=24, filename="甲市商务局2019年度公开材料.pdf"
        )
        withdrawn = publication_of(
            cast.evaluation_b,
            title="甲市文化局2019年度部门整体支出绩效自评报告",
            state="withdrawn",
            withdrawn_at=timezone.now(),
            withdrawal_reason="数据有误，更正后重新公开",
        )
        artifact_of(withdrawn, "package", PDF + b" ")
    return publication


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_anyone_finds_downloads_and_verifies_a_publication(
    browser: Any, live_server: Any, published: Any, viewport: dict[str, int], tmp_path: Path
) -> None:
    page = browser.new_context(viewport=viewport, accept_downloads=True).new_page()
    page.goto(f"{live_server.url}{reverse('portal:index')}")
    assert page.evaluate(WIDTH) <= viewport["width"]
    # Withdrawn, with its reason, but listed.
    assert "数据有误，更正后重新公开" in page.locator("main").inner_text()

    page.fill("input[name=q]", "商务")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=*")
    listed = page.locator("main h3")
    assert listed.count() == 1
    listed.get_by_role("link").click()
    page.wait_for_url(f"**{reverse('portal:publication', args=[published.code])}")
    assert page.evaluate(WIDTH) <= viewport["width"]
    assert "97.73%" in page.locator("main").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="公开材料").first.click()
    assert download.value.suggested_filename == "甲市商务局2019年度公开材料.pdf"
    original = tmp_path / "original.pdf"
    download.value.save_as(original)
    assert original.read_bytes() == PDF

    modified = tmp_path / "modified.pdf"
    modified.write_bytes(PDF[:100] + b"1" + PDF[101:])
    page.goto(f"{live_server.url}{reverse('verify:upload')}")
    page.set_input_files("input[type=file]", str(original))
    page.get_by_role("button", name="核对").click()
    page.get_by_text("该文件与以下已公开材料完全一致").wait_for()
    assert published.display_code in page.locator("main").inner_text()
    assert page.evaluate(WIDTH) <= viewport["width"]

    page.goto(f"{live_server.url}{reverse('verify:upload')}")
    page.set_input_files("input[type=file]", str(modified))
    page.get_by_role("button", name="核对").click()
    page.get_by_text("该文件与任何已公开材料都不一致").wait_for()
    assert published.display_code not in page.locator("main").inner_text()
