"""What an uploaded file must pass before openpyxl parses it: its size, a zip holding an .xlsx, no
zip bomb, no XML document type declaration, and no more cells than the official tables can hold.

The cells are counted by streaming every part of the zip through expat, without openpyxl and
without keeping what is read: openpyxl builds objects for whatever it parses, so what it would
build is bounded here, and counting stops as soon as a limit is passed.
"""

import io
import lzma
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from evaluations.excel.layout import ExcelRefused

WORKBOOK_PART = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members large enough to matter
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 1000
# What the official tables can hold, in cells, with a wide margin. A grid takes one cell per
# column and row: the funds table 4 + 26 columns per line (its structure and its figures),
# 固定资产 7, 绩效目标 10, a project's indicators 9; the one-row tables take some 1,000 cells and
# a project's sheet some 200. A thousand lines in each grid and a hundred projects come to about
# 70,000 (湛江 2019 with 1,000 more funds lines exports 31,680). The largest demo exports have
# 1,710 cells (湛江 2019, 24 funds lines) and 1,036 (岳阳 2023, 3 projects).
DEFAULT_MAX_CELLS = 100_000
# openpyxl builds a whole row (its cells, their values and rich-text runs) or a shared text before
# reading it: the widest official row is 26 cells of at most a few elements each.
MAX_ELEMENTS_PER_ROW = 2_000
# Elements outside rows and shared texts (styles, the workbook, relationships, a sheet's
# validations) are built whole, the styles' into objects of about 1 KB each: 湛江 2019 exports 702
# of them, and 2,648 with 1,000 more funds lines.
MAX_STRUCTURE_ELEMENTS = 50_000
# A DTD is how an XML entity bomb or an external entity gets in; spreadsheets never need one.
XML_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
MARKER_OVERLAP = max(len(marker) for marker in XML_DECLARATIONS) - 1
CHUNK = 64 * 1024
ROW_ELEMENTS = frozenset({"row", "si"})  # a sheet's row, a shared text
CELL = "c"
UNREADABLE = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    lzma.LZMAError,
)


def max_bytes() -> int:
    return int(getattr(settings, "EXCEL_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "EXCEL_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES))


def max_cells() -> int:
    return int(getattr(settings, "EXCEL_MAX_CELLS", DEFAULT_MAX_CELLS))


