"""The narrative report (自评报告): its chapter headings and its text rendered to safe HTML.

A chapter holds HTML written in the rich-text editor (or imported from Word), sanitised by nh3
against an allow-list when it is saved and again when it is shown. Chapters written before the
editor hold Markdown (their text does not start with "<"): markdown-it-py renders it with raw HTML
disabled and nh3 sanitises the result, so nothing a user types reaches the page as markup.
"""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from evaluations.models import Campaign, Evaluation

ALLOWED_TAGS = frozenset(
    {
        "p",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "h3",
        "h4",
        "br",
        "blockquote",
    }
)
ALLOWED_ATTRIBUTES = {"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}

# Headings of the report when the campaign names no template: the seeds' structures.
DEFAULT_HEADINGS: dict[str, tuple[str, ...]] = {
    Campaign.TableSet.GUANGDONG_OVERALL: (
        "一、单位基本情况",
        "二、自评工作开展情况",
        "三、绩效自评情况",
        "四、其他自评情况",
    ),
    Campaign.TableSet.HUNAN_OVERALL: (
        "一、部门（单位）基本情况",
        "二、一般公共预算支出情况",
        "三、政府性基金预算支出情况",
        "四、国有资本经营预算支出情况",
        "五、社会保险基金预算支出情况",
        "六、部门整体支出绩效情况",
        "七、存在的问题及原因分析",
        "八、下一步改进措施",
        "九、部门整体支出绩效自评结果拟应用和公开情况",
    ),
    Campaign.TableSet.PROJECT_ONLY: (
        "一、项目概况",
        "二、项目组织实施情况",
        "三、项目绩效情况",
        "四、项目主要做法和经验",
        "五、存在问题及建议",
        "六、项目自评结论及得分",
    ),
}

# Headings are HTML h3/h4 inside a chapter; "#" and "##" are folded onto them.
_HEADING_LEVELS = {"h1": "h3", "h2": "h3", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}

_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")

# Tags that Word, browsers and the editor write for what the allow-list keeps under another name.
_RENAMED = {"h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4", "b": "strong", "i": "em"}
_RENAMED_TAG = re.compile(r"<(/?)(h1|h2|h5|h6|b|i)(?=[\s/>])", re.IGNORECASE)
_TEXT_OR_TABLE = re.compile(r"<table|>[^<]*[^\s<]|^[^<]*[^\s<]", re.IGNORECASE)


def report_headings(evaluation: Evaluation) -> list[str]:
    """The chapters of the evaluation's report: its campaign's template, else the default."""
    template = evaluation.campaign.report_template
    if template is not None and template.headings:
        return [str(heading) for heading in template.headings]
    return list(DEFAULT_HEADINGS.get(evaluation.campaign.table_set, ()))


def is_html(text: str) -> bool:
    """Whether a chapter holds HTML (the editor's, an import's) rather than legacy Markdown."""
    return (text or "").lstrip().startswith("<")


def sanitise_html(html: str) -> str:
    """HTML limited to the allow-list: scripts, styles, event handlers, links and images never
    survive; headings fold onto h3/h4. A text with no words and no table comes out empty."""
    renamed = _RENAMED_TAG.sub(lambda m: f"<{m[1]}{_RENAMED[m[2].lower()]}", html or "")
    clean = nh3.clean(
        renamed,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(),
        link_rel=None,
    ).strip()
    return clean if _TEXT_OR_TABLE.search(clean.replace("&nbsp;", " ")) else ""


def markdown_html(text: str) -> str:
    """Markdown → HTML limited to the allow-list, as text (for the editor to open)."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = _HEADING_LEVELS[token.tag]
    return sanitise_html(_markdown.renderer.render(tokens, _markdown.options, {}))


def render_markdown(text: str) -> SafeString:
    """Markdown → HTML limited to the allow-list; links, images and raw HTML never survive."""
    return mark_safe(markdown_html(text))  # noqa: S308 -- sanitised against the allow-list


def render_chapter(text: str) -> SafeString:
    """A chapter as safe HTML: its HTML sanitised again (the allow-list may have narrowed since it
    was saved), or its legacy Markdown rendered."""
    if is_html(text):
        return mark_safe(sanitise_html(text))  # noqa: S308 -- sanitised against the allow-list
    return render_markdown(text)
