"""The report's rich-text editor in a real browser: a Chinese toolbar on a laptop and a phone,
bold text typed and autosaved, and no Content-Security-Policy violation on the way."""

from typing import Any

import pytest
from django.urls import reverse
from django_scopes import scope

from evaluations.models import ReportSection
from tests.conftest import PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1366, 900), (390, 844)]


def report_page(
    browser: Any, live_server: Any, cast: Cast, size: tuple[int, int], user: str = "filler_a"
) -> Any:
    """The report page, logged in (as the filler); every console message and page error kept."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.log("
        "'VIOLATION', e.violatedDirective, e.sourceFile, e.lineNumber, e.columnNumber, e.sample))"
    )
    page = context.new_page()
    page.console = []
    page.on("console", lambda message: page.console.append(message.text))
    page.on("pageerror", lambda error: page.console.append(str(error)))
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", cast.users[user].username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "table": "report"}
    page.goto(f"{live_server.url}{reverse('department:evaluation_table', kwargs=kwargs)}")
    page.wait_for_selector("#report-01 .ql-editor")
    return page


def chapter_text(cast: Cast, order: int) -> str:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        row = ReportSection.objects.filter(evaluation=cast.evaluation_a, order=order).first()
        return row.text if row else ""


@pytest.mark.parametrize("size", SIZES, ids=["1366x900", "390x844"])
def test_the_editor_loads_with_a_chinese_toolbar_that_fits(
    browser: Any, live_server: Any, cast: Cast, size: tuple[int, int]
) -> None:
    page = report_page(browser, live_server, cast, size)
    toolbar = page.locator("#report-01 .ql-toolbar")
    labels = toolbar.locator("button").evaluate_all("els => els.map(e => e.title)")
    assert {"加粗", "倾斜", "编号列表", "项目符号列表", "插入表格（3 行 3 列）"} <= set(labels)
    assert "正文" in toolbar.locator(".ql-header .ql-picker-label").get_attribute("data-label")
    assert page.locator("#id_report-01-text").is_hidden()  # the editor stands in for it
    box = toolbar.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= size[0]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0]
    assert not [line for line in page.console if "Content Security Policy" in line], "\n".join(
        page.console
    )


def test_typing_bold_text_autosaves_without_csp_violations(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    page = report_page(browser, live_server, cast, SIZES[0])
    editor = page.locator("#report-01 .ql-editor")
    editor.click()
    page.keyboard.type("我局按时完成")
    page.click("#report-01 .ql-toolbar button.ql-bold")
    page.keyboard.type("全部任务")
    page.wait_for_selector("#report-01-status:has-text('已自动保存')")
    assert chapter_text(cast, 1) == "<p>我局按时完成<strong>全部任务</strong></p>"
    preview = page.inner_html("#report-01-preview")
    assert "<strong>全部任务</strong>" in preview
    page.reload()
    page.wait_for_selector("#report-01 .ql-editor strong:has-text('全部任务')")
    assert not [line for line in page.console if "Content Security Policy" in line], "\n".join(
        page.console
    )


WORD_CLIPBOARD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"><head><style>p.MsoNormal { color: red }
@list l1:level1 {mso-level-number-format:bullet;}</style></head>
<body lang=ZH-CN><!--StartFragment-->
<h1 style='font-family:黑体;color:#C00000'>一、单位基本情况</h1>
<p class=MsoNormal style='text-indent:2em;font-family:仿宋;font-size:16pt;color:#1F4E79'>我局<b><span
style='font-family:黑体'>按时</span></b>完成年度任务。</p>
<p class=MsoListParagraphCxSpFirst style='margin-left:18pt;text-indent:-18pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>1.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>外贸</p>
<p class=MsoListParagraphCxSpLast style='margin-left:18pt;text-indent:-18pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>2.<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>内贸</p>
<p class=MsoListParagraph style='text-indent:-18pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='font-family:Wingdings;mso-list:Ignore'>l<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span><![endif]>成立小组</p>
<p class=MsoListParagraph style='text-indent:-18pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='font-family:Wingdings;mso-list:Ignore'>l<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span><![endif]>核对<span
style='font-weight:bold'>资金</span></p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse;border:none'>
<tr><td width=200 style='border:solid windowtext 1.0pt;background:yellow'><p class=MsoNormal>预算执行率</p></td>
<td width=200 style='border:solid windowtext 1.0pt'><p class=MsoNormal>97.73%</p></td></tr></table>
<!--EndFragment--></body></html>"""


def test_pasting_from_word_keeps_paragraphs_lists_and_tables_and_drops_styles(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    page = report_page(browser, live_server, cast, SIZES[0])
    page.locator("#report-02 .ql-editor").click()
    page.evaluate(
        """html => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "一、单位基本情况");
            document.querySelector("#report-02 .ql-editor").dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
            );
        }""",
        WORD_CLIPBOARD,
    )
    page.wait_for_selector("#report-02-status:has-text('已自动保存')")
    text = chapter_text(cast, 2)
    assert "<h3>一、单位基本情况</h3>" in text
    assert "<p>我局<strong>按时</strong>完成年度任务。</p>" in text
    assert "<ol><li>外贸</li><li>内贸</li></ol>" in text
    assert "<ul><li>成立小组</li><li>核对<strong>资金</strong></li></ul>" in text
    assert text.endswith("<td>预算执行率</td><td>97.73%</td></tr></tbody></table>")
    assert "style" not in text and "Mso" not in text and "仿宋" not in text
    assert not [line for line in page.console if "Content Security Policy" in line], "\n".join(
        page.console
    )


def test_a_reviewer_reads_the_chapters_formatted_without_a_toolbar(
    browser: Any, live_server: Any, cast: Cast
) -> None:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        ReportSection.objects.create(
            evaluation=cast.evaluation_a,
            order=1,
            heading="一、单位基本情况",
            text="<h3>（一）职能职责</h3><p>我局<strong>按时</strong>完成。</p>",
        )
    page = report_page(browser, live_server, cast, SIZES[1], user="reviewer")
    chapter = page.locator("#report-01 .report-editor.read-only")
    assert chapter.locator(".ql-editor h3").inner_text() == "（一）职能职责"
    assert chapter.locator(".ql-editor strong").inner_text() == "按时"
    assert chapter.locator(".ql-editor").get_attribute("contenteditable") == "false"
    assert page.locator("#report-01 .ql-toolbar").count() == 0
    assert not [line for line in page.console if "Content Security Policy" in line]
