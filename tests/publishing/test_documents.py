"""The documents of 湛江市商务局 2019 read as a person would: text, fonts, pages, metadata."""

import re

from publishing.documents.renderer import Rendered
from tests.publishing import pdf

A4_PORTRAIT = "595.276 x 841.89 pts (A4)"
A4_LANDSCAPE = "841.89 x 595.276 pts (A4)"


def test_the_report_holds_its_headings_and_figures(demo_documents: dict[str, Rendered]) -> None:
    text = pdf.text(demo_documents["report"].content)
    for heading in ("湛江市商务局 整体绩效自评报告", "一、单位基本情况", "三、绩效自评情况"):
        assert heading in text
    assert "评价年度：2019 年度" in text
    assert "97.73%" in text
    assert "4165.93" in text


def test_the_scoring_sheet_shows_computed_scores_claims_and_flags(
    demo_documents: dict[str, Rendered],
) -> None:
    text = pdf.flat_text(demo_documents["scores"].content)
    assert "湛江市部门整体绩效自评指标评分表（2019年度）" in text
    assert "97.73%" in text  # 整体支出完成率, with its working
    assert "4165.93÷(75.87+4186.81)" in text
    # The engine's flags where the claim differs or cannot be checked.
    assert "※自评4分，按规则计算为3.19分" in text
    assert "缺少数据，自评4分无法核实" in text
    assert "自评加减分11分，按规则为+3分" in text
    # Inputs are named by their label, never by their data-dictionary key.
    assert "上年末存量资金" in text
    assert "stock_funds_prev" not in text


def test_the_funds_table_shows_the_tree_with_its_computed_sums(
    demo_documents: dict[str, Rendered],
) -> None:
    text = pdf.flat_text(demo_documents["funds"].content)
    assert "湛江市商务局整体绩效自评基础数据表（财政资金情况）" in text
    assert "广交会业务工作经费" in text
    assert "2624.44" in text  # 总计 of 财政下达预算情况小计, summed by FundTree
    assert "上报6394.82" in text  # a parent's published figure that differs from its sum


def test_every_font_is_embedded(demo_documents: dict[str, Rendered]) -> None:
    rows = pdf.fonts(demo_documents["package"].content)
    assert rows
    assert all(row[-5] == "yes" for row in rows), rows  # the 「emb」 column


def test_pages_are_a4_portrait_and_wide_tables_landscape(
    demo_documents: dict[str, Rendered],
) -> None:
    assert pdf.info(demo_documents["report"].content)["Page size"] == A4_PORTRAIT
    assert pdf.info(demo_documents["scores"].content)["Page size"] == A4_LANDSCAPE
    assert pdf.info(demo_documents["funds"].content)["Page size"] == A4_LANDSCAPE


def test_documents_carry_their_metadata_and_tags(demo_documents: dict[str, Rendered]) -> None:
    found = pdf.info(demo_documents["report"].content)
    assert found["Title"] == "湛江市商务局 整体绩效自评报告"
    assert found["Author"] == "湛江市商务局"
    assert found["Subject"] == "2020年市级财政资金绩效自评"
    assert "2019" in found["Keywords"]
    assert found["Tagged"] == "yes"
    assert 'pdfuaid:part="1"' in pdf.metadata(demo_documents["report"].content)  # PDF/UA-1


def test_the_package_binds_every_part_with_contents_and_bookmarks(
    demo_documents: dict[str, Rendered],
) -> None:
    package = demo_documents["package"]
    parts = ("report", "scores", "funds")
    assert package.pages > sum(demo_documents[slug].pages for slug in parts)
    contents = pdf.text(package.content, "-f", "1", "-l", "1")
    assert re.search(r"目\s+录", contents)
    # The scoring sheet starts right after the report's pages (and the contents page).
    first_of_scores = demo_documents["report"].pages + 2
    assert any(
        line.split()[-1] == str(first_of_scores)
        for line in contents.splitlines()
        if "评分表" in line
    ), contents
    bookmarks = pdf.outline(package.content)
    assert (2, "湛江市商务局 整体绩效自评报告") in bookmarks
    assert (2, "一、单位基本情况") in bookmarks
    assert (first_of_scores, "湛江市部门整体绩效自评指标评分表（2019 年度）") in bookmarks


def test_published_documents_have_no_draft_watermark(demo_documents: dict[str, Rendered]) -> None:
    assert "草稿" not in pdf.flat_text(demo_documents["report"].content)


def test_a_fillers_line_breaks_stay_line_breaks_in_a_cell(
    demo_documents: dict[str, Rendered],
) -> None:
    # 整体绩效（总）目标 as typed: three tasks on three lines.
    text = pdf.text(demo_documents["package"].content)
    assert re.search(r"^\s*2\. 任务2：外贸进出口实现正增长；$", text, re.MULTILINE), text
    assert re.search(r"^\s*3\. 任务3：实际利用外资增长3\.5%。$", text, re.MULTILINE), text


def test_cells_break_lines_with_newlines_not_br_elements(demo_package_html: str) -> None:
    # Each <br> is an element, a pseudo-element and a box for WeasyPrint (see print.css).
    assert "<br" not in demo_package_html
    assert "上报 71.59" in demo_package_html  # a funds cell's note, on a line of its own
