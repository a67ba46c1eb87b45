"""What a publication stores: each document, the package and the data, built one at a time.

The publishing task (publishing/tasks.py) asks an `ArtifactBuilder` for its `keys` and builds and
stores them one by one, so that a rerun after a killed worker builds only what is missing.

Every PDF is published as an archive: PDF/A-3b, tagged, with the data JSON and the workbook
attached, the verification stamp (code and QR code) on every page, and signed by the bureau
(publishing/signing.py). The JSON and the workbook are also artifacts of their own.
"""

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import segno
from django.utils.translation import gettext as _

from evaluations.excel.export import workbook_bytes
from publishing import data_export
from publishing.documents.catalogue import DOCUMENTS, PACKAGE, published_documents
from publishing.documents.data import DocumentData
from publishing.documents.renderer import (
    PDF,
    Archival,
    Attached,
    evaluation_data,
    render_document,
)
from publishing.models import Publication
from publishing.signing import sign_pdf, signer_for

DATA = "data"
WORKBOOK = "workbook"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class BuiltArtifact:
    document: str  # a document's slug, 「package」, 「data」 or 「workbook」
    title: str
    filename: str  # the name a download gets (Chinese allowed)
    mimetype: str
    content: bytes
    pages: int | None


def verify_qr_svg(url: str) -> bytes:
    """The QR code of a verification address, as SVG without a quiet zone (the stamp leaves the
    white space around it), sized by the stylesheet."""
    buffer = BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", border=0, xmldecl=False, omitsize=True, dark="#000"
    )
    return buffer.getvalue()


def reproducible_xlsx(content: bytes, when: datetime.datetime) -> bytes:
    """The workbook with every timestamp in it set to `when` (its zip entries' and its document
    properties'), so that a publication built again, after a killed worker, carries the same
    bytes in the PDFs stored before as in the workbook stored after."""
    moment = when.astimezone(datetime.UTC)
    written = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    output = BytesIO()
    with ZipFile(BytesIO(content)) as source, ZipFile(output, "w", ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(lambda found: found[1] + written, data)
            target.writestr(ZipInfo(entry.filename, moment.timetuple()[:6]), data, ZIP_DEFLATED)
    return output.getvalue()


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*")


def safe_filename(name: str) -> str:
    """A download name: no path separators or control characters (department names are typed)."""
    return "".join("-" if char in '/\\:*?"<>|' or ord(char) < 32 else char for char in name)


class ArtifactBuilder:
    """Builds the artifacts of one publication from the evaluation's data, read once."""

    def __init__(self, publication: Publication, data: DocumentData) -> None:
        self.publication = publication
        self.data = data

    @property
    def keys(self) -> list[str]:
        """Every artifact of the publication, in the order the portal lists them."""
        documents = [document.slug for document in published_documents(self.data)]
        return [PACKAGE, *documents, DATA, WORKBOOK]

    def build(self, key: str) -> BuiltArtifact:
        if key == DATA:
            title = _("自评数据（JSON）")
            return BuiltArtifact(
                key, title, self.data_filename, data_export.MIMETYPE, self.data_json, None
            )
        if key == WORKBOOK:
            title = _("自评表格（Excel）")
            return BuiltArtifact(key, title, self.workbook_filename, XLSX, self.workbook, None)
        # Before the seconds of rendering: a bureau without a certificate fails at once.
        signer_for(self.publication.jurisdiction)
        rendered = render_document(self.data, key, archival=self.archival)
        content = sign_pdf(rendered.content, self.publication.jurisdiction)
        return BuiltArtifact(
            key, self.title(key), self.pdf_filename(key), PDF, content, rendered.pages
        )

    def title(self, key: str) -> str:
        return str(DOCUMENTS[key].title) if key in DOCUMENTS else _("公开材料")

    # Download names: 「湛江市商务局2019年度自评报告.pdf」, in Chinese whatever the language of
    # whoever publishes: they name official documents (and a worker has no request language).
    @property
    def _stem(self) -> str:
        return safe_filename(f"{self.data.department.name}{self.data.year}年度")

    def pdf_filename(self, key: str) -> str:
        return f"{self._stem}{self.title(key)}.pdf"

    @property
    def data_filename(self) -> str:
        return f"{self._stem}自评数据.json"

    @property
    def workbook_filename(self) -> str:
        return f"{self._stem}自评表格.xlsx"

    # Made once per builder: every PDF of the publication carries the same bytes.
    @cached_property
    def data_json(self) -> bytes:
        return data_export.publication_json(self.publication, self.data)

    @cached_property
    def workbook(self) -> bytes:
        made = workbook_bytes(self.data.evaluation)
        return reproducible_xlsx(made, self.publication.requested_at)

    @cached_property
    def archival(self) -> Archival:
        description = _("%(title)s的数据") % {"title": self.publication.title}
        return Archival(
            code=self.publication.display_code,
            qr_svg=verify_qr_svg(self.publication.verify_url),
            attachments=(
                Attached(self.data_filename, self.data_json, description + "（JSON）"),
                Attached(self.workbook_filename, self.workbook, description + "（Excel）"),
            ),
        )


@contextmanager
def artifact_builder(publication: Publication) -> Iterator[ArtifactBuilder]:
    """A builder for the publication's evaluation (call inside the department's scope)."""
    with evaluation_data(publication.evaluation, draft=False) as data:
        yield ArtifactBuilder(publication, data)
