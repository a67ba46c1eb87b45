"""Renderers: an evaluation and a document in, `(filename, mimetype, bytes)` out (as pretix's
`Renderer.generate`), by WeasyPrint from the templates under templates/pdf/.

A process keeps one `Renderer` per thread: its fonts and the parsed print stylesheet are reused
by every document it renders (parsing them anew costs more than laying out a short table).
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from evaluations.models import Evaluation
from evaluations.models.parts import rows_read_once
from publishing.documents.catalogue import (
    DOCUMENTS,
    PACKAGE,
    Document,
    documents_for,
    package_parts,
)
from publishing.documents.data import DocumentData
from publishing.documents.fetcher import STATIC_PDF, AllowListFetcher
from publishing.documents.ua import PrintHTML

PRINT_CSS = Path(settings.BASE_DIR) / "templates" / "pdf" / "print.css"
PDF = "application/pdf"
# PDF/UA-1: a tagged PDF (structure tree, the tables' headers and reading order) that screen
# readers follow, with its title shown and its language set.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class UnknownDocument(LookupError):
    """The evaluation has no such document (its campaign fills no such table)."""


@dataclass(frozen=True)
class Rendered:
    filename: str
    mimetype: str
    content: bytes
    pages: int

    def as_tuple(self) -> tuple[str, str, bytes]:
        return self.filename, self.mimetype, self.content


class Renderer:
    """Renders documents with one font configuration and one parsed print stylesheet."""

    def __init__(self) -> None:
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(
            string=PRINT_CSS.read_text(encoding="utf-8"),
            font_config=self.font_config,
            url_fetcher=AllowListFetcher(),
        )
        # A render allocates enough to set off several full collections, each walking every
        # object of the process (Django, the fonts, the parsed stylesheets: ~145,000) to find
        # the render's own cycles. Frozen once here, those are left out of every later walk:
        # about a tenth of a package's CPU. Garbage is collected first, so that only what is
        # alive now (and meant to stay) is frozen. The price, once per thread: in a web worker
        # the request that makes the renderer has its own objects frozen too; they are still
        # freed when nothing refers to them, only a cycle among them would never be.
        gc.collect()
        gc.freeze()

    def render_html(self, html: str, fetcher: AllowListFetcher) -> tuple[bytes, int]:
        """PDF bytes and page count of a document's HTML; only `fetcher` may fetch anything."""
        document = PrintHTML(
            string=html, url_fetcher=fetcher, base_url=STATIC_PDF.as_uri() + "/"
        ).render(stylesheets=[self.stylesheet], font_config=self.font_config, **PDF_OPTIONS)
        return document.write_pdf(**PDF_OPTIONS), len(document.pages)

    def render(
        self,
        data: DocumentData,
        parts: list[Document],
        *,
        title: str,
        slug: str,
        fetcher: AllowListFetcher | None = None,
    ) -> Rendered:
        html = document_html(data, parts, title=title, package=slug == PACKAGE)
        content, pages = self.render_html(html, fetcher or AllowListFetcher())
        return Rendered(filename_for(data, slug), PDF, content, pages)


_local = threading.local()


def renderer() -> Renderer:
    """This thread's renderer, made on first use (fonts and stylesheet then stay loaded)."""
    if not hasattr(_local, "renderer"):
        _local.renderer = Renderer()
    return _local.renderer


def filename_for(data: DocumentData, slug: str) -> str:
    return f"{data.department.slug}-{data.year}-{slug}.pdf"


def document_html(data: DocumentData, parts: list[Document], *, title: str, package: bool) -> str:
    """The HTML of a document (or of the package binding `parts`), all user text escaped or
    sanitised by the templates."""
    keywords = [data.department.name, str(data.year), *(part.title_for(data) for part in parts)]
    return render_to_string(
        "pdf/document.html",
        {
            "data": data,
            "parts": [(part, part.title_for(data)) for part in parts],
            "title": title,
            "subject": data.campaign.title,
            "keywords": ", ".join(keywords),
            "package": package,
        },
    )


@contextmanager
def evaluation_data(evaluation: Evaluation, *, draft: bool) -> Iterator[DocumentData]:
    """The evaluation's printable data, each table's rows read once for all documents."""
    with rows_read_once(evaluation):
        yield DocumentData(evaluation, draft=draft)


def package_title(data: DocumentData) -> str:
    return _("%(name)s %(year)d年度绩效自评公开材料") % {
        "name": data.department.name,
        "year": data.year,
    }


def render_document(
    data: DocumentData, slug: str, *, fetcher: AllowListFetcher | None = None
) -> Rendered:
    """One document of the evaluation, or the package (slug 「package」)."""
    if slug == PACKAGE:
        title = package_title(data)
        return renderer().render(data, package_parts(data), title=title, slug=slug, fetcher=fetcher)
    document = DOCUMENTS.get(slug)
    if document is None or document not in documents_for(data.evaluation):
        raise UnknownDocument(slug)
    return renderer().render(
        data, [document], title=document.title_for(data), slug=slug, fetcher=fetcher
    )


def generate(evaluation: Evaluation, document: str, *, draft: bool) -> tuple[str, str, bytes]:
    """`(filename, mimetype, bytes)` of one document of the evaluation, or of its package."""
    with evaluation_data(evaluation, draft=draft) as data:
        return render_document(data, document).as_tuple()
