"""The official documents: one per official table of an evaluation, and the package of them all.

A document's slug is the slug of the table it prints (evaluations.tables.registry), so an
evaluation offers exactly the documents of the tables it fills, and 「package」 binds them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluations.models import Evaluation
from evaluations.tables.registry import tables_for
from publishing.documents.data import DocumentData

PACKAGE = "package"


@dataclass(frozen=True)
class Document:
    """One official document: its template under templates/pdf/ and when it has anything to print."""

    slug: str
    title: str | Promise  # translated when shown, in the language of the request
    template: str
    landscape: bool = False
    has_content: Callable[[DocumentData], bool] = lambda data: True

    def title_for(self, data: DocumentData) -> str:
        return data.report_title if self.slug == "report" else str(self.title)


def _document(
    slug: str,
    title: str | Promise,
    *,
    landscape: bool = False,
    has_content: Callable[[DocumentData], bool] = lambda data: True,
) -> Document:
    template = f"pdf/{slug.replace('-', '_')}.html"
    return Document(slug, title, template, landscape=landscape, has_content=has_content)


# In the order a package binds them: the report, the scoring sheet, then the tables.
DOCUMENTS: dict[str, Document] = {
    document.slug: document
    for document in (
        _document("report", _("自评报告")),
        _document("scores", _("评分表"), landscape=True, has_content=lambda d: d.sheet is not None),
        _document("basic", _("整体绩效自评基础数据表（基本情况）")),
        _document(
            "funds",
            _("整体绩效自评基础数据表（财政资金情况）"),
            landscape=True,
            has_content=lambda d: bool(d.fund_rows),
        ),
        _document("assets", _("固定资产情况表"), has_content=lambda d: bool(d.asset_rows)),
        _document(
            "targets",
            _("绩效目标申报情况汇总表"),
            landscape=True,
            has_content=lambda d: bool(d.target_declarations),
        ),
        _document("hunan-basic", _("部门整体支出绩效评价基础数据表")),
        _document("hunan-overall", _("部门整体支出绩效自评表")),
        _document(
            "projects", _("项目支出绩效自评表"), has_content=lambda d: bool(d.project_sheets)
        ),
    )
}


def is_draft(evaluation: Evaluation) -> bool:
    """Every document of an evaluation not yet published is a draft, and says so on each page."""
    return evaluation.state != Evaluation.State.PUBLISHED


def documents_for(evaluation: Evaluation) -> list[Document]:
    """The documents of the tables the evaluation fills (each can be previewed, even empty)."""
    slugs = {table.slug for table in tables_for(evaluation)}
    return [document for slug, document in DOCUMENTS.items() if slug in slugs]


def published_documents(data: DocumentData) -> list[Document]:
    """The documents a command or a package writes: those with content, in package order."""
    return [document for document in documents_for(data.evaluation) if document.has_content(data)]


def package_parts(data: DocumentData) -> list[Document]:
    """The package binds every published document once: tables the report carries as annexes
    (seed 000) are not repeated after it."""
    annexed = set(data.report_annexes)
    return [document for document in published_documents(data) if document.slug not in annexed]
