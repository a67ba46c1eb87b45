"""自评报告 from Word: upload a .docx, see where each piece goes, place what matched no chapter,
and confirm (fillers, while the evaluation is editable)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from departments.roles import Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.models import Evaluation
from evaluations.services.report_import import (
    LEAVE_OUT,
    MAX_PIECES,
    Chapter,
    ImportConflict,
    ImportInvalid,
    Piece,
    ReportImportRefused,
    chapter_text,
    match_chapter,
    placed_html,
    report_chapters,
    report_import_document,
    report_import_save,
)
from evaluations.tables.narrative import render_chapter, sanitise_html
from evaluations.tables.registry import tables_for
from evaluations.views.common import evaluation_or_404
from evaluations.workflow import ensure_fillable

REPLACE, APPEND = "replace", "append"


class PlacementForm(forms.Form):
    """Where each piece of the document goes and, per chapter, whether it replaces or follows what
    the chapter holds. The pieces travel in the page (sanitised again when read back)."""

    def __init__(
        self,
        data: Any = None,
        *,
        pieces: list[Piece],
        chapters: list[Chapter],
        images: int = 0,
    ) -> None:
        super().__init__(data)
        targets = [
            ("", gettext_lazy("请选择")),
            *[(str(c.order), c.heading) for c in chapters],
            (LEAVE_OUT, gettext_lazy("不导入")),
        ]
        for index, piece in enumerate(pieces):
            self.fields[f"piece-{index}-heading"] = forms.CharField(
                initial=piece.heading, required=False, widget=forms.HiddenInput
            )
            self.fields[f"piece-{index}-html"] = forms.CharField(
                initial=piece.html, required=False, strip=False, widget=forms.HiddenInput
            )
            self.fields[f"piece-{index}-target"] = forms.ChoiceField(
                label=piece.heading or _("（文档开头，第一个标题之前）"),
                choices=targets,
                initial=str(piece.chapter) if piece.chapter else "",
                error_messages={"required": _("请选择放入哪一章，或选择「不导入」。")},
                # Named by the piece's heading (the preview's <h4>), not only by 「放入哪一章」.
                widget=forms.Select(attrs={"aria-describedby": f"id_piece-{index}-target-title"}),
            )
        for chapter in chapters:
            self.fields[f"chapter-{chapter.order}-mode"] = forms.ChoiceField(
                label=chapter.heading,
                choices=[(REPLACE, _("替换原有内容")), (APPEND, _("接在原有内容之后"))],
                initial=APPEND if chapter.text.strip() else REPLACE,
                required=False,  # shown only for a chapter that receives a piece
                widget=forms.RadioSelect,
            )
            self.fields[f"chapter-{chapter.order}-based_on"] = forms.IntegerField(
                initial=chapter.version, widget=forms.HiddenInput
            )
        self.fields["pieces"] = forms.IntegerField(initial=len(pieces), widget=forms.HiddenInput)
        self.fields["images"] = forms.IntegerField(
            initial=images, required=False, widget=forms.HiddenInput
        )
        self.pieces = pieces
        self.chapters = chapters

    def value(self, name: str) -> Any:
        """The field's cleaned value when valid, else what was posted, else its initial value."""
        if self.is_bound and name in getattr(self, "cleaned_data", {}):
            return self.cleaned_data[name]
        if self.is_bound:
            return self[name].value()
        return self.fields[name].initial

    def placements(self) -> dict[int, list[str]]:
        """Each chapter's pieces (HTML), in document order."""
        placed: dict[int, list[str]] = {}
        for index in range(len(self.pieces)):
            target = str(self.value(f"piece-{index}-target") or "")
            if target.isdigit():
                order = int(target)
                placed.setdefault(order, []).append(placed_html(self.pieces[index], order=order))
        return placed

    def texts(self) -> dict[int, str]:
        """What each chapter that receives a piece will hold."""
        return {
            order: chapter_text(
                current=chapter.text,
                pieces=self.placements().get(order, []),
                append=self.mode(order) == APPEND,
            )
            for order, chapter in ((c.order, c) for c in self.chapters)
            if order in self.placements()
        }

    def mode(self, order: int) -> str:
        name = f"chapter-{order}-mode"
        return str(self.value(name) or self.fields[name].initial)

    def based_on(self) -> dict[int, int]:
        return {c.order: int(self.value(f"chapter-{c.order}-based_on")) for c in self.chapters}


def posted_pieces(data: Any, chapters: list[Chapter]) -> list[Piece]:
    """The pieces as the preview page posts them back, sanitised again."""
    try:
        count = min(int(data.get("pieces", 0)), MAX_PIECES)
    except ValueError:
        count = 0
    headings = [chapter.heading for chapter in chapters]
    pieces = []
    for index in range(count):
        heading = str(data.get(f"piece-{index}-heading", ""))[:200]
        html = sanitise_html(str(data.get(f"piece-{index}-html", "")))
        pieces.append(Piece(heading, html, match_chapter(heading, headings)))
    return pieces


