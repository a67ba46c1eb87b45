"""A publication's artifacts, as published: PDF/A-3b with the data attached, the verification stamp
on every page, the bureau's signature; the data JSON (valid against its schema) and the workbook.

The demo's 湛江市商务局 2019 publication is built once for the module (some ten seconds).
"""

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import jsonschema
import openpyxl
import pikepdf
import pytest
from django.test import override_settings
from django_scopes import scope, scopes_disabled
from PIL import Image

from evaluations.models import Evaluation
from evaluations.selectors.evaluations import evaluation_with_parts
from publishing.archive import BuiltArtifact, artifact_builder, reproducible_xlsx
from publishing.data_export import SCHEMA_PATH, schema_url
from publishing.documents.fetcher import AllowListFetcher, RefusedURL
from publishing.documents.renderer import STAMP_QR_URL, render_document
from publishing.models import Publication
from publishing.signing import SigningNotConfigured, demo_certificate_create
from tests.factories import publication_of
from tests.publishing import pdf

pytestmark = pytest.mark.django_db

PDFS = ["package", "report", "scores", "basic", "funds"]
DPI = 150
SNAPSHOT = "5e" * 32


@dataclass(frozen=True)
class Published:
    publication: Publication
    keys_dir: Path  # where the bureau's demo certificate is
    keys: list[str]
    artifacts: dict[str, BuiltArtifact]
    expected_total: Decimal  # the demo's score, as the scoring sheet computes it


def zhanjiang_2019() -> Evaluation:
    with scopes_disabled():
        return Evaluation.objects.select_related("department").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )


