"""Autosave without lost updates: two people edit one section; the later save is refused."""

from django.urls import reverse
from django_scopes import scope

from evaluations.models import SectionState, Staffing
from tests.conftest import Cast


def save_url(cast: Cast, key: str) -> str:
    return reverse(
        "department:section_save",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key},
    )


def staffing(authorized: str, actual: str, based_on: int) -> dict[str, str]:
    return {
        "based_on": str(based_on),
        "basic-staffing-staff_authorized": authorized,
        "basic-staffing-staff_actual": actual,
    }


HTMX = {"HTTP_HX_REQUEST": "true"}


def saved_staffing(cast: Cast) -> Staffing:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        return Staffing.objects.get(evaluation=cast.evaluation_a)


def test_a_save_stores_the_values_and_bumps_the_version(cast: Cast) -> None:
    response = cast.client_for("filler_a").post(
        save_url(cast, "basic.staffing"), staffing("61", "55", 0), **HTMX
    )
    assert response.status_code == 200
    assert 'value="1" id="basic-staffing-version"' in response.content.decode()
    row = saved_staffing(cast)
    assert (row.staff_authorized, row.staff_actual) == (61, 55)


def test_the_later_of_two_saves_is_refused_and_shows_the_others_values(cast: Cast) -> None:
    first, second = cast.client_for("filler_a"), cast.client_for("filler_a")
    # Both opened the section at version 0.
    assert (
        first.post(save_url(cast, "basic.staffing"), staffing("61", "55", 0), **HTMX).status_code
        == 200
    )
    response = second.post(save_url(cast, "basic.staffing"), staffing("61", "57", 0), **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "他人已修改此栏目" in body
    assert "<td>实有在职人数</td><td>55</td><td>57</td>" in body.replace("\n", "").replace("  ", "")
    assert saved_staffing(cast).staff_actual == 55  # nothing overwritten


def test_the_refused_user_can_reapply_their_values_knowingly(cast: Cast) -> None:
    first, second = cast.client_for("filler_a"), cast.client_for("filler_a")
    first.post(save_url(cast, "basic.staffing"), staffing("61", "55", 0), **HTMX)
    refused = second.post(save_url(cast, "basic.staffing"), staffing("61", "57", 0), **HTMX)
    assert refused.status_code == 409
    reapplied = second.post(
        save_url(cast, "basic.staffing"), {**staffing("61", "57", 0), "reapply": "1"}, **HTMX
    )
    assert reapplied.status_code == 200
    assert saved_staffing(cast).staff_actual == 57


def test_invalid_input_is_refused_with_a_precise_message_and_nothing_saved(cast: Cast) -> None:
    response = cast.client_for("filler_a").post(
        save_url(cast, "basic.staffing"), staffing("六十一", "55", 0), **HTMX
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "编制数" in body and "输入整数" in body
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        assert not Staffing.objects.exists()
        assert not SectionState.objects.filter(version__gt=0).exists()


def test_the_checks_panel_updates_with_the_save(cast: Cast) -> None:
    body = (
        cast.client_for("filler_a")
        .post(save_url(cast, "basic.staffing"), staffing("50", "55", 0), **HTMX)
        .content.decode()
    )
    assert 'id="checks"' in body and 'hx-swap-oob="true"' in body
    assert "110.00%" in body  # 在职人员控制率 55 / 50
    assert "实有在职人数 55 人超过编制数 50 人" in body


def test_without_htmx_a_save_redirects_back_to_the_table(cast: Cast) -> None:
    response = cast.client_for("filler_a").post(
        save_url(cast, "basic.staffing"), staffing("61", "55", 0)
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/tables/basic/")


def test_reviewers_and_heads_cannot_save(cast: Cast) -> None:
    for user in ("reviewer", "head_a"):
        response = cast.client_for(user).post(
            save_url(cast, "basic.staffing"), staffing("61", "55", 0)
        )
        assert response.status_code == 403


def test_a_submitted_evaluation_cannot_be_changed(cast: Cast) -> None:
    cast.evaluation_a.state = "submitted"
    cast.evaluation_a.save()
    response = cast.client_for("filler_a").post(
        save_url(cast, "basic.staffing"), staffing("61", "55", 0)
    )
    assert response.status_code == 403


def test_a_sections_findings_are_listed_in_its_card_and_follow_the_save(cast: Cast) -> None:
    body = (
        cast.client_for("filler_a")
        .post(save_url(cast, "basic.staffing"), staffing("50", "55", 0), **HTMX)
        .content.decode()
    )
    card = body.split('id="basic-staffing-violations"', 1)[1].split("</ul>", 1)[0]
    assert "实有在职人数 55 人超过编制数 50 人" in card
    assert "请填写单位自评联络人" not in card  # another section's finding stays in its own card
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "table": "basic"}
    page = cast.client_for("filler_a").get(reverse("department:evaluation_table", kwargs=kwargs))
    unit_card = page.content.decode().split('id="basic-unit-violations"', 1)[1].split("</ul>", 1)[0]
    assert "请填写单位自评联络人" in unit_card
