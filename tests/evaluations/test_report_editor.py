"""自评报告 in the rich-text editor: a chapter's HTML is sanitised on the one write path, legacy
Markdown still renders, and documents print the HTML (a table included)."""

from django.urls import reverse
from django_scopes import scope

from evaluations.models import ReportSection
from evaluations.selectors.evaluations import evaluation_with_parts
from publishing.documents.renderer import evaluation_data, render_document
from tests.conftest import Cast
from tests.evaluations.test_report import HTMX, elements, save_url, table_url
from tests.publishing.pdf import flat_text

PASTED = (
    '<h1 class="MsoTitle">一、单位基本情况</h1>'
    '<p style="color:red;font-family:SimSun" onclick="alert(1)">我局<b>按时</b>完成'
    '<i>全部</i>任务，<a href="https://example.com">详见附件</a>。<img src="x" onerror="alert(2)"></p>'
    "<script>alert(3)</script><style>p { color: red }</style>"
    "<h4>（一）职能职责</h4><ol><li>外贸</li><li>内贸</li></ol>"
    '<table><tbody><tr><td colspan="2" style="width:50%">预算执行率</td></tr>'
    "<tr><td>计划</td><td>97.73%</td></tr></tbody></table>"
)


def chapter(cast: Cast, order: int) -> ReportSection:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        return ReportSection.objects.get(evaluation=cast.evaluation_a, order=order)


def save(cast: Cast, key: str, text: str, based_on: int = 0) -> int:
    prefix = key.replace(".", "-")
    response = cast.client_for("filler_a").post(
        save_url(cast, key), {"based_on": str(based_on), f"{prefix}-text": text}, **HTMX
    )
    return response.status_code


def test_it_stores_pasted_html_without_scripts_handlers_styles_or_links(cast: Cast) -> None:
    assert save(cast, "report.01", PASTED) == 200
    text = chapter(cast, 1).text
    found = elements(text)
    assert "alert" not in text and "<script" not in text and "<style" not in text
    assert all(name in {"colspan", "rowspan"} for _, attrs in found for name, _ in attrs)
    assert "<a" not in text and "<img" not in text and "详见附件" in text


def test_it_keeps_the_allowed_markup_and_folds_headings_onto_h3_h4(cast: Cast) -> None:
    assert save(cast, "report.01", PASTED) == 200
    text = chapter(cast, 1).text
    assert text.startswith("<h3>一、单位基本情况</h3>")
    assert "<strong>按时</strong>" in text and "<em>全部</em>" in text
    assert "<h4>（一）职能职责</h4>" in text and "<ol><li>外贸</li><li>内贸</li></ol>" in text
    assert '<td colspan="2">预算执行率</td>' in text and "<td>97.73%</td>" in text


def test_an_emptied_editor_stores_an_empty_chapter(cast: Cast) -> None:
    assert save(cast, "report.02", "<p>初稿</p>") == 200
    assert save(cast, "report.02", "<p><br></p>", based_on=1) == 200
    assert chapter(cast, 2).text == ""
    body = cast.client_for("filler_a").get(table_url(cast)).content.decode()
    assert "「二、自评工作开展情况」尚未填写" in body


def test_the_preview_after_an_autosave_shows_the_sanitised_html(cast: Cast) -> None:
    prefix = "report-01"
    response = cast.client_for("filler_a").post(
        save_url(cast, "report.01"), {"based_on": "0", f"{prefix}-text": PASTED}, **HTMX
    )
    preview = response.content.decode().split('id="report-01-preview"', 1)[1]
    assert "<strong>按时</strong>" in preview and "<script>" not in preview
    assert "&lt;strong&gt;" not in preview  # HTML is shown as formatting, not as text


def test_legacy_markdown_still_renders_and_opens_in_the_editor_as_html(cast: Cast) -> None:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        ReportSection.objects.create(
            evaluation=cast.evaluation_a, order=3, heading="三、绩效自评情况", text="**按时**报送。"
        )
    body = cast.client_for("filler_a").get(table_url(cast)).content.decode()
    preview = body.split('id="report-03-preview"', 1)[1].split("</div>", 1)[0]
    assert "<strong>按时</strong>报送。" in preview
    textarea = body.split('name="report-03-text"', 1)[1].split("</textarea>", 1)[0]
    assert "&lt;strong&gt;按时&lt;/strong&gt;" in textarea  # the editor receives HTML


def test_the_textarea_is_marked_for_the_editor_and_the_page_loads_it(cast: Cast) -> None:
    body = cast.client_for("filler_a").get(table_url(cast)).content.decode()
    assert "data-report-editor" in body
    assert "vendor/quill/quill.js" in body and "js/report-editor.js" in body
    assert 'data-bold="加粗"' in body and 'data-heading3="标题"' in body


def test_the_report_document_prints_a_chapter_with_its_table(cast: Cast) -> None:
    assert save(cast, "report.03", PASTED) == 200
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        evaluation = evaluation_with_parts(pk=cast.evaluation_a.pk)
        assert evaluation is not None
        with evaluation_data(evaluation, draft=True) as data:
            content = render_document(data, "report").content
    printed = flat_text(content)
    assert "我局按时完成全部任务，详见附件。" in printed
    assert "（一）职能职责" in printed and "外贸" in printed
    assert "预算执行率" in printed and "计划97.73%" in printed
    assert "<td" not in printed and "&lt;" not in printed and "alert" not in printed


def test_a_reviewer_cannot_write_a_chapter(cast: Cast) -> None:
    url = reverse(
        "department:section_save",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "key": "report.01",
        },
    )
    response = cast.client_for("reviewer").post(
        url, {"based_on": "0", "report-01-text": "<p>x</p>"}, **HTMX
    )
    assert response.status_code == 403
