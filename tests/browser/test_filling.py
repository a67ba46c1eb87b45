"""Filling the tables in a real browser: autosave, live checks, conflicts, the Excel round trip."""

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django_scopes import scope

from evaluations.models import Staffing
from tests.conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(browser: Any, live_server: Any, user: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    return page


def table_url(live_server: Any, cast: Cast, table: str) -> str:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "table": table}
    return f"{live_server.url}{reverse('department:evaluation_table', kwargs=kwargs)}"


def staffing(cast: Cast) -> Staffing | None:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        return Staffing.objects.filter(evaluation=cast.evaluation_a).first()


def test_a_filler_types_and_the_section_saves_itself_with_live_checks(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    page = logged_in_page(browser, live_server, cast.users["filler_a"])
    page.goto(table_url(live_server, cast, "basic"))
    assert "整体绩效自评基础数据表" in page.content()
    page.fill("#id_basic-staffing-staff_authorized", "50")
    page.fill("#id_basic-staffing-staff_actual", "55")
    page.keyboard.press("Tab")
    page.wait_for_selector("#basic-staffing-status:has-text('已自动保存')")
    # The checks panel follows: the ratio, and the warning about staff above the authorised count.
    checks = page.locator("#checks")
    checks.get_by_text("55 ÷ 50 = 110.00%").wait_for()
    assert "实有在职人数 55 人超过编制数 50 人" in checks.inner_text()
    saved = staffing(cast)
    assert saved is not None and (saved.staff_authorized, saved.staff_actual) == (50, 55)
    page.reload()
    assert page.input_value("#id_basic-staffing-staff_actual") == "55"


def test_invalid_input_is_shown_and_nothing_is_saved(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    page = logged_in_page(browser, live_server, cast.users["filler_a"])
    page.goto(table_url(live_server, cast, "basic"))
    page.fill("#id_basic-staffing-staff_authorized", "-3")
    page.keyboard.press("Tab")
    page.wait_for_selector("#basic-staffing-errors .alert.error")
    assert "编制数" in page.inner_text("#basic-staffing-errors")
    assert staffing(cast) is None


def test_two_people_on_one_section_see_a_conflict_and_may_reapply(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    first = logged_in_page(browser, live_server, cast.users["filler_a"])
    second = logged_in_page(browser, live_server, cast.users["filler_a"])
    for page in (first, second):
        page.goto(table_url(live_server, cast, "basic"))
    first.fill("#id_basic-staffing-staff_authorized", "61")
    first.keyboard.press("Tab")
    first.wait_for_selector("#basic-staffing-status:has-text('已自动保存')")
    # The second page still holds version 0: its save is refused and shows the other's value.
    second.fill("#id_basic-staffing-staff_authorized", "66")
    second.keyboard.press("Tab")
    conflict = second.locator("#basic-staffing-conflict")
    conflict.get_by_text("他人已修改此栏目").wait_for()
    assert "61" in conflict.inner_text() and "66" in conflict.inner_text()
    saved = staffing(cast)
    assert saved is not None and saved.staff_authorized == 61
    conflict.get_by_role("button", name="用我的值重新保存").click()
    second.wait_for_selector("#basic-staffing-status:has-text('已自动保存')")
    saved = staffing(cast)
    assert saved is not None and saved.staff_authorized == 66


def overview_url(live_server: Any, cast: Cast) -> str:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk}
    return f"{live_server.url}{reverse('department:evaluation', kwargs=kwargs)}"


def test_download_change_and_upload_the_excel(browser: Any, live_server: Any, cast: Cast) -> None:
    page = logged_in_page(browser, live_server, cast.users["filler_a"])
    page.goto(overview_url(live_server, cast))
    with page.expect_download() as download:
        page.get_by_text("下载全部表格（.xlsx）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook["整体绩效自评基础数据表"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "编制数")
    sheet.cell(row=cell.row, column=cell.column + 1, value=Decimal(61))
    edited = io.BytesIO()
    workbook.save(edited)
    page.set_input_files(
        "#excel-file",
        {"name": "自评.xlsx", "mimeType": "application/octet-stream", "buffer": edited.getvalue()},
    )
    page.get_by_role("button", name="导入").click()
    page.wait_for_load_state()
    saved = staffing(cast)
    assert saved is not None and saved.staff_authorized == 61
    page.goto(table_url(live_server, cast, "basic"))
    assert page.input_value("#id_basic-staffing-staff_authorized") == "61"


def test_a_broken_upload_gets_a_precise_chinese_error(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    page = logged_in_page(browser, live_server, cast.users["filler_a"])
    page.goto(overview_url(live_server, cast))
    page.set_input_files(
        "#excel-file",
        {
            "name": "自评.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": b"%PDF-1.4 not a workbook",
        },
    )
    page.get_by_role("button", name="导入").click()
    page.wait_for_load_state()
    error = page.locator(".alert.error").first.inner_text()
    assert "xlsx" in error or "Excel" in error
    assert staffing(cast) is None
