"""The 评分表 runs over several landscape pages: every page names, on that page, the indicators
its rows stand under (a heading cell spanning a group is printed only where the group begins)."""

import re

from publishing.documents.renderer import Rendered
from tests.publishing import pdf

WEIGHT = r"(?:[\d.]+分)?"  # 「8.00 分」 under the first heading of a group


def test_every_page_names_the_first_level_indicator_of_each_of_its_rows(
    demo_documents: dict[str, Rendered], demo_score_heads: list[list[str]]
) -> None:
    content = demo_documents["scores"].content
    pages = demo_documents["scores"].pages
    assert pages > 1  # otherwise there is nothing to continue
    texts = [pdf.flat_text_of_page(content, page) for page in range(1, pages + 1)]
    # A row is never split across pages, so a row whose headings are all found together on a
    # page, its 一级 name first, has that name on the page it is printed on.
    for heads in demo_score_heads:
        row = WEIGHT.join(re.escape(re.sub(r"\s+", "", head)) for head in heads)
        found = sum(len(re.findall(row, text)) for text in texts)
        assert found >= demo_score_heads.count(heads), heads
    # And each page after the first opens, under the repeated column headings, with a row's
    # 一级 name rather than a blank cell continued from the page before.
    first_levels = {re.sub(r"\s+", "", heads[0]) for heads in demo_score_heads}
    for page, text in enumerate(texts[1:], start=2):
        body = text.split("核对", 1)[1]
        assert any(body.startswith(name) for name in first_levels), (page, body[:40])