@tenant_view(Role.FILLER)
@require_POST
def report_import(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """Read an uploaded .docx and show where its pieces will go; nothing is saved yet."""
    evaluation = evaluation_or_404(pk)
    ensure_fillable(evaluation, request.tenant.roles)
    try:
        document = report_import_document(evaluation=evaluation, upload=request.FILES.get("file"))
    except ReportImportRefused as refusal:
        return _refused(request, evaluation, str(refusal))
    chapters = report_chapters(evaluation=evaluation)
    form = PlacementForm(pieces=document.pieces, chapters=chapters, images=document.images)
    return _preview(request, evaluation, form)


@tenant_view(Role.FILLER)
@require_POST
def report_import_confirm(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """Update the preview with the officer's choices, or save every chapter (all or none)."""
    evaluation = evaluation_or_404(pk)
    ensure_fillable(evaluation, request.tenant.roles)
    chapters = report_chapters(evaluation=evaluation)
    form = PlacementForm(
        request.POST, pieces=posted_pieces(request.POST, chapters), chapters=chapters
    )
    if not form.pieces:
        return _refused(request, evaluation, _("没有可导入的内容，请重新上传 Word 文档。"))
    if "confirm" not in request.POST:
        return _preview(request, evaluation, form)
    if not form.is_valid():
        return _preview(request, evaluation, form, status=422)
    try:
        saved = report_import_save(
            evaluation=evaluation,
            texts=form.texts(),
            based_on=form.based_on(),
            by=request.user,
            roles=request.tenant.roles,
        )
    except ImportConflict as conflict:
        return _moved(request, evaluation, form, conflict.titles)
    except ImportInvalid as invalid:
        return _preview(request, evaluation, form, status=422, problems=invalid.messages)
    if saved:
        messages.success(
            request,
            _("已从 Word 文档导入 %(count)d 章：%(titles)s。")
            % {"count": len(saved), "titles": "、".join(saved)},
        )
    else:
        messages.info(request, _("没有放入任何一章的内容，未修改报告。"))
    return redirect(
        "department:evaluation_table",
        department=evaluation.department.slug,
        pk=evaluation.pk,
        table="report",
    )


def _moved(
    request: TenantRequest, evaluation: Evaluation, form: PlacementForm, titles: list[str]
) -> HttpResponse:
    """Someone saved chapters meanwhile: show the preview again on what they hold now."""
    chapters = report_chapters(evaluation=evaluation)
    data = request.POST.copy()
    for chapter in chapters:
        data[f"chapter-{chapter.order}-based_on"] = str(chapter.version)
    fresh = PlacementForm(data, pieces=form.pieces, chapters=chapters)
    return _preview(request, evaluation, fresh, status=409, moved=titles)


def _preview(
    request: TenantRequest,
    evaluation: Evaluation,
    form: PlacementForm,
    *,
    status: int = 200,
    **context: Any,
) -> TemplateResponse:
    texts = form.texts()
    rows = [
        {
            "chapter": chapter,
            "mode": form[f"chapter-{chapter.order}-mode"],
            "current": render_chapter(chapter.text),
            "result": render_chapter(texts[chapter.order]) if chapter.order in texts else None,
        }
        for chapter in form.chapters
    ]
    pieces = [
        {
            "piece": piece,
            "target": form[f"piece-{index}-target"],
            "matched": piece.chapter is not None,
            "html": render_chapter(piece.html),
        }
        for index, piece in enumerate(form.pieces)
    ]
    hidden = [field for field in form if field.is_hidden]
    return TemplateResponse(
        request,
        "evaluations/report_import_preview.html",
        {
            "evaluation": evaluation,
            "tables": tables_for(evaluation),
            "form": form,
            "rows": rows,
            "pieces": pieces,
            "images": _count(form.value("images")),
            "unplaced": sum(
                1 for index in range(len(form.pieces)) if not form.value(f"piece-{index}-target")
            ),
            "hidden": hidden,
            **context,
        },
        status=status,
    )


def _count(value: Any) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def _refused(request: TenantRequest, evaluation: Evaluation, message: str) -> TemplateResponse:
    return TemplateResponse(
        request,
        "evaluations/report_import.html",
        {"evaluation": evaluation, "tables": tables_for(evaluation), "refused": message},
        status=400,
    )


department_urls = [
    path("evaluations/<int:pk>/report/import/", report_import, name="report_import"),
    path(
        "evaluations/<int:pk>/report/import/confirm/",
        report_import_confirm,
        name="report_import_confirm",
    ),
]
