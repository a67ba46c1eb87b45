"""Autosave without lost updates: two people edit one section; the later save is refused."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from evaluations.models import SectionState, Staffing
from evaluations.services import sections as services
from evaluations.tables import base as tables_base
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


def at_once(
    monkeypatch: Any, send: Callable[[Client, str], Any], names: list[str], users: list[Any]
) -> dict[str, Any]:
    """Each name's request, sent by its own client in its own thread, all released together by a
    barrier; the responses (or the exceptions raised) by name.

    The save that gets in first holds the section a moment (after writing its rows, before
    bumping the version), so the other arrives while it is still inside its transaction; this
    asserts that it did: both requests were inside `section_save` at that moment.
    """
    version_of, forget = services.section_version, tables_base.forget_part
    entered: list[str] = []
    overlapped: list[bool] = []

    def noted_version_of(**kwargs: Any) -> SectionState:
        entered.append(threading.current_thread().name)
        return version_of(**kwargs)

    def slow_forget(evaluation: Any, row: Any) -> None:
        time.sleep(0.3)
        overlapped.append(len(entered) == len(names))
        forget(evaluation, row)

    monkeypatch.setattr(services, "section_version", noted_version_of)
    monkeypatch.setattr(tables_base, "forget_part", slow_forget)
    clients = {}
    for name, user in zip(names, users, strict=True):
        clients[name] = Client()
        clients[name].force_login(user)
    barrier = threading.Barrier(len(names))
    responses: dict[str, Any] = {}

    def run(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            responses[name] = send(clients[name], name)
        except BaseException as error:  # the main thread reports it
            responses[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,), name=name) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert overlapped and all(overlapped), "the two saves did not run at the same time"
    return responses


def winner_and_loser(responses: dict[str, Any]) -> tuple[str, str]:
    """Exactly one response is a 200 and the other a 409."""
    statuses = {
        name: getattr(response, "status_code", response) for name, response in responses.items()
    }
    assert sorted(statuses.values(), key=str) == [200, 409], statuses
    winner = next(name for name, status in statuses.items() if status == 200)
    return winner, next(name for name in statuses if name != winner)


STAFFING = {"first": ("61", "55"), "second": ("62", "57")}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("saved_before", [False, True], ids=["first-save", "later-save"])
def test_two_saves_at_the_same_moment_one_wins_whole_and_the_other_is_refused(
    cast: Cast, monkeypatch: Any, saved_before: bool
) -> None:
    """Two clients post at once, both based on the same version: exactly one is saved, whole."""
    url = save_url(cast, "basic.staffing")
    based_on = 0
    if saved_before:
        saved = cast.client_for("filler_a").post(url, staffing("10", "10", 0), **HTMX)
        assert saved.status_code == 200
        based_on = 1
    responses = at_once(
        monkeypatch,
        lambda client, name: client.post(url, staffing(*STAFFING[name], based_on), **HTMX),
        list(STAFFING),
        [cast.users["filler_a"]] * 2,
    )
    winner, loser = winner_and_loser(responses)
    row = saved_staffing(cast)
    assert (str(row.staff_authorized), str(row.staff_actual)) == STAFFING[winner]
    assert "他人已修改此栏目" in responses[loser].content.decode()
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        versions = list(SectionState.objects.values_list("key", "version"))
    assert versions == [("basic.staffing", based_on + 1)]


@pytest.mark.django_db(transaction=True)
def test_a_save_refused_by_a_concurrent_one_shows_the_winners_values(
    cast: Cast, monkeypatch: Any
) -> None:
    url = save_url(cast, "basic.staffing")
    responses = at_once(
        monkeypatch,
        lambda client, name: client.post(url, staffing(*STAFFING[name], 0), **HTMX),
        list(STAFFING),
        [cast.users["filler_a"]] * 2,
    )
    winner, loser = winner_and_loser(responses)
    body = responses[loser].content.decode().replace("\n", "").replace("  ", "")
    shown = f"<td>实有在职人数</td><td>{STAFFING[winner][1]}</td><td>{STAFFING[loser][1]}</td>"
    assert shown in body
