"""Documents fetch nothing but our own static files: a hostile report makes no request served."""

from pathlib import Path

import pytest
from django_scopes import scope

from evaluations.models import ReportSection
from publishing.documents.fetcher import AllowListFetcher, allowed_files
from publishing.documents.renderer import evaluation_data, render_document, renderer
from tests.conftest import Cast
from tests.publishing import pdf

TARGETS = ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/x.css")


def hostile_html() -> str:
    """Every way a document can name a resource, each pointing at every target."""
    parts = []
    for url in TARGETS:
        parts += [
            f'<img src="{url}">',
            f'<link rel="attachment" href="{url}">',
            f'<a rel="attachment" href="{url}">附件</a>',
            f'<link rel="stylesheet" href="{url}">',
            f'<object data="{url}"></object>',
            f'<div style="background: url({url})">背景</div>',
            f"<style>@import url({url}); @font-face {{ font-family: x; src: url({url}) }}"
            f" p {{ list-style-image: url({url}) }}</style>",
        ]
    parts.append('<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">')
    return (
        f'<html lang="zh-CN"><body><p style="font-family: x">正文</p>{"".join(parts)}</body></html>'
    )


def test_every_request_of_a_hostile_document_is_refused() -> None:
    fetcher = AllowListFetcher()
    content, pages = renderer().render_html(hostile_html(), fetcher)
    assert pages >= 1
    asked = {request.url for request in fetcher.requests}
    assert set(TARGETS) <= asked  # the fetcher was asked, and recorded it
    assert fetcher.served == []
    assert b"/EmbeddedFile" not in content
    assert "root:" not in pdf.text(content)


def test_allow_listed_files_are_served_and_nothing_beside_them(tmp_path: Path) -> None:
    (tmp_path / "emblem.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    (tmp_path / "secret.txt").write_text("no")
    fetcher = AllowListFetcher(allowed_files(tmp_path))
    emblem = (tmp_path / "emblem.svg").as_uri()
    html = f'<img src="{emblem}"><img src="{emblem}?x#y"><img src="{tmp_path.as_uri()}/secret.txt">'
    html += f'<img src="{tmp_path.as_uri()}/../{tmp_path.name}/secret.txt">'
    renderer().render_html(html, fetcher)
    assert fetcher.served == [emblem, f"{emblem}?x#y"]
    assert len(fetcher.requests) == 4


@pytest.mark.django_db
def test_a_report_written_to_fetch_files_renders_without_fetching(cast: Cast) -> None:
    hostile = "\n\n".join(
        f'<img src="{url}"> <link rel="attachment" href="{url}"> ![x]({url}) [附件]({url})'
        f' <span style="background: url({url})">x</span>'
        for url in TARGETS
    )
    evaluation = cast.evaluation_a
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        ReportSection.objects.create(evaluation=evaluation, order=1, heading="一", text=hostile)
        fetcher = AllowListFetcher()
        with evaluation_data(evaluation, draft=True) as data:
            rendered = render_document(data, "report", fetcher=fetcher)
    assert fetcher.requests == []  # sanitised: nothing in the report names a resource any more
    assert b"/EmbeddedFile" not in rendered.content
    assert "root:" not in pdf.text(rendered.content)
