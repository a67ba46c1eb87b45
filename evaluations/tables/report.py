"""自评报告: one autosave section per chapter heading of the campaign's report template.

Headings vary by campaign, so the chapters are numbered slots ("report.01" …) that apply when the
evaluation's template has that many headings and take the heading as their title. A chapter is
written in the rich-text editor (static/js/report-editor.js over the textarea) and stored as HTML
sanitised here, on the one write path; a chapter written before the editor holds Markdown.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from evaluations.models import Evaluation, ReportSection
from evaluations.models.parts import rows_of
from evaluations.tables.narrative import (
    is_html,
    markdown_html,
    report_headings,
    sanitise_html,
)
from evaluations.tables.registry import Section, Table, register, register_table

MAX_CHAPTERS = 15

TABLE = register_table(
    Table("report", str(_("自评报告")), template="evaluations/report_import_form.html")
)


class ChapterForm(forms.ModelForm):
    """A chapter's text: HTML from the editor, sanitised before it is stored; without JavaScript
    the textarea takes Markdown, as before the editor."""

    class Meta:
        model = ReportSection
        fields = ["text"]
        widgets = {
            "text": forms.Textarea(
                attrs={"rows": 14, "class": "report-text", "data-report-editor": ""}
            )
        }
        help_texts = {
            "text": _("可直接从 Word 粘贴：保留段落、标题、列表和表格，不保留字体、颜色等格式。")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The editor shows HTML: a legacy Markdown chapter opens as its rendering, and becomes
        # HTML when it is next saved.
        text = self.instance.text
        if text.strip() and not is_html(text):
            self.initial["text"] = markdown_html(text)

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        return sanitise_html(text) if is_html(text) else text


def _heading(evaluation: Evaluation, order: int) -> str:
    headings = report_headings(evaluation)
    return headings[order - 1] if order <= len(headings) else ""


def _chapter(order: int) -> Section:
    def build_form(
        evaluation: Evaluation, data: QueryDict | None = None, files: Any = None, *, prefix: str
    ) -> ChapterForm:
        row = ReportSection.objects.filter(evaluation=evaluation, order=order).first()
        row = row or ReportSection(evaluation=evaluation, order=order)
        row.heading = _heading(evaluation, order)  # saved with the text: the heading it answers
        return ChapterForm(data, files, instance=row, prefix=prefix)

    def values(evaluation: Evaluation) -> Mapping[str, Any]:
        row = next(iter(rows_of(evaluation, ReportSection, order=order)), None)
        filled = bool(row and row.text.strip())
        row_dict = {
            "label": _heading(evaluation, order),
            "anchor": "text",
            "filled": Decimal(filled),
        }
        return {f"report_{order:02d}": [row_dict]}

    return Section(
        key=f"report.{order:02d}",
        title=str(_("第 %(n)d 部分")) % {"n": order},
        table=TABLE.slug,
        build_form=build_form,
        save=lambda evaluation, form: form.save(),
        values=values,
        inputs=lambda evaluation: {},
        template="evaluations/sections/_report.html",
        live_template="evaluations/sections/_report_preview.html",
        applies_to=lambda evaluation: order <= len(report_headings(evaluation)),
        title_for=lambda evaluation: _heading(evaluation, order),
    )


CHAPTERS = [register(_chapter(order)) for order in range(1, MAX_CHAPTERS + 1)]
