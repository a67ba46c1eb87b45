import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import PASSWORD, Cast


def test_the_login_page_speaks_chinese(client) -> None:
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in body
    assert "用户名" in body and "密码" in body and "登录" in body


def test_the_browser_language_does_not_switch_away_from_chinese(client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_login_page_has_an_english_catalogue(client) -> None:
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Username" in body and "Log in" in body


def test_a_member_logs_in_and_lands_on_their_workspaces(cast: Cast, client) -> None:
    user = cast.users["filler_a"]
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.context["user"] == user
    assert "甲市商务局" in response.content.decode()


def test_a_wrong_password_gets_a_chinese_message(cast: Cast, client) -> None:
    user = cast.users["filler_a"]
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_repeated_failures_lock_the_account(cast: Cast, client, settings) -> None:
    user = cast.users["filler_a"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account(cast: Cast, client, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": cast.users["filler_a"].username, "password": "wrong"}
        )
    other = cast.users["head_a"]
    client.post(reverse("login"), {"username": other.username, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.parametrize("password", ["short1", "12345678901", "password123", "qwertyuiop"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_logout_needs_a_post_and_ends_the_session(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