def checked_bytes(upload: UploadedFile | None) -> bytes:
    """The upload's content if it is an .xlsx safe to parse; raise ExcelRefused otherwise."""
    if upload is None:
        raise ExcelRefused(_("请选择要导入的 Excel 文件（.xlsx）。"))
    name = os.path.basename(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise ExcelRefused(_("文件「%(name)s」是空文件，未导入。") % {"name": name})
    if size > max_bytes():
        raise ExcelRefused(
            _("文件「%(name)s」大小为 %(size)s，超过 %(limit)s 的上限，未导入。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    check_xlsx(data, name=name)
    return data


def check_xlsx(data: bytes, *, name: str) -> None:
    """Refuse what is not an .xlsx, a zip bomb, XML with a DTD (entity bombs, external entities),
    or more cells (and other elements) than the official tables can hold."""
    not_xlsx = _("文件「%(name)s」不是 Excel 工作簿（.xlsx），未导入。") % {"name": name}
    if len(data) > max_bytes():
        raise ExcelRefused(
            _("文件「%(name)s」超过 %(limit)s 的上限，未导入。")
            % {"name": name, "limit": filesizeformat(max_bytes())}
        )
    if not data.startswith(b"PK\x03\x04"):
        raise ExcelRefused(not_xlsx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ExcelRefused(not_xlsx) from error
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ExcelRefused(not_xlsx)
    _check_sizes(members, name=name)
    try:
        if WORKBOOK_PART not in archive.read("[Content_Types].xml"):
            raise ExcelRefused(not_xlsx)
        tally = Tally(name=name, max_cells=max_cells())
        for member in members:  # every part: a worksheet may sit at any path the workbook names
            _scan(archive, member, tally)
    except UNREADABLE as error:
        raise ExcelRefused(not_xlsx) from error


def _check_sizes(members: list[zipfile.ZipInfo], *, name: str) -> None:
    bomb = _("文件「%(name)s」解压后过大（疑似压缩炸弹），未导入。") % {"name": name}
    if len(members) > MAX_MEMBERS:
        raise ExcelRefused(bomb)
    if sum(member.file_size for member in members) > max_uncompressed_bytes():
        raise ExcelRefused(bomb)
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ExcelRefused(bomb)


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo, tally: "Tally") -> None:
    """Read a part once, in chunks: refuse a DTD anywhere in it, and count its XML elements."""
    parser: expat.XMLParserType | None = tally.parser(member.filename)
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk  # a marker may straddle two chunks
            if any(marker in window for marker in XML_DECLARATIONS):
                raise ExcelRefused(tally.declaration())
            tail = window[-MARKER_OVERLAP:]
            parser = _fed(parser, chunk)
    _fed(parser, b"", final=True)


def _fed(
    parser: expat.XMLParserType | None, chunk: bytes, *, final: bool = False
) -> expat.XMLParserType | None:
    """The parser after a chunk, or None once the part is not XML (media) or no longer is: openpyxl
    cannot read past that point either, so what was counted up to it is all it could build."""
    if parser is None:
        return None
    try:
        parser.Parse(chunk, final)
    except expat.ExpatError:
        return None
    return parser


@dataclass
class Tally:
    """Counts, over every part, the elements openpyxl would build; refuses past a limit."""

    name: str
    max_cells: int
    part: str = ""
    cells: int = 0
    structure: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # rows and shared texts, by element
    depth: int = 0  # inside a row or a shared text: how deep
    inside: int = 0  # elements inside the current row or shared text

    def parser(self, part: str) -> expat.XMLParserType:
        """A streaming parser for one part, without a DTD (the bytes were already searched)."""
        self.part, self.depth = part, 0
        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.StartDoctypeDeclHandler = self.doctype
        return parser

    def start(self, tag: str, attributes: object) -> None:
        local = tag.rpartition("}")[2]
        if local == CELL:
            self.cells += 1
            if self.cells > self.max_cells:
                raise ExcelRefused(self.too_many_cells())
        if self.depth:
            self.depth += 1
            self.inside += 1
            if self.inside > MAX_ELEMENTS_PER_ROW:
                raise ExcelRefused(self.too_many_elements())
        elif local in ROW_ELEMENTS:
            self.depth, self.inside = 1, 0
            self.rows[local] = self.rows.get(local, 0) + 1
            if self.rows[local] > self.max_cells:
                raise ExcelRefused(self.too_many_elements())
        else:
            self.structure += 1
            if self.structure > MAX_STRUCTURE_ELEMENTS:
                raise ExcelRefused(self.too_many_elements())

    def end(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def doctype(self, *declaration: object) -> None:
        raise ExcelRefused(self.declaration())

    def too_many_cells(self) -> str:
        return _(
            "文件「%(name)s」至少有 %(count)s 个单元格，多于官方表格所能容纳的 %(limit)s 个，"
            "未导入。"
        ) % {
            "name": self.name,
            "count": f"{self.cells:,}",  # grouped by thousands, as figures in the official tables
            "limit": f"{self.max_cells:,}",
        }

    def too_many_elements(self) -> str:
        return _(
            "文件「%(name)s」的「%(part)s」中 XML 元素过多，远超本平台导出的自评表，未导入。"
        ) % {"name": self.name, "part": self.part}

    def declaration(self) -> str:
        return _(
            "文件「%(name)s」含有 XML 文档类型或实体声明（%(part)s），出于安全原因未导入。"
        ) % {"name": self.name, "part": self.part}
