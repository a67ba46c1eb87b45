"""自评报告 from Word: a .docx checked like evidence, converted by mammoth, cut at its headings,
matched to the campaign's chapters, and saved — once the officer has placed every piece — through
the one write path, all chapters or none.

Headings are Word's heading styles or plain paragraphs numbered as the published reports number
them: 「一、」 a chapter, 「（一）」 and 「1.」/「1、」 the levels inside it (kept as h3 and h4).
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, tostring  # parsing is defusedxml's

import mammoth
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from departments.roles import Role
from departments.selectors import AnyUser
from evaluations.excel.safety import CHUNK, MARKER_OVERLAP, XML_DECLARATIONS
from evaluations.models import Evaluation, ReportSection
from evaluations.selectors.evaluations import section_versions
from evaluations.services.sections import Outcome, section_submit
from evaluations.tables.narrative import is_html, markdown_html, report_headings, sanitise_html
from evaluations.tables.registry import Section, section_for

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # as evidence: reports carry photos (which are left out)
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# mammoth builds a tree of each XML part it reads: a report's document.xml is a few MB at most.
MAX_XML_PART_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members large enough to matter
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 2000
# The text a report can carry: the preview page posts it back, and the editor's autosave posts a
# chapter URL-encoded (9 bytes a Chinese character), both under DATA_UPLOAD_MAX_MEMORY_SIZE
# (2.5 MB by default). A long report is some 50,000 characters.
MAX_HTML_CHARS = 250_000
# The parts the preview page carries (chapter-level headings, plus one), 3 fields each, under
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000 by default) with the chapters' 2 each.
MAX_PIECES = 300
# A paragraph longer than this, or of more than one sentence, is text that starts with a number,
# not a heading (「1.贯彻执行国家……的规范性文件草案。」); a heading may end with 「。」, as the
# seeds' 「(一) 评价小组情况。」 do.
MAX_HEADING_CHARS = 40
SENTENCE_ENDS = ("。", "；", ";", "！", "？", "!", "?")

DOCUMENT_PART = "word/document.xml"
STYLE_MAP = "\n".join(
    f"p[style-name='{name} {level}'] => h{level}:fresh"
    for name in ("标题", "Heading", "heading")
    for level in range(1, 7)
)
NUMBERED = (
    (1, re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")),
    (2, re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)")),
)
NUMBERING = re.compile(
    r"^(第[一二三四五六七八九十\d]+[部分章节]|[一二三四五六七八九十]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[、.．])"
)
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 3, "h5": 3, "h6": 3}
INNER_HEADING = {2: "h3", 3: "h4"}
LEAVE_OUT = "omit"


class ReportImportRefused(ValueError):
    """A file that is not imported; the message says why, in the user's words."""


@dataclass(frozen=True)
class Piece:
    """A part of the document: under one chapter-level heading (or before the first)."""

    heading: str  # as written in the document; "" for what comes before the first heading
    html: str  # sanitised; its sub-headings as h3/h4
    chapter: int | None  # the order of the chapter its heading matches, None if none


@dataclass(frozen=True)
class ReportDocument:
    """What a .docx comes to: its pieces, and how many images it had (they are left out)."""

    pieces: list[Piece]
    images: int


@dataclass(frozen=True)
class Chapter:
    order: int
    heading: str
    section: Section
    text: str  # what the chapter holds now
    version: int


