"""Excel import: what a file must pass before anything parses it, and the refusals' words."""

import io
import zipfile
from typing import Any

import openpyxl
import pytest

from evaluations.excel import imports, safety
from evaluations.excel.layout import ExcelRefused
from evaluations.models import SectionState, Staffing
from tests.conftest import Cast
from tests.evaluations.excel.files import (
    EXTRA_PART,
    MAIN,
    sheet_xml,
    with_extra_sheet,
    with_member,
    zip_of,
)
from tests.evaluations.excel.helpers import (
    cell_of,
    demo,
    download,
    in_scope,
    set_cell,
    upload,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>
</worksheet>"""


def corrupted(data: bytes, member: str) -> bytes:
    """The file with some of a member's compressed bytes overwritten, as a bad download does."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    return data[:start] + b"\xff" * 40 + data[start + 40 :]


def refused_files(data: bytes) -> dict[str, tuple[bytes, str]]:
    """name → (content, words the refusal must contain)."""
    return {
        "报告.xlsx": (PDF, "不是 Excel 工作簿（.xlsx）"),
        "说明.xlsx": ("编制数,61\n".encode(), "不是 Excel 工作簿（.xlsx）"),
        "文档.xlsx": (zip_of({"word/document.xml": b"<w/>"}), "不是 Excel 工作簿（.xlsx）"),
        "炸弹.xlsx": (
            with_member(data, "xl/media/zeros.bin", bytes(8 * 1024 * 1024)),
            "解压后过大（疑似压缩炸弹）",
        ),
        "实体.xlsx": (
            with_member(data, "xl/worksheets/sheet1.xml", ENTITY_BOMB),
            "含有 XML 文档类型或实体声明（xl/worksheets/sheet1.xml）",
        ),
        "分块.xlsx": (  # the declaration straddles two of the scan's reads
            with_member(data, "xl/styles.xml", b" " * (safety.CHUNK - 4) + ENTITY_BOMB),
            "含有 XML 文档类型或实体声明（xl/styles.xml）",
        ),
        "损坏.xlsx": (corrupted(data, "xl/worksheets/sheet1.xml"), "不是 Excel 工作簿（.xlsx）"),
        "空.xlsx": (b"", "是空文件"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "报告.xlsx",
        "说明.xlsx",
        "文档.xlsx",
        "炸弹.xlsx",
        "实体.xlsx",
        "分块.xlsx",
        "损坏.xlsx",
        "空.xlsx",
    ],
)
def test_unsafe_or_foreign_files_are_refused_before_parsing(cast: Cast, name: str) -> None:
    client = cast.client_for("filler_a")
    data = download(client, cast.evaluation_a)
    content, words = refused_files(data)[name]
    response = upload(client, cast.evaluation_a, content, name=name)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and f"文件「{name}」" in page
    with in_scope(cast.evaluation_a):
        assert not SectionState.objects.exists()


def test_a_file_over_the_size_limit_is_refused(cast: Cast, settings: Any) -> None:
    client = cast.client_for("filler_a")
    data = download(client, cast.evaluation_a)
    settings.EXCEL_MAX_BYTES = len(data) - 1
    response = upload(client, cast.evaluation_a, data)
    assert response.status_code == 400
    assert "超过" in response.content.decode() and "的上限，未导入" in response.content.decode()


def test_the_uncompressed_total_is_bounded(cast: Cast, settings: Any) -> None:
    data = download(cast.client_for("filler_a"), cast.evaluation_a)
    settings.EXCEL_MAX_UNCOMPRESSED_BYTES = 10_000
    with pytest.raises(ExcelRefused, match="疑似压缩炸弹"):
        safety.check_xlsx(data, name="x.xlsx")


def test_openpyxl_itself_refuses_xml_entities(cast: Cast) -> None:
    """The second wall, behind the scan for DTDs: openpyxl parses with defusedxml."""
    data = download(cast.client_for("filler_a"), cast.evaluation_a)
    bomb = with_member(data, "xl/worksheets/sheet1.xml", ENTITY_BOMB)
    assert openpyxl.DEFUSEDXML
    with pytest.raises(ExcelRefused, match="含有 XML 实体声明"), imports.opened(bomb, name="x"):
        pass


def test_the_scan_refuses_a_document_type_the_byte_search_could_miss() -> None:
    """The third wall: the counting parser itself stops at a DTD."""
    parser = safety.Tally(name="x.xlsx", max_cells=10).parser("xl/worksheets/sheet1.xml")
    with pytest.raises(ExcelRefused, match="含有 XML 文档类型或实体声明"):
        parser.Parse(b'<?xml version="1.0"?><!DOCTYPE x><x/>', True)


def test_more_cells_than_the_tables_hold_are_refused_and_nothing_is_saved(
    cast: Cast, settings: Any
) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    data = download(client, evaluation)
    data = set_cell(data, cell_of(data, evaluation, "basic.staffing", "staff_authorized"), 61)
    # An extra sheet of 3,000 cells whose <dimension> claims a single one.
    heavy = with_extra_sheet(data, sheet_xml(100, 30))
    settings.EXCEL_MAX_CELLS = 2_500
    response = upload(client, evaluation, heavy, name="加页.xlsx")
    assert response.status_code == 400
    # Counting stops at the first cell past the limit.
    assert (
        "文件「加页.xlsx」至少有 2,501 个单元格，多于官方表格所能容纳的 2,500 个，未导入。"
        in response.content.decode()
    )
    with in_scope(evaluation):
        assert not SectionState.objects.exists() and not Staffing.objects.exists()
    assert upload(client, evaluation, data).status_code == 302  # the same file without the sheet
    with in_scope(evaluation):
        assert Staffing.objects.get().staff_authorized == 61


@pytest.mark.parametrize(("department", "year"), [("湛江市商务局", 2019), ("岳阳市商务局", 2023)])
def test_the_largest_demo_exports_pass_with_room_to_spare(
    demo_data: None, settings: Any, department: str, year: int
) -> None:
    evaluation, client = demo(department, year)
    data = download(client, evaluation)
    settings.EXCEL_MAX_CELLS = safety.DEFAULT_MAX_CELLS // 20
    safety.check_xlsx(data, name="自评.xlsx")
    settings.EXCEL_MAX_CELLS = 1_000
    with pytest.raises(ExcelRefused, match="多于官方表格所能容纳的 1,000 个"):
        safety.check_xlsx(data, name="自评.xlsx")


def styles_of(count: int) -> bytes:
    formats = "".join(f'<xf numFmtId="{n % 200}" fontId="0" fillId="0"/>' for n in range(count))
    return f'<styleSheet xmlns="{MAIN}"><cellXfs>{formats}</cellXfs></styleSheet>'.encode()


def one_long_row(runs: int) -> bytes:
    text = "".join(f"<r><t>{n}</t></r>" for n in range(runs))
    row = f'<row r="1"><c r="A1" t="inlineStr"><is>{text}</is></c></row>'
    return f'<worksheet xmlns="{MAIN}"><sheetData>{row}</sheetData></worksheet>'.encode()


def empty_rows(count: int) -> bytes:
    rows = "".join(f'<row r="{n}"/>' for n in range(1, count + 1))
    return f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode()


@pytest.mark.parametrize(
    ("part", "content", "fits"),
    [
        # openpyxl builds each of the styles' formats into objects of about 1 KB.
        ("xl/styles.xml", styles_of(safety.MAX_STRUCTURE_ELEMENTS), styles_of(200)),
        # A row is built whole before it is read: one cell of many rich-text runs.
        (EXTRA_PART, one_long_row(safety.MAX_ELEMENTS_PER_ROW // 2), one_long_row(300)),
        (EXTRA_PART, empty_rows(2_600), empty_rows(1_000)),
    ],
)
def test_more_elements_than_an_export_has_are_refused_naming_the_part(
    cast: Cast, settings: Any, part: str, content: bytes, fits: bytes
) -> None:
    data = with_extra_sheet(download(cast.client_for("filler_a"), cast.evaluation_a), b"")
    settings.EXCEL_MAX_CELLS = 2_500
    safety.check_xlsx(with_member(data, part, fits), name="x.xlsx")
    with pytest.raises(ExcelRefused) as refusal:
        safety.check_xlsx(with_member(data, part, content), name="x.xlsx")
    assert str(refusal.value) == (
        f"文件「x.xlsx」的「{part}」中 XML 元素过多，远超本平台导出的自评表，未导入。"
    )
