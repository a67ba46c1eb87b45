"""自评报告: chapters from the campaign's template, Markdown autosaved and shown sanitised."""

from html.parser import HTMLParser

from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluations.models import Campaign, Evaluation, ReportSection, ReportTemplate
from evaluations.tables.narrative import ALLOWED_TAGS, render_markdown
from tests.conftest import Cast

HTMX = {"HTTP_HX_REQUEST": "true"}

ATTACKS = """
<script>alert("x")</script>

<img src=x onerror=alert(1)>

<a href="javascript:alert(1)">点我</a> [也点我](javascript:alert(2)) [网址](https://example.com)

<div onclick="alert(3)">div</div>

| 指标 | 分值 |
|:--|--:|
| 预算执行率 | 10 |
"""


class Elements(HTMLParser):
    """Every start tag and its attributes, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def test_it_keeps_only_the_allowed_tags_and_no_attribute_but_spans() -> None:
    html = str(render_markdown(ATTACKS))
    found = elements(html)
    assert {tag for tag, _ in found} <= ALLOWED_TAGS
    assert all(name in {"colspan", "rowspan"} for _, attrs in found for name, _ in attrs)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<table>" in html and "<td>预算执行率</td>" in html


def test_it_never_lets_event_handlers_or_javascript_urls_become_markup() -> None:
    html = str(render_markdown(ATTACKS))
    attributes = " ".join(f"{n}={v}" for _, attrs in elements(html) for n, v in attrs)
    assert "onerror" not in attributes and "onclick" not in attributes
    assert "javascript:" not in attributes
    assert "网址</p>" in html  # a link keeps its words and loses its target


def test_it_renders_the_markdown_a_department_writes() -> None:
    html = str(render_markdown("# 一、概况\n\n**重点**工作：\n\n1. 外贸\n2. 内贸\n\n> 引用"))
    assert "<h3>一、概况</h3>" in html
    assert "<strong>重点</strong>" in html
    assert "<ol>" in html and "<li>外贸</li>" in html
    assert "<blockquote>" in html


def table_url(cast: Cast) -> str:
    return reverse(
        "department:evaluation_table",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "table": "report",
        },
    )


def save_url(cast: Cast, key: str) -> str:
    return reverse(
        "department:section_save",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key},
    )


def test_the_chapters_are_the_default_headings_of_the_table_set(cast: Cast) -> None:
    cast.campaign.table_set = Campaign.TableSet.PROJECT_ONLY
    cast.campaign.save()
    body = cast.client_for("filler_a").get(table_url(cast)).content.decode()
    assert "一、项目概况" in body and "六、项目自评结论及得分" in body
    assert 'id="report-06"' in body and 'id="report-07"' not in body


def test_the_chapters_are_the_campaigns_template_headings(cast: Cast) -> None:
    cast.campaign.report_template = ReportTemplate.objects.create(
        name="测试模板", headings=["一、甲", "二、乙"]
    )
    cast.campaign.save()
    body = cast.client_for("filler_a").get(table_url(cast)).content.decode()
    assert "一、甲" in body and "二、乙" in body
    assert 'id="report-02"' in body and 'id="report-03"' not in body


def test_a_chapter_autosaves_with_its_heading_and_previews_sanitised(cast: Cast) -> None:
    response = cast.client_for("filler_a").post(
        save_url(cast, "report.02"),
        {"based_on": "0", "report-02-text": "**按时**报送。<script>alert(1)</script>"},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="report-02-preview" hx-swap-oob="true"' in body
    assert "<strong>按时</strong>" in body and "<script>" not in body
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        chapter = ReportSection.objects.get(evaluation=cast.evaluation_a)
    assert (chapter.order, chapter.heading) == (2, "二、自评工作开展情况")
    assert chapter.text.startswith("**按时**")


def test_a_second_save_on_an_old_version_is_refused(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    data = {"based_on": "0", "report-01-text": "第一稿"}
    assert client.post(save_url(cast, "report.01"), data, **HTMX).status_code == 200
    data["report-01-text"] = "另一稿"
    assert client.post(save_url(cast, "report.01"), data, **HTMX).status_code == 409


def test_every_empty_chapter_is_a_warning_until_written(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    body = client.get(table_url(cast)).content.decode()
    assert "「一、单位基本情况」尚未填写" in body and "「四、其他自评情况」尚未填写" in body
    client.post(save_url(cast, "report.01"), {"based_on": "0", "report-01-text": "概况"}, **HTMX)
    body = client.get(table_url(cast)).content.decode()
    assert "「一、单位基本情况」尚未填写" not in body
    assert "「四、其他自评情况」尚未填写" in body


def test_a_chapter_outside_the_template_cannot_be_saved(cast: Cast) -> None:
    response = cast.client_for("filler_a").post(
        save_url(cast, "report.09"), {"based_on": "0", "report-09-text": "x"}, **HTMX
    )
    assert response.status_code == 404


def test_the_demo_enters_each_seed_report_under_its_own_headings(db: None) -> None:
    call_command("load_demo", publish=False)
    with scopes_disabled():
        evaluations = {
            (e.department.slug, e.campaign.fiscal_year): e
            for e in Evaluation.objects.select_related("campaign__report_template", "department")
        }
        template = evaluations["zhanjiang-commerce", 2019].campaign.report_template
        assert template is not None
        assert template.headings == [
            "一、单位基本情况",
            "二、自评工作开展情况",
            "三、绩效自评情况",
            "四、其他自评情况",
        ]
        chapters = {
            (slug, year, s.order): s.text
            for (slug, year), e in evaluations.items()
            for s in ReportSection.objects.filter(evaluation=e)
        }
    assert "整体支出完成率 97.73%" in chapters["zhanjiang-commerce", 2019, 3]
    assert "| 合计 |   | 18633890 | 18623890 | 99.95% |" in chapters["zhanjiang-commerce", 2017, 5]
    assert "预算控制率96.79%" in chapters["yueyang-commerce", 2023, 6]
    assert chapters["jiangmen-commerce", 2022, 6] == "项目自评结果为优，得分 98 分。\n"
    assert len([key for key in chapters if key[:2] == ("zhanjiang-commerce", 2017)]) == 8


def test_the_demo_keeps_a_template_the_bureau_chose(db: None) -> None:
    call_command("load_demo", publish=False)
    chosen = ReportTemplate.objects.create(name="本局模板", headings=["一、概述"])
    with scopes_disabled():
        Campaign.objects.filter(fiscal_year=2023).update(report_template=chosen)
        ReportSection.objects.filter(evaluation__campaign__fiscal_year=2023).delete()
    call_command("load_demo", publish=False)
    with scopes_disabled():
        assert Campaign.objects.get(fiscal_year=2023).report_template == chosen
        assert not ReportSection.objects.filter(evaluation__campaign__fiscal_year=2023).exists()
