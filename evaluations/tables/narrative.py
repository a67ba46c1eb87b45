"""The narrative report (自评报告): its chapter headings and its Markdown rendered to safe HTML.

Departments write Markdown; it is rendered by markdown-it-py with raw HTML disabled and the result
is sanitised by nh3 against an allow-list, so nothing a user types reaches the page as markup.
"""

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


def report_headings(evaluation: Evaluation) -> list[str]:
    """The chapters of the evaluation's report: its campaign's template, else the default."""
    template = evaluation.campaign.report_template
    if template is not None and template.headings:
        return [str(heading) for heading in template.headings]
    return list(DEFAULT_HEADINGS.get(evaluation.campaign.table_set, ()))


def render_markdown(text: str) -> SafeString:
    """Markdown → HTML limited to the allow-list; links, images and raw HTML never survive."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = _HEADING_LEVELS[token.tag]
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(),
        link_rel=None,
    )
    return mark_safe(clean)  # noqa: S308 -- sanitised by nh3 against the allow-list just above