# --- The upload ---------------------------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "REPORT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def checked_docx(upload: UploadedFile | None) -> bytes:
    """The upload's content if it is a Word document (.docx) safe to convert; raise
    ReportImportRefused otherwise. Judged by content, not by the file's name."""
    if upload is None:
        raise ReportImportRefused(_("请选择要导入的 Word 文档（.docx）。"))
    name = Path(upload.name or "").name
    size = upload.size or 0
    if size == 0:
        raise ReportImportRefused(_("文件「%(name)s」是空文件，未导入。") % {"name": name})
    if size > max_bytes():
        raise ReportImportRefused(
            _("文件「%(name)s」大小为 %(size)s，超过 %(limit)s 的上限，未导入。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    check_docx(data, name=name)
    return data


def check_docx(data: bytes, *, name: str) -> None:
    """Refuse what is not a .docx (a zip holding word/document.xml), a zip bomb, or XML with a
    document type declaration (entity bombs, external entities)."""
    not_docx = _(
        "文件「%(name)s」不是 Word 文档（.docx），未导入。只接受 Word 2007 及以后的 .docx 文件；"
        "旧版 .doc 请在 Word 中另存为 .docx。类型按文件内容判断，与扩展名无关。"
    ) % {"name": name}
    if len(data) > max_bytes() or not data.startswith(b"PK\x03\x04"):
        raise ReportImportRefused(not_docx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ReportImportRefused(not_docx) from error
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or DOCUMENT_PART not in names:
        raise ReportImportRefused(not_docx)
    _check_sizes(members, name=name)
    try:
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _refuse_declarations(archive, member, name=name)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
        raise ReportImportRefused(not_docx) from error


def _check_sizes(members: list[zipfile.ZipInfo], *, name: str) -> None:
    bomb = _("文件「%(name)s」解压后过大（疑似压缩炸弹），未导入。") % {"name": name}
    if len(members) > MAX_MEMBERS:
        raise ReportImportRefused(bomb)
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise ReportImportRefused(bomb)
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ReportImportRefused(bomb)
        if member.filename.endswith((".xml", ".rels")) and member.file_size > MAX_XML_PART_BYTES:
            raise ReportImportRefused(bomb)


def _refuse_declarations(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, name: str) -> None:
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk  # a marker may straddle two chunks
            if any(marker in window for marker in XML_DECLARATIONS):
                raise ReportImportRefused(
                    _("文件「%(name)s」含有 XML 文档类型或实体声明，出于安全原因未导入。")
                    % {"name": name}
                )
            tail = window[-MARKER_OVERLAP:]


# --- The document's pieces ------------------------------------------------------------------------


def docx_html(data: bytes) -> tuple[str, int]:
    """The document as HTML (headings, paragraphs, lists, tables, bold, italic), and the number
    of images left out (a chapter holds no images; their bytes are never read)."""
    images: list[object] = []

    def leave_out(image: object) -> list[object]:
        images.append(image)
        return []

    result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP, convert_image=leave_out)
    html = str(result.value)
    if len(html) > MAX_HTML_CHARS:
        raise ReportImportRefused(
            _("文档正文过长（超过 %(limit)s 个字符），未导入；请分章节粘贴到编辑器中。")
            % {"limit": f"{MAX_HTML_CHARS:,}"}
        )
    return html, len(images)


def heading_level(element: Element) -> int | None:
    """1 for a chapter's heading, 2 and 3 for the levels inside it, None for text.

    The numbering decides where there is one (reports are numbered more reliably than styled);
    else a Word heading style does; a plain paragraph without numbering is text."""
    text = _text(element)
    if not text:
        return None
    numbered = next((level for level, pattern in NUMBERED if pattern.match(text)), None)
    if element.tag in HEADING_TAGS:
        return numbered or HEADING_TAGS[element.tag]
    inner = text[:-1]
    plain_heading = len(text) <= MAX_HEADING_CHARS and not any(
        end in inner for end in SENTENCE_ENDS
    )
    return numbered if element.tag == "p" and plain_heading else None


def document_pieces(html: str, headings: list[str]) -> list[Piece]:
    """The document cut at its chapter-level headings, each piece matched to a chapter."""
    root = fromstring(f"<body>{html}</body>")
    pieces: list[tuple[str, list[str]]] = [("", [])]
    for element in root:
        level = heading_level(element)
        if level == 1:
            pieces.append((_text(element), []))
        elif level in INNER_HEADING:
            tag = INNER_HEADING[level]
            pieces[-1][1].append(f"<{tag}>{_escape(_text(element))}</{tag}>")
        else:
            pieces[-1][1].append(_markup(element))
    found = []
    for heading, parts in pieces:
        body = sanitise_html("".join(parts))
        if heading or body:
            found.append(Piece(heading, body, match_chapter(heading, headings)))
    return found


def match_chapter(heading: str, headings: list[str]) -> int | None:
    """The order (from 1) of the chapter a heading names: the same words, then the same words
    without numbering, spaces and punctuation, then one holding the other."""
    if not heading:
        return None
    for order, chapter in enumerate(headings, start=1):
        if heading.strip() == chapter.strip():
            return order
    key = normalised(heading)
    keys = [normalised(chapter) for chapter in headings]
    for order, chapter_key in enumerate(keys, start=1):
        if key and key == chapter_key:
            return order
    for order, chapter_key in enumerate(keys, start=1):
        if key and chapter_key and (chapter_key in key or key in chapter_key):
            return order
    return None


def normalised(heading: str) -> str:
    """A heading's words: without its numbering, spaces and punctuation."""
    text = unicodedata.normalize("NFKC", heading).strip()
    text = NUMBERING.sub("", text)
    return "".join(
        char for char in text if not unicodedata.category(char).startswith(("P", "Z", "S", "C"))
    )


def _text(element: Element) -> str:
    return "".join(element.itertext()).strip().replace("\u3000", "")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markup(element: Element) -> str:
    return tostring(element, encoding="unicode", method="html")


# --- The chapters and the save ------------------------------------------------------------------


def report_chapters(*, evaluation: Evaluation) -> list[Chapter]:
    """The evaluation's chapters with what each holds now and its version (for the save)."""
    headings = report_headings(evaluation)
    sections = [
        section_for(evaluation, f"report.{order:02d}") for order in range(1, len(headings) + 1)
    ]
    present = [section for section in sections if section is not None]
    versions = section_versions(evaluation, present)
    texts = dict(ReportSection.objects.filter(evaluation=evaluation).values_list("order", "text"))
    return [
        Chapter(order, heading, section, texts.get(order, ""), versions[section.key])
        for order, (heading, section) in enumerate(zip(headings, sections, strict=True), start=1)
        if section is not None
    ]


def report_import_document(
    *, evaluation: Evaluation, upload: UploadedFile | None
) -> ReportDocument:
    """The pieces of an uploaded report, matched to the evaluation's chapters; raise
    ReportImportRefused for a file that is not a safe .docx. Nothing is saved."""
    html, images = docx_html(checked_docx(upload))
    pieces = document_pieces(html, report_headings(evaluation))
    if len(pieces) > MAX_PIECES:
        raise ReportImportRefused(
            _("文档中有 %(count)d 个一级标题（如「一、」），多于 %(limit)d 个，未导入。")
            % {"count": len(pieces) - 1, "limit": MAX_PIECES - 1}
        )
    return ReportDocument(pieces, images)


def placed_html(piece: Piece, *, order: int) -> str:
    """A piece as it goes into chapter `order`: under its own heading (as h3) unless that heading
    is the chapter's, so that a heading placed elsewhere is not lost."""
    if piece.heading and piece.chapter != order:
        return f"<h3>{_escape(piece.heading)}</h3>{piece.html}"
    return piece.html


def chapter_text(*, current: str, pieces: Iterable[str], append: bool) -> str:
    """What a chapter holds after the import: the pieces, after what it held when appending."""
    added = "".join(pieces)
    if append and current.strip():
        held = current if is_html(current) else markdown_html(current)
        return sanitise_html(held + added)
    return sanitise_html(added)


class ImportConflict(Exception):
    """Someone saved a chapter after the preview was made; nothing was imported."""

    def __init__(self, titles: list[str]) -> None:
        super().__init__(", ".join(titles))
        self.titles = titles


class ImportInvalid(Exception):
    """A chapter refused the imported text; nothing was imported."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@transaction.atomic
def report_import_save(
    *,
    evaluation: Evaluation,
    texts: Mapping[int, str],
    based_on: Mapping[int, int],
    by: AnyUser,
    roles: frozenset[Role],
) -> list[str]:
    """Save each chapter's new text through the one write path, all or none: raise ImportConflict
    when a chapter moved since `based_on`, ImportInvalid when one refuses its text. Returns the
    headings saved."""
    chapters = {chapter.order: chapter for chapter in report_chapters(evaluation=evaluation)}
    saved: list[str] = []
    conflicts: list[str] = []
    invalid: list[str] = []
    for order, text in sorted(texts.items()):
        chapter = chapters[order]
        data = QueryDict(mutable=True)
        data[f"{chapter.section.prefix}-text"] = text
        done = section_submit(
            evaluation=evaluation,
            section=chapter.section,
            data=data,
            based_on=based_on[order],
            by=by,
            roles=roles,
        )
        if done.outcome is Outcome.CONFLICT:
            conflicts.append(chapter.heading)
        elif done.outcome is Outcome.INVALID:
            invalid.extend(
                f"{chapter.heading}：{error}" for error in done.form.errors.get("text", [])
            )
        else:
            saved.append(chapter.heading)
    if conflicts:
        raise ImportConflict(conflicts)
    if invalid:
        raise ImportInvalid(invalid)
    return saved
