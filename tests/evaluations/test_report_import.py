"""自评报告 from Word: a .docx in the seeds' heading style (一、 （一） 1.) goes into the right
chapters; what matches no chapter waits for the officer; a file that is not a .docx, or a zip
bomb, is refused; nothing is saved until the officer confirms, and then all chapters or none."""

import io
import random
import re
import zipfile
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluations.demo.figures.report_texts import (
    JIANGMEN_2022,
    YUEYANG_2023,
    ZHANJIANG_2017,
    ZHANJIANG_2019,
)
from evaluations.models import Evaluation, ReportSection, ReportTemplate
from evaluations.services.report_import import match_chapter
from tests.conftest import Cast
from tests.evaluations.docx import Docx, run
from tests.evaluations.test_report import HTMX, save_url

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def seed_style_report() -> bytes:
    """A report as departments write it: a title, chapters 「一、」 (a Word heading style or a
    plain paragraph), 「（一）」 and 「1.」 inside, a list, a table, and one unknown chapter."""
    document = Docx()
    document.heading("甲市商务局2019年度部门整体支出绩效自评报告", level=0)
    document.heading("一、单位基本情况", level=1)
    document.text("（一）职能职责")
    document.text("1.主要职能")
    document.text("贯彻执行国家国内外贸易的发展战略、政策。")
    document.runs(run("我局"), run("按时", bold=True), run("完成年度任务。"))
    document.text("二、自评工作开展情况")  # numbered like a heading, in the body style
    document.bullet("成立自评工作小组")
    document.bullet("逐项核对资金")
    document.table([["指标", "完成值"], ["预算执行率", "97.73%"]])
    document.text("五、廉政建设情况")
    document.text("全年未发生违规违纪问题。")
    document.heading("三、绩效自评情况", level=2)
    document.text("整体支出完成率 97.73%。")
    return document.bytes()


def zip_bomb() -> bytes:
    """A zip shaped like a .docx whose document part inflates a thousandfold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * (30 * 1024 * 1024))
    return buffer.getvalue()


def urls(cast: Cast) -> tuple[str, str]:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk}
    return (
        reverse("department:report_import", kwargs=kwargs),
        reverse("department:report_import_confirm", kwargs=kwargs),
    )


def upload(client: Client, cast: Cast, content: bytes, name: str = "自评报告.docx") -> Any:
    return client.post(urls(cast)[0], {"file": SimpleUploadedFile(name, content)})


def chapters(cast: Cast) -> dict[int, str]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        rows = ReportSection.objects.filter(evaluation=cast.evaluation_a)
        return {row.order: row.text for row in rows}


def posted_plan(body: str) -> dict[str, str]:
    """What the preview page's form posts as shown: hidden fields, selected options, radios."""
    data: dict[str, str] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?', body
    ):
        data[name] = _unescape(value)
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        data[name] = selected[1] if selected else ""
    for name, value in re.findall(
        r'<input type="radio" name="([^"]+)" value="([^"]+)"[^>]*checked', body
    ):
        data[name] = value
    return data


def _unescape(value: str) -> str:
    for escaped, char in (
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&#x27;", "'"),
        ("&amp;", "&"),
    ):
        value = value.replace(escaped, char)
    return value


def piece_index(data: dict[str, str], heading: str) -> int:
    return next(
        int(name.split("-")[1])
        for name, value in data.items()
        if name.endswith("-heading") and value == heading
    )


