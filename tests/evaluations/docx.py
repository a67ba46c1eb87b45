"""Word documents (.docx) built for the tests: the few parts mammoth reads — the document, its
heading and list styles, its numbering — written with the standard library.

Not python-docx: it brings lxml, and openpyxl reads workbooks with lxml whenever it is installed,
which would change how the Excel import parses what it is sent.
"""

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""
PACKAGE_RELATIONSHIPS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
DOCUMENT_RELATIONSHIPS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>
</w:styles>"""
BULLETS = 1  # the numbering id of the one (bulleted) list kind the documents use
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:num w:numId="{BULLETS}"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""


PICTURE = (
    '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
    'wordprocessingDrawing"><wp:docPr id="1" name="照片"/><a:graphic xmlns:a="http://schemas.'
    'openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.'
    'org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/'
    'drawingml/2006/picture"><pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships" r:embed="rId3"/></pic:blipFill></pic:pic>'
    "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def run(text: str, *, bold: bool = False) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(*runs: str, style: str = "", bullet: bool = False) -> str:
    properties = f'<w:pStyle w:val="{style}"/>' if style else ""
    if bullet:
        properties += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{BULLETS}"/></w:numPr>'
    return f"<w:p><w:pPr>{properties}</w:pPr>{''.join(runs)}</w:p>"


@dataclass
class Docx:
    """A document built paragraph by paragraph, as python-docx would, then saved as bytes."""

    body: list[str] = field(default_factory=list)

    def heading(self, text: str, *, level: int) -> None:
        self.body.append(paragraph(run(text), style="Title" if level == 0 else f"Heading{level}"))

    def text(self, words: str) -> None:
        self.body.append(paragraph(run(words)))

    def runs(self, *runs: str) -> None:
        self.body.append(paragraph(*runs))

    def bullet(self, text: str) -> None:
        self.body.append(paragraph(run(text), style="ListParagraph", bullet=True))

    def picture(self) -> None:
        self.body.append(paragraph(PICTURE))

    def table(self, rows: list[list[str]]) -> None:
        cells = "".join(
            "<w:tr>" + "".join(f"<w:tc>{paragraph(run(cell))}</w:tc>" for cell in row) + "</w:tr>"
            for row in rows
        )
        self.body.append(f"<w:tbl>{cells}</w:tbl>")

    def bytes(self) -> bytes:
        document = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W}"><w:body>{"".join(self.body)}</w:body></w:document>'
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
            archive.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS)
            archive.writestr("word/_rels/document.xml.rels", DOCUMENT_RELATIONSHIPS)
            archive.writestr("word/document.xml", document)
            archive.writestr("word/styles.xml", STYLES)
            archive.writestr("word/numbering.xml", NUMBERING)
            archive.writestr("word/media/image1.png", PNG)
        return buffer.getvalue()
