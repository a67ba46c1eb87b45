"""The UI shell: navigation by role, accessible landmarks, vendored HTMX."""

from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.conftest import Cast


def nav_of(cast: Cast, user: str) -> str:
    body = cast.client_for(user).get(reverse("home")).content.decode()
    return body.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_a_filler_sees_their_department_only(cast: Cast) -> None:
    nav = nav_of(cast, "filler_a")
    assert reverse("department:home", kwargs={"department": "jia-commerce"}) in nav
    assert "/j/" not in nav and "/admin/" not in nav


def test_a_reviewer_sees_the_bureau_campaigns(cast: Cast) -> None:
    nav = nav_of(cast, "reviewer")
    assert reverse("bureau:home", kwargs={"jurisdiction": "jia"}) in nav
    assert "/admin/" not in nav


def test_a_bureau_admin_also_sees_the_admin(cast: Cast) -> None:
    nav = nav_of(cast, "bureau_admin")
    assert reverse("admin:index") in nav


def test_the_home_page_requires_login(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302


def test_pages_have_landmarks_and_load_htmx(cast: Cast) -> None:
    body = cast.client_for("filler_a").get(reverse("home")).content.decode()
    for landmark in (
        '<main id="main"',
        "<header",
        "<footer",
        'class="skip-link"',
        'name="viewport"',
    ):
        assert landmark in body
    assert "vendor/htmx/htmx.min.js" in body
    assert finders.find("vendor/htmx/htmx.min.js") and finders.find("vendor/htmx/LICENSE")


def test_the_bureau_page_shows_campaign_progress(cast: Cast) -> None:
    body = (
        cast.client_for("reviewer")
        .get(reverse("bureau:home", kwargs={"jurisdiction": "jia"}))
        .content.decode()
    )
    assert "甲市2019年度自评" in body
    assert "0 / 2 已提交" in body
    assert "子市2019年度自评" not in body


def test_healthz_answers(db: None, client) -> None:
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