def test_the_preview_puts_each_chapter_in_place_and_shows_the_unknown_one(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    response = upload(client, cast, seed_style_report())
    assert response.status_code == 200
    body = response.content.decode()
    data = posted_plan(body)
    assert data[f"piece-{piece_index(data, '一、单位基本情况')}-target"] == "1"
    assert data[f"piece-{piece_index(data, '二、自评工作开展情况')}-target"] == "2"
    assert data[f"piece-{piece_index(data, '三、绩效自评情况')}-target"] == "3"
    assert data[f"piece-{piece_index(data, '五、廉政建设情况')}-target"] == ""
    assert data[f"piece-{piece_index(data, '')}-target"] == ""  # the title, before any heading
    assert "全年未发生违规违纪问题。" in body and "未对应到章节" in body
    assert "有 2 部分未能对应到章节" in body
    assert chapters(cast) == {}  # a preview saves nothing


def test_confirming_fills_the_chapters_with_their_sub_headings_lists_and_tables(
    cast: Cast,
) -> None:
    client = cast.client_for("filler_a")
    data = posted_plan(upload(client, cast, seed_style_report()).content.decode())
    data[f"piece-{piece_index(data, '五、廉政建设情况')}-target"] = "4"
    data[f"piece-{piece_index(data, '')}-target"] = "omit"
    response = client.post(urls(cast)[1], {**data, "confirm": "1"})
    assert response.status_code == 302
    saved = chapters(cast)
    assert saved[1] == (
        "<h3>（一）职能职责</h3><h4>1.主要职能</h4><p>贯彻执行国家国内外贸易的发展战略、政策。</p>"
        "<p>我局<strong>按时</strong>完成年度任务。</p>"
    )
    assert "<ul><li>成立自评工作小组</li><li>逐项核对资金</li></ul>" in saved[2]
    assert "<td><p>预算执行率</p></td><td><p>97.73%</p></td>" in saved[2]
    assert saved[3] == "<p>整体支出完成率 97.73%。</p>"
    assert (
        saved[4] == "<h3>五、廉政建设情况</h3><p>全年未发生违规违纪问题。</p>"
    )  # its heading kept
    assert "自评报告" not in "".join(saved.values())  # the title was left out, as chosen
    page = client.get(response["Location"]).content.decode()
    assert "已从 Word 文档导入 4 章" in page


def test_nothing_is_saved_until_every_unknown_piece_has_a_place(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    data = posted_plan(upload(client, cast, seed_style_report()).content.decode())
    response = client.post(urls(cast)[1], {**data, "confirm": "1"})
    assert response.status_code == 422
    assert "请选择放入哪一章，或选择「不导入」。" in response.content.decode()
    assert chapters(cast) == {}


def test_appending_keeps_what_the_chapter_held(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    client.post(
        save_url(cast, "report.03"), {"based_on": "0", "report-03-text": "**已有**内容"}, **HTMX
    )
    data = posted_plan(upload(client, cast, seed_style_report()).content.decode())
    assert data["chapter-3-mode"] == "append"
    assert data["chapter-1-mode"] == "replace"
    for index in range(int(data["pieces"])):
        data[f"piece-{index}-target"] = data[f"piece-{index}-target"] or "omit"
    assert client.post(urls(cast)[1], {**data, "confirm": "1"}).status_code == 302
    assert chapters(cast)[3] == "<p><strong>已有</strong>内容</p><p>整体支出完成率 97.73%。</p>"


def test_a_chapter_saved_meanwhile_refuses_the_whole_import(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    data = posted_plan(upload(client, cast, seed_style_report()).content.decode())
    for index in range(int(data["pieces"])):
        data[f"piece-{index}-target"] = data[f"piece-{index}-target"] or "omit"
    client.post(
        save_url(cast, "report.03"), {"based_on": "0", "report-03-text": "他人所写"}, **HTMX
    )
    response = client.post(urls(cast)[1], {**data, "confirm": "1"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "以下各章已被他人修改：三、绩效自评情况" in body
    assert chapters(cast) == {3: "他人所写"}  # chapters 1, 2 and 4 were not written either
    again = posted_plan(body)
    assert again["chapter-3-based_on"] == "1"  # the preview now stands on the current version


def test_a_png_named_docx_is_refused_and_nothing_saved(cast: Cast) -> None:
    response = upload(cast.client_for("filler_a"), cast, PNG, name="报告.docx")
    assert response.status_code == 400
    assert "文件「报告.docx」不是 Word 文档（.docx），未导入。" in response.content.decode()
    assert chapters(cast) == {}


def test_a_zip_bomb_is_refused_and_nothing_saved(cast: Cast) -> None:
    response = upload(cast.client_for("filler_a"), cast, zip_bomb())
    assert response.status_code == 400
    assert "解压后过大（疑似压缩炸弹），未导入。" in response.content.decode()
    assert chapters(cast) == {}


def test_an_xlsx_is_not_a_report(cast: Cast) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    response = upload(cast.client_for("filler_a"), cast, buffer.getvalue())
    assert response.status_code == 400
    assert "不是 Word 文档" in response.content.decode()


def test_the_import_form_is_offered_to_the_filler_of_an_editable_evaluation_only(
    cast: Cast,
) -> None:
    table = reverse(
        "department:evaluation_table",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "table": "report",
        },
    )
    assert "导入 Word 文档" in cast.client_for("filler_a").get(table).content.decode()
    assert "导入 Word 文档" not in cast.client_for("head_a").get(table).content.decode()
    with scopes_disabled():
        Evaluation.objects.filter(pk=cast.evaluation_a.pk).update(state=Evaluation.State.SUBMITTED)
    assert "导入 Word 文档" not in cast.client_for("filler_a").get(table).content.decode()
    response = upload(cast.client_for("filler_a"), cast, seed_style_report())
    assert response.status_code == 403


HUNAN = [
    "一、部门（单位）基本情况",
    "二、一般公共预算支出情况",
    "六、部门整体支出绩效情况",
]


def test_headings_match_chapters_exactly_then_without_numbering_then_by_containment() -> None:
    assert match_chapter("二、一般公共预算支出情况", HUNAN) == 2
    assert match_chapter("一 、部门(单位)基本情况", HUNAN) == 1  # spaces, half-width brackets
    assert match_chapter("第二部分 一般公共预算支出情况", HUNAN) == 2  # other numbering
    assert (
        match_chapter("（六）2023年度部门整体支出绩效情况", HUNAN) == 3
    )  # holds the chapter's words
    assert match_chapter("七、存在的问题及原因分析", HUNAN) is None
    assert match_chapter("", HUNAN) is None


def test_a_word_heading_style_cuts_the_document_however_long_the_heading(cast: Cast) -> None:
    document = Docx()
    document.heading(
        "二、自评工作开展情况：成立工作小组，逐项核对资金、指标和佐证材料并形成报告", level=1
    )
    document.text("按时报送。")
    document.picture()
    body = upload(cast.client_for("filler_a"), cast, document.bytes()).content.decode()
    data = posted_plan(body)
    assert data["pieces"] == "1"
    assert data["piece-0-target"] == "2"
    assert "文档中的 1 张图片不会导入" in body


def seed_as_word(chapters: tuple[tuple[str, str], ...], *, indent: str) -> bytes:
    """A seed's report (the demo's text of it) as its department would have it in Word: each
    heading and paragraph a plain paragraph, indented as the seed is; tables left out."""
    document = Docx()
    for heading, text in chapters:
        document.text(indent + heading)
        for block in text.split("\n\n"):
            words = block.strip().lstrip("#").strip()
            if words and not words.startswith("|"):
                document.text(indent + words)
    return document.bytes()


@pytest.mark.parametrize(
    ("report", "indent", "opening"),
    [
        (ZHANJIANG_2017, "", "<h3>（一）单位情况。</h3>"),
        (
            ZHANJIANG_2019,
            "",
            "<h3>(一) 单位机构设置、部门职能情况。</h3><h4>1. 机构设置和职能</h4>",
        ),
        (YUEYANG_2023, "\u3000\u3000", "<h3>（一）职能职责</h3>"),
        (JIANGMEN_2022, "", "<p>"),
    ],
    ids=["湛江2017", "湛江2019", "岳阳2023", "江门2022"],
)
def test_a_seed_report_in_word_goes_into_its_chapters_in_order(
    cast: Cast, report: tuple[tuple[str, str], ...], indent: str, opening: str
) -> None:
    cast.campaign.report_template = ReportTemplate.objects.create(
        name="种子报告", headings=[heading for heading, _ in report]
    )
    cast.campaign.save()
    client = cast.client_for("filler_a")
    data = posted_plan(upload(client, cast, seed_as_word(report, indent=indent)).content.decode())
    targets = [data[f"piece-{index}-target"] for index in range(int(data["pieces"]))]
    assert targets == [str(order) for order in range(1, len(report) + 1)]
    assert client.post(urls(cast)[1], {**data, "confirm": "1"}).status_code == 302
    saved = chapters(cast)
    assert sorted(saved) == list(range(1, len(report) + 1))
    assert saved[1].startswith(opening)


def prose(length: int) -> str:
    """Text that compresses as prose does (repeating one character would look like a zip bomb)."""
    chosen = random.Random(length)  # noqa: S311 -- test text, not a secret
    return "".join(chr(chosen.randrange(0x4E00, 0x9FA5)) for _ in range(length))


def test_the_longest_report_accepted_passes_through_the_preview_and_back(cast: Cast) -> None:
    document = Docx()
    document.heading("一、单位基本情况", level=1)
    for _ in range(48):
        document.text(prose(5_000))  # 240,000 characters in all, just under the limit
    client = cast.client_for("filler_a")
    response = upload(client, cast, document.bytes())
    assert response.status_code == 200
    data = posted_plan(response.content.decode())
    assert client.post(urls(cast)[1], {**data, "confirm": "1"}).status_code == 302
    text = chapters(cast)[1]
    assert len(text) > 240_000
    # The chapter can still be autosaved from the editor (URL-encoded, as htmx posts it).
    response = client.post(
        save_url(cast, "report.01"),
        urlencode({"based_on": "1", "report-01-text": text}),
        content_type="application/x-www-form-urlencoded",
        **HTMX,
    )
    assert response.status_code == 200


def test_a_longer_report_is_refused_with_the_reason(cast: Cast) -> None:
    document = Docx()
    document.heading("一、单位基本情况", level=1)
    for _ in range(52):
        document.text(prose(5_000))
    response = upload(cast.client_for("filler_a"), cast, document.bytes())
    assert response.status_code == 400
    assert "文档正文过长（超过 250,000 个字符），未导入" in response.content.decode()
    assert chapters(cast) == {}
