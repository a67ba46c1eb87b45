"""Nothing typed is lost: text a number field cannot hold is refused at the field, never saved blank."""

from typing import Any

import pytest
from django_scopes import scope

from evaluations.models import ProjectTargets, Staffing
from tests.browser.test_filling import logged_in_page, table_url
from tests.conftest import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def stored(cast: Cast) -> tuple[Any, Any]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        staffing = Staffing.objects.get(evaluation=cast.evaluation_a)
        targets = ProjectTargets.objects.get(evaluation=cast.evaluation_a)
        return staffing.staff_authorized, targets.due_amount


def type_and_leave(page: Any, field_id: str, text: str) -> Any:
    box = page.locator(f"#{field_id}")
    box.fill(text)
    with page.expect_response(lambda response: "/sections/" in response.url) as answer:
        box.press("Tab")
    page.wait_for_selector(f"#{field_id}-live-error")
    return answer.value


@pytest.mark.parametrize(
    ("field_id", "text", "message"),
    [
        ("id_basic-staffing-staff_authorized", "abc", "输入整数"),
        ("id_basic-project-targets-due_amount", "1e400", "数值过大：最多 16 位数字"),
        ("id_basic-project-targets-due_amount", "-100", "金额不能为负数"),
    ],
)
def test_unreadable_text_is_refused_at_the_field_and_the_stored_value_stays(
    browser: Any, live_server: Any, cast: Cast, field_id: str, text: str, message: str
) -> None:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        Staffing.objects.create(evaluation=cast.evaluation_a, staff_authorized=61)
        ProjectTargets.objects.create(evaluation=cast.evaluation_a, due_amount=3954)
    page = logged_in_page(browser, live_server, cast.users["filler_a"])
    page.goto(table_url(live_server, cast, "basic"))
    answer = type_and_leave(page, field_id, text)
    assert answer.status == 422
    box = page.locator(f"#{field_id}")
    assert box.input_value() == text  # what was typed is still there to correct
    assert box.get_attribute("aria-invalid") == "true"
    assert message in page.locator(f"#{field_id}-live-error").inner_text()
    status = page.locator(f"#{field_id.removeprefix('id_').rsplit('-', 1)[0]}-status")
    assert "已自动保存" not in status.inner_text()
    assert stored(cast) == (61, 3954)
    page.reload()
    assert page.locator(f"#{field_id}").input_value() in {"61", "3954.00"}
    # Typed again, the refusal at the field goes with the next save that goes through.
    type_and_leave(page, field_id, text)
    box = page.locator(f"#{field_id}")
    box.fill("62" if "staff" in field_id else "3955")
    with page.expect_response(lambda response: "/sections/" in response.url) as saved:
        box.press("Tab")
    assert saved.value.status == 200
    page.wait_for_selector(f"#{field_id}-live-error", state="detached")
    assert box.get_attribute("aria-invalid") is None
