"""Workbooks altered byte by byte, for the Excel tests and `benchmarks/excel_import.py`: a part
replaced, a sheet added. No Django here: the benchmark builds its attack file with these."""

import io
import random
import re
import zipfile

from openpyxl.utils import get_column_letter

WORKSHEET_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EXTRA_PART = "xl/worksheets/extra.xml"


def members_of(data: bytes) -> dict[str, bytes]:
    source = zipfile.ZipFile(io.BytesIO(data))
    return {name: source.read(name) for name in source.namelist()}


def zip_of(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    return zip_of({**members_of(data), name: content})


def rows_xml(rows: int, columns: int, *, first: int = 1) -> str:
    """`rows` × `columns` random digits, from row `first` down."""
    numbers = random.Random(rows * columns)  # noqa: S311 -- filler, not a secret
    letters = [get_column_letter(column) for column in range(1, columns + 1)]
    return "".join(
        f'<row r="{row}">'
        + "".join(f'<c r="{letter}{row}"><v>{numbers.randrange(10)}</v></c>' for letter in letters)
        + "</row>"
        for row in range(first, first + rows)
    )


def sheet_xml(rows: int, columns: int, *, body: str = "") -> bytes:
    """A worksheet of `rows` × `columns` random digits whose <dimension> claims one cell, then
    `body` (40,000 × 30 digits make a 3.7 MB .xlsx of 1.2 million cells, as the issue's file)."""
    return (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1"/><sheetData>{rows_xml(rows, columns)}'
        f"</sheetData>{body}</worksheet>"
    ).encode()


def with_rows_below(data: bytes, sheet: int, rows: int, columns: int) -> bytes:
    """The workbook with `rows` × `columns` digits below what its `sheet`-th sheet (from 1) holds."""
    part = f"xl/worksheets/sheet{sheet}.xml"
    xml = members_of(data)[part]
    last = int(re.findall(rb'<row r="(\d+)"', xml)[-1])
    added = rows_xml(rows, columns, first=last + 1).encode()
    return with_member(data, part, xml.replace(b"</sheetData>", added + b"</sheetData>"))


RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def with_extra_sheet(data: bytes, sheet: bytes, *, title: str = "附加") -> bytes:
    """The workbook with one more worksheet, as Excel would add it (workbook, relation, type)."""
    members = members_of(data)
    members[EXTRA_PART] = sheet
    members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
        b"</sheets>",
        # The prefix declared on the element, as openpyxl writes its own (lxml insists on it).
        f'<sheet xmlns:r="{RELATIONSHIPS}" name="{title}" sheetId="999" state="visible" '
        'r:id="rIdExtra"/></sheets>'.encode(),
    )
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Type="{WORKSHEET_RELATION}" Target="/{EXTRA_PART}" Id="rIdExtra"/>'
        "</Relationships>".encode(),
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/{EXTRA_PART}" ContentType="{WORKSHEET_TYPE}"/></Types>'.encode(),
    )
    return zip_of(members)
