"""Content-Security-Policy on every page: our own scripts and styles only, nothing inline."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from tests.conftest import Cast

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
# Inline styles and handlers are blocked by the policy too (PDF templates are not for browsers).
INLINE_CODE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=|\shx-on|javascript:", re.IGNORECASE)


def policy(response: HttpResponse) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_strict(response: HttpResponse) -> dict[str, list[str]]:
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    for tag in SCRIPT_TAG.findall(response.content.decode()):
        assert "src=" in tag, tag
    return directives


@pytest.mark.parametrize(
    ("user", "page", "status"),
    [
        ("anonymous", "login", 200),
        ("filler_a", "department", 200),
        ("filler_a", "evaluation_table", 200),
        ("filler_a", "not_found", 404),
        ("outsider", "department", 404),
        ("filler_a", "members", 403),
    ],
)
def test_every_page_has_a_strict_policy(cast: Cast, user: str, page: str, status: int) -> None:
    department = cast.department_a.slug
    evaluation = {"department": department, "pk": cast.evaluation_a.pk}
    urls = {
        "login": reverse("login"),
        "department": reverse("department:home", kwargs={"department": department}),
        "members": reverse("department:members", kwargs={"department": department}),
        "evaluation_table": reverse(
            "department:evaluation_table", kwargs={**evaluation, "table": "report"}
        ),
        "not_found": "/no-such-page/",
    }
    response = cast.client_for(user).get(urls[page])
    assert response.status_code == status
    directives = assert_strict(response)
    assert directives["img-src"] == ["'self'"]


def test_api_answers_have_the_policy_too(cast: Cast) -> None:
    response = cast.client_for("anonymous").get(reverse("rubrics-api:list"))
    assert response.status_code == 401
    assert policy(response)["default-src"] == ["'self'"]


def test_the_api_docs_load_their_script_from_a_file_and_allow_data_images(cast: Cast) -> None:
    response = cast.client_for("anonymous").get(reverse("api-docs"))
    assert response.status_code == 200
    directives = assert_strict(response)
    assert directives["img-src"] == ["'self'", "data:"]
    assert "<style" not in response.content.decode()
    [script_url] = re.findall(r'<script src="([^"]*\?[^"]*script[^"]*)"', response.content.decode())
    script = cast.client_for("anonymous").get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


def templates() -> list[Path]:
    # The project's templates/ and every app's (APP_DIRS).
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_no_template_has_an_inline_script() -> None:
    found = templates()
    assert any(path.name == "base.html" for path in found)
    for path in found:
        for tag in SCRIPT_TAG.findall(path.read_text(encoding="utf-8")):
            assert "src=" in tag, f"{path}: {tag}"


def test_no_template_for_the_browser_has_inline_styles_or_handlers() -> None:
    for path in templates():
        if "pdf" in path.parts:
            continue
        match = INLINE_CODE.search(path.read_text(encoding="utf-8"))
        assert match is None, f"{path}: {match.group() if match else ''}"


def test_htmx_adds_no_inline_style() -> None:
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles": false' in base
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert ".htmx-request .htmx-indicator" in css
