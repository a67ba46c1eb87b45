"""Renderers: an evaluation and a document in, `(filename, mimetype, bytes)` out (as pretix's
`Renderer.generate`), by WeasyPrint from the templates under templates/pdf/.

A process keeps one `Renderer` per thread: its fonts and the parsed print stylesheet are reused
by every document it renders (parsing them anew costs more than laying out a short table).

Previews are PDF/UA-1. A published document is rendered with an `Archival`: PDF/A-3b, still
tagged, with the publication's data attached and its verification stamp on every page.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pydyf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, Attachment
from weasyprint.document import Document as LaidOut
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
from publishing.documents.fetcher import STATIC_PDF, AllowListFetcher, static_url
from publishing.documents.ua import PrintHTML

PRINT_CSS = Path(settings.BASE_DIR) / "templates" / "pdf" / "print.css"
PDF = "application/pdf"
# PDF/UA-1: a tagged PDF (structure tree, the tables' headers and reading order) that screen
# readers follow, with its title shown and its language set.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
# PDF/A-3b: an archival file that may carry other files (PDF/A-3), keeping the tags of PDF/UA
# (WeasyPrint makes one variant at a time; its tags are an option of their own).
ARCHIVE_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}
# The stamp's QR code: made for each publication and served from memory by that render's fetcher.
STAMP_QR_URL = static_url("verify-qr.svg")


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


@dataclass(frozen=True)
class Attached:
    """A file carried inside a published PDF (the data behind it)."""

    filename: str
    content: bytes
    description: str


@dataclass(frozen=True)
class Archival:
    """What a published PDF has that a preview has not: the stamp on every page (the code and
    a QR code of the verification address, as SVG) and the attached files."""

    code: str
    qr_svg: bytes
    attachments: tuple[Attached, ...] = ()

    def attachment_options(self) -> list[Attachment]:
        # 「Data」: the files are the data the document presents (PDF/A-3's AFRelationship).
        return [
            Attachment(
                file_obj=BytesIO(attached.content),
                name=attached.filename,
                description=attached.description,
                relationship="Data",
            )
            for attached in self.attachments
        ]


def _one_af_entry_each(document: LaidOut, pdf: pydyf.PDF) -> None:
    """Drop the duplicates WeasyPrint 70 writes into the catalog's /AF array (every attachment
    listed twice, weasyprint issue #2917): PDF/A-3 wants each file specification once."""
    if "AF" not in pdf.catalog:
        return
    unique = list(dict.fromkeys(pdf.catalog["AF"]))
    pdf.catalog["AF"] = pydyf.Array(unique)


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

    def render_html(
        self, html: str, fetcher: AllowListFetcher, archival: Archival | None = None
    ) -> tuple[bytes, int]:
        """PDF bytes and page count of a document's HTML; only `fetcher` may fetch anything."""
        options = PDF_OPTIONS if archival is None else ARCHIVE_OPTIONS
        document = PrintHTML(
            string=html, url_fetcher=fetcher, base_url=STATIC_PDF.as_uri() + "/"
        ).render(stylesheets=[self.stylesheet], font_config=self.font_config, **options)
        if archival is None:
            return document.write_pdf(**options), len(document.pages)
        content = document.write_pdf(
            attachments=archival.attachment_options(), finisher=_one_af_entry_each, **options
        )
        return content, len(document.pages)

    def render(
        self,
        data: DocumentData,
        parts: list[Document],
        *,
        title: str,
        slug: str,
        fetcher: AllowListFetcher | None = None,
        archival: Archival | None = None,
    ) -> Rendered:
        fetcher = fetcher or AllowListFetcher()
        if archival is not None:
            fetcher.serve(STAMP_QR_URL, archival.qr_svg)
        stamp = None if archival is None else {"code": archival.code, "qr": STAMP_QR_URL}
        html = document_html(data, parts, title=title, package=slug == PACKAGE, stamp=stamp)
        content, pages = self.render_html(html, fetcher, archival)
        return Rendered(filename_for(data, slug), PDF, content, pages)


_local = threading.local()


def renderer() -> Renderer:
    """This thread's renderer, made on first use (fonts and stylesheet then stay loaded)."""
    if not hasattr(_local, "renderer"):
        _local.renderer = Renderer()
    return _local.renderer


def filename_for(data: DocumentData, slug: str) -> str:
    return f"{data.department.slug}-{data.year}-{slug}.pdf"


def document_html(
    data: DocumentData,
    parts: list[Document],
    *,
    title: str,
    package: bool,
    stamp: dict[str, str] | None = None,
) -> str:
    """The HTML of a document (or of the package binding `parts`), all user text escaped or
    sanitised by the templates; `stamp` (code, QR image URL) marks every page of a published one."""
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
            "stamp": stamp,
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
    data: DocumentData,
    slug: str,
    *,
    fetcher: AllowListFetcher | None = None,
    archival: Archival | None = None,
) -> Rendered:
    """One document of the evaluation, or the package (slug 「package」); published (PDF/A-3b,
    stamped, the data attached) when given an `archival`."""
    if slug == PACKAGE:
        title, parts = package_title(data), package_parts(data)
    else:
        document = DOCUMENTS.get(slug)
        if document is None or document not in documents_for(data.evaluation):
            raise UnknownDocument(slug)
        title, parts = document.title_for(data), [document]
    return renderer().render(
        data, parts, title=title, slug=slug, fetcher=fetcher, archival=archival
    )


def generate(evaluation: Evaluation, document: str, *, draft: bool) -> tuple[str, str, bytes]:
    """`(filename, mimetype, bytes)` of one document of the evaluation, or of its package."""
    with evaluation_data(evaluation, draft=draft) as data:
        return render_document(data, document).as_tuple()