@pytest.fixture(scope="module")
def published(
    demo_for_module: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Published:
    keys_dir = tmp_path_factory.mktemp("keys")
    with django_db_blocker.unblock(), override_settings(SIGNING_KEYS_DIR=keys_dir):
        found = zhanjiang_2019()
        department = found.department
        demo_certificate_create(department.jurisdiction)
        with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
            evaluation = evaluation_with_parts(pk=found.pk)
            assert evaluation is not None
            publication = publication_of(
                evaluation, snapshot_sha256=SNAPSHOT, rubric_version="zhanjiang-2019@1"
            )
            with artifact_builder(publication) as builder:
                keys = builder.keys
                artifacts = {key: builder.build(key) for key in keys}
                assert builder.data.sheet is not None
                total = builder.data.sheet.result.total
    return Published(publication, keys_dir, keys, artifacts, total)


@pytest.fixture
def built(published: Published) -> dict[str, BuiltArtifact]:
    return published.artifacts


def attachments(content: bytes) -> list[tuple[str, bytes, str]]:
    """The catalog's /AF entries: (name, bytes, relationship), one per entry as listed."""
    with pikepdf.open(BytesIO(content)) as document:
        return [
            (str(spec.UF), spec.EF.F.read_bytes(), str(spec.AFRelationship))
            for spec in document.Root.AF
        ]


def page_sizes(content: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in millimetres."""
    with pikepdf.open(BytesIO(content)) as document:
        return [
            (float(page.mediabox[2]) * pdf.MM_PER_POINT, float(page.mediabox[3]) * pdf.MM_PER_POINT)
            for page in document.pages
        ]


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout


def qr_codes_in(image: Image.Image) -> list[str]:
    """What zbarimg decodes in an image (from Debian's zbar-tools); handed over uncompressed."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crop.ppm"
        image.save(path)
        return run("zbarimg", "--raw", "-q", str(path)).splitlines()


# --- what a publication holds --------------------------------------------------------------------


def test_it_holds_every_document_the_data_and_the_workbook(published: Published) -> None:
    assert published.keys == [*PDFS, "data", "workbook"]
    built = published.artifacts
    assert built["package"].filename == "湛江市商务局2019年度公开材料.pdf"
    assert built["report"].filename == "湛江市商务局2019年度自评报告.pdf"
    assert built["scores"].filename == "湛江市商务局2019年度评分表.pdf"
    assert built["data"].filename == "湛江市商务局2019年度自评数据.json"
    assert built["data"].mimetype == "application/json"
    assert built["workbook"].filename == "湛江市商务局2019年度自评表格.xlsx"
    assert all(built[key].mimetype == "application/pdf" for key in PDFS)
    assert all(built[key].content.startswith(b"%PDF-") for key in PDFS)


def test_the_workbook_is_the_evaluations_tables(built: dict[str, BuiltArtifact]) -> None:
    workbook = openpyxl.load_workbook(BytesIO(built["workbook"].content))
    assert "_meta" in workbook.sheetnames
    assert len(workbook.sheetnames) > 2


def test_building_again_gives_the_same_data_and_workbook(published: Published) -> None:
    """A rerun after a killed worker stores the same files as the PDFs stored before carry."""
    publication = published.publication
    in_scope = scope(jurisdiction=publication.jurisdiction_id, department=publication.department_id)
    with in_scope, artifact_builder(publication) as builder:
        assert builder.build("data").content == published.artifacts["data"].content
        assert builder.build("workbook").content == published.artifacts["workbook"].content


def test_a_workbook_saved_at_another_time_becomes_the_same_bytes(published: Published) -> None:
    stored = published.artifacts["workbook"].content
    later = resaved(stored, "2031-07-01T08:00:00Z", (2031, 7, 1, 8, 0, 0))
    assert later != stored

    assert reproducible_xlsx(later, published.publication.requested_at) == stored


def resaved(content: bytes, written: str, date_time: tuple[int, ...]) -> bytes:
    """The workbook as if saved at another time: what openpyxl changes when it saves."""
    output = BytesIO()
    with ZipFile(BytesIO(content)) as source, ZipFile(output, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = re.sub(rb"(W3CDTF\">)[^<]*", rb"\g<1>" + written.encode(), data)
            target.writestr(ZipInfo(entry.filename, date_time), data, ZIP_DEFLATED)
    return output.getvalue()


# --- the data JSON -------------------------------------------------------------------------------


def test_the_data_validates_against_its_schema(built: dict[str, BuiltArtifact]) -> None:
    data = json.loads(built["data"].content)
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    validator.validate(data)

    # A number as a float is refused: the schema holds what the file promises.
    data["values"][0]["value"] = 1234.5
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


def test_the_data_says_what_was_published(published: Published) -> None:
    data = json.loads(published.artifacts["data"].content)
    publication = published.publication

    assert data["schema"] == schema_url()
    assert data["schema"].endswith("/public/schema/publication-data.json")
    assert data["publication"] == {
        "code": publication.code,
        "title": publication.title,
        "department": "湛江市商务局",
        "jurisdiction": publication.jurisdiction.name,
        "fiscal_year": 2019,
        "snapshot_sha256": SNAPSHOT,
        "rubric_version": "zhanjiang-2019@1",
        "generated_at": publication.requested_at.isoformat(),
        "verify_url": publication.verify_url,
    }


def test_the_data_holds_values_tables_and_scores_as_decimal_strings(
    published: Published,
) -> None:
    data = json.loads(published.artifacts["data"].content, parse_float=_no_float)
    values = {row["key"]: row for row in data["values"]}

    assert values["actual_expenditure"]["label"] == "本年实际支出"
    assert values["actual_expenditure"]["unit"] == "万元"
    assert Decimal(values["actual_expenditure"]["value"]) > 0
    assert values["staff_actual"]["unit"] == "人"
    rate = values["overall_expenditure_rate"]
    assert rate["unit"] == "比率"
    assert 0 < Decimal(rate["value"]) <= 2
    assert all(not isinstance(row["value"], list | dict) for row in data["values"])

    basic = data["tables"]["basic.unit"]
    assert basic["title"] == "单位基本情况"
    assert basic["table"] == "basic"
    assert basic["data"]["contact_name"]

    scores = data["scores"]
    assert Decimal(scores["total"]) == published.expected_total
    assert scores["grade"]
    indicator = scores["indicators"][0]
    assert set(indicator) == {
        "code", "name", "weight", "computed", "claimed", "verified", "working", "flags",
    }  # fmt: skip
    assert Decimal(indicator["weight"]) > 0


def _no_float(text: str) -> Decimal:
    raise AssertionError(f"a number written as a JSON number: {text}")


# --- PDF/A-3b and its attachments ----------------------------------------------------------------


@pytest.mark.parametrize("key", PDFS)
def test_each_pdf_is_pdfa_3b_and_tagged(built: dict[str, BuiltArtifact], key: str) -> None:
    # Read after signing: the signature is an incremental update that keeps the PDF/A metadata.
    with pikepdf.open(BytesIO(built[key].content)) as document:
        metadata = document.open_metadata()
        assert metadata["pdfaid:part"] == "3"
        assert metadata["pdfaid:conformance"] == "B"
        assert document.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in document.Root
        assert str(document.Root.Lang) == "zh-CN"
        assert "/OutputIntents" in document.Root


@pytest.mark.parametrize("key", PDFS)
def test_each_pdf_carries_the_data_and_the_workbook_once(
    built: dict[str, BuiltArtifact], key: str
) -> None:
    # Exactly one /AF entry per file (WeasyPrint 70 lists each twice: weasyprint issue #2917).
    assert attachments(built[key].content) == [
        ("湛江市商务局2019年度自评数据.json", built["data"].content, "/Data"),
        ("湛江市商务局2019年度自评表格.xlsx", built["workbook"].content, "/Data"),
    ]


def test_pdfdetach_lists_both_files(built: dict[str, BuiltArtifact], tmp_path: Path) -> None:
    path = tmp_path / "package.pdf"
    path.write_bytes(built["package"].content)

    listed = run("pdfdetach", "-list", str(path))

    assert "2 embedded files" in listed
    assert "湛江市商务局2019年度自评数据.json" in listed
    assert "湛江市商务局2019年度自评表格.xlsx" in listed


# --- the verification stamp ----------------------------------------------------------------------


@pytest.mark.parametrize("key", PDFS)
def test_every_page_shows_the_code(published: Published, key: str) -> None:
    content = published.artifacts[key].content
    pages = pdf.text(content).split("\f")[:-1]

    assert len(pages) == published.artifacts[key].pages
    assert all(published.publication.display_code in page for page in pages)


def test_every_page_of_the_package_has_the_qr_code_in_its_bottom_margin(
    published: Published,
) -> None:
    """Decoded from the middle of the bottom margin only: below the text block, clear of the page
    numbers one character in from its outer edges, above the paper's edge."""
    content = published.artifacts["package"].content
    sizes = page_sizes(content)
    images = pdf.page_images(content, resolution=DPI)
    assert len(images) == len(sizes) == published.artifacts["package"].pages
    assert {round(width) for width, _ in sizes} == {210, 297}  # portrait and landscape pages

    for number, (image, (width, height)) in enumerate(zip(images, sizes, strict=True), 1):
        block = text_block(width, height)
        margin = (block.left + 30, block.bottom + 1, block.right - 30, height - 1)
        assert qr_codes_in(crop(image, margin)) == [published.publication.verify_url], number
        assert qr_codes_in(crop(image, (0, 0, width, block.bottom))) == [], number


def test_the_stamp_keeps_the_text_block_and_the_page_number(published: Published) -> None:
    content = published.artifacts["report"].content
    block = text_block(210, 297)
    words = pdf.words(content, 2)
    body = [word for word in words if word.top < block.bottom]
    footer = [word for word in words if word.top >= block.bottom]
    code = published.publication.display_code

    # As tests/publishing/test_geometry.py has it for the preview: 22 lines in the block.
    assert len({round(word.top, 1) for word in body}) == 22
    assert max(word.bottom for word in body) <= block.bottom
    number = [word for word in footer if word.text in {"—", "2"}]
    stamp = [word for word in footer if word.text in {"验证码", code}]
    assert [word.text for word in number] == ["—", "2", "—"]
    assert [word.text for word in stamp] == ["验证码", code]
    assert all(block.bottom < word.top < block.bottom + 10 for word in number)
    assert max(word.right for word in number) < min(word.left for word in stamp) - 10
    assert all(block.bottom < word.top and word.bottom < 297 - 10 for word in stamp)


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float


def text_block(width: float, height: float) -> Box:
    """GB/T 9704's text block (mm): margins 37 / 26 / 35 / 28, turned a quarter on landscape."""
    if width < height:
        return Box(28.0, 37.0, width - 26.0, height - 35.0)
    return Box(37.0, 28.0, width - 35.0, height - 26.0)


def crop(image: bytes, box: tuple[float, float, float, float]) -> Image.Image:
    """The part of a page image inside `box` (left, top, right, bottom in mm)."""
    scale = DPI / 25.4
    opened = Image.open(BytesIO(image))
    return opened.crop(tuple(round(mm * scale) for mm in box))


def test_only_the_render_that_made_the_qr_code_serves_it(published: Published) -> None:
    publication = published.publication
    in_scope = scope(jurisdiction=publication.jurisdiction_id, department=publication.department_id)
    with in_scope, artifact_builder(publication) as builder:
        fetcher = AllowListFetcher()
        render_document(builder.data, "basic", fetcher=fetcher, archival=builder.archival)

    assert fetcher.served == [STAMP_QR_URL]
    with pytest.raises(RefusedURL):
        AllowListFetcher().fetch(STAMP_QR_URL)


# --- the signature -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", PDFS)
def test_each_pdf_is_signed_by_the_bureau(
    built: dict[str, BuiltArtifact], key: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{key}.pdf"
    path.write_bytes(built[key].content)

    report = run("pdfsig", str(path))

    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report


def test_a_changed_byte_breaks_the_signature(
    built: dict[str, BuiltArtifact], tmp_path: Path
) -> None:
    content = bytearray(built["package"].content)
    # One byte inside the first stream, well inside the signed range (the original file).
    at = content.index(b"stream\n") + 20
    content[at] ^= 0x01
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(content))

    report = run("pdfsig", str(path))

    assert "Signature is Valid." not in report
    assert "Digest Mismatch." in report


def test_a_bureau_without_a_certificate_gets_no_pdf(
    published: Published, settings: Any, tmp_path: Path
) -> None:
    settings.SIGNING_KEYS_DIR = tmp_path / "no-keys"
    publication = published.publication
    in_scope = scope(jurisdiction=publication.jurisdiction_id, department=publication.department_id)
    with in_scope, artifact_builder(publication) as builder:
        with pytest.raises(SigningNotConfigured, match=r"未配置.*的签名证书"):
            builder.build("report")
        # The data is not signed: it is built all the same.
        assert builder.build("data").content.startswith(b"{")
