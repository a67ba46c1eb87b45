"""People are named as Chinese names are written: family name first, no space."""

from django.urls import reverse

from tests.conftest import Cast


def test_the_header_names_the_user_family_name_first(cast: Cast) -> None:
    head = cast.users["head_a"]
    head.last_name, head.first_name = "林", "国栋"
    head.save()
    body = cast.client_for("head_a").get(reverse("home")).content.decode()
    assert '<span class="user" title="当前用户">林国栋</span>' in body


def test_a_user_without_a_name_is_shown_by_user_name(cast: Cast) -> None:
    filler = cast.users["filler_a"]
    body = cast.client_for("filler_a").get(reverse("home")).content.decode()
    assert f'<span class="user" title="当前用户">{filler.username}</span>' in body
