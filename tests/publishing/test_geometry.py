"""GB/T 9704-2012: A4, margins 37 / 26 / 35 / 28 mm, 22 lines of 28 characters, page numbers
「— n —」 outside the text block on the outer side."""

import pytest

from publishing.documents.renderer import Rendered
from tests.publishing import pdf

TOP, RIGHT, BOTTOM, LEFT = 37.0, 210.0 - 26.0, 297.0 - 35.0, 28.0
TOLERANCE = 0.5  # mm


def body_and_footer(rendered: Rendered, page: int) -> tuple[list[pdf.Word], list[pdf.Word]]:
    words = pdf.words(rendered.content, page)
    return [w for w in words if w.top < BOTTOM], [w for w in words if w.top >= BOTTOM]


def test_a_full_page_of_text_fills_the_text_block_and_no_more(
    demo_documents: dict[str, Rendered],
) -> None:
    body, _ = body_and_footer(demo_documents["report"], 2)
    assert min(w.left for w in body) == pytest.approx(LEFT, abs=TOLERANCE)
    assert max(w.right for w in body) == pytest.approx(RIGHT, abs=TOLERANCE)
    assert TOP <= min(w.top for w in body) <= TOP + 2
    assert BOTTOM - 3 <= max(w.bottom for w in body) <= BOTTOM
    lines = sorted({round(w.top, 1) for w in body})
    assert len(lines) == 22
    assert lines[1] - lines[0] == pytest.approx(225 / 22, abs=0.1)


def test_page_numbers_sit_below_the_block_on_the_outer_side(
    demo_documents: dict[str, Rendered],
) -> None:
    _, even = body_and_footer(demo_documents["report"], 2)
    _, odd = body_and_footer(demo_documents["report"], 3)
    assert [w.text for w in even] == ["—", "2", "—"]
    assert [w.text for w in odd] == ["—", "3", "—"]
    assert even[0].left < LEFT + 10  # left, one character in from the block's edge
    assert odd[-1].right > RIGHT - 10
    assert all(BOTTOM < w.top < BOTTOM + 10 for w in (*even, *odd))


def test_a_line_holds_28_characters(demo_documents: dict[str, Rendered]) -> None:
    lines = pdf.text(demo_documents["report"].content, "-f", "3", "-l", "3").splitlines()
    # Lines of Chinese text and full-width punctuation only (half-width digits are narrower).
    chinese = [line.strip() for line in lines if line.strip() and min(line.strip()) >= "\u3000"]
    assert max(len(line) for line in chinese) == 28
