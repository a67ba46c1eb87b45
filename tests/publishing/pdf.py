"""Reading rendered PDFs with poppler's tools, as a person checking a document would."""

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MM_PER_POINT = 25.4 / 72
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass(frozen=True)
class Word:
    """A word's box in millimetres from the page's top left corner."""

    left: float
    top: float
    right: float
    bottom: float
    text: str


def _run(tool: str, content: bytes, *args: str) -> str:
    """`tool [args] FILE` (pdftotext writes to "-") over the PDF, its standard output."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        output = ["-"] if tool == "pdftotext" else []
        done = subprocess.run(
            [tool, *args, str(path), *output], capture_output=True, text=True, check=True
        )
    return done.stdout


def text(content: bytes, *args: str) -> str:
    return _run("pdftotext", content, "-layout", *args)


def flat_text(content: bytes) -> str:
    """The text in the order it was laid out, without any space or line break: a phrase wrapped
    inside a narrow table cell reads whole."""
    return re.sub(r"\s+", "", _run("pdftotext", content, "-raw"))


def outline(content: bytes) -> list[tuple[int, str]]:
    """The PDF's bookmarks (page, title), in order, nested ones included."""
    xml = _run("pdftohtml", content, "-xml", "-stdout", "-i", "-q")
    return [
        (int(page), title) for page, title in re.findall(r'<item page="(\d+)">(.*?)</item>', xml)
    ]


def metadata(content: bytes) -> str:
    """The document's XMP metadata."""
    return _run("pdfinfo", content, "-meta")


def info(content: bytes) -> dict[str, str]:
    found = {}
    for line in _run("pdfinfo", content).splitlines():
        key, _, value = line.partition(":")
        found[key.strip()] = value.strip()
    return found


def fonts(content: bytes) -> list[list[str]]:
    """pdffonts' rows, split into columns (name, type, encoding, emb, sub, uni, …)."""
    return [line.split() for line in _run("pdffonts", content).splitlines()[2:]]


def words(content: bytes, page: int) -> list[Word]:
    found = []
    page_only = ("-f", str(page), "-l", str(page))
    for match in _WORD.finditer(_run("pdftotext", content, "-bbox", *page_only)):
        left, top, right, bottom = (float(match[i]) * MM_PER_POINT for i in range(1, 5))
        found.append(Word(left, top, right, bottom, match[5]))
    return found


def flat_text_of_page(content: bytes, page: int) -> str:
    """One page's text as `flat_text` reads it (in the order it was drawn, without spaces)."""
    return re.sub(r"\s+", "", _run("pdftotext", content, "-raw", "-f", str(page), "-l", str(page)))


def page_images(content: bytes, resolution: int = 50) -> list[bytes]:
    """Each page as an image at `resolution` dpi (pdftoppm), to compare two renderings' pixels.

    Uncompressed (PPM, which Pillow reads): pdftoppm's PNG compression takes seven times as long
    as the rendering itself (24 pages at 150 dpi: 7.2 s against 1.0 s)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        subprocess.run(
            ["pdftoppm", "-r", str(resolution), str(path), str(Path(folder) / "page")],
            check=True,
        )
        return [page.read_bytes() for page in sorted(Path(folder).glob("page-*.ppm"))]
