"""佐证材料: upload and delete (fillers, while editable), download (anyone who sees the evaluation).

Files are streamed from the storage as attachments under their original names, never from
MEDIA_URL, so the tenant middleware guards every download.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.roles import ALL_ROLES, Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.models import Evaluation, Evidence
from evaluations.services.evidence import EvidenceRefused, evidence_delete, evidence_upload
from evaluations.tables.registry import Section, section_for
from evaluations.workflow import EDITABLE_STATES, editable


def _evaluation(pk: int) -> Evaluation:
    return get_object_or_404(Evaluation.objects.select_related("campaign", "department"), pk=pk)


def _back_to(evaluation: Evaluation, section: Section | None) -> HttpResponse:
    if section is None:
        url = reverse(
            "department:evaluation",
            kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
        )
        return redirect(url)
    url = reverse(
        "department:evaluation_table",
        kwargs={
            "department": evaluation.department.slug,
            "pk": evaluation.pk,
            "table": section.table,
        },
    )
    return redirect(f"{url}#{section.prefix}-evidence")


def _near(section: Section | None) -> str:
    """The message's tag that shows it beside the section's evidence, where the page lands."""
    return f"near-{section.prefix}-evidence" if section else ""


def _editable(evaluation: Evaluation) -> None:
    if not editable(evaluation, EDITABLE_STATES):
        raise PermissionDenied(_("此自评已提交或已截止，不能修改佐证材料。"))


@tenant_view(Role.FILLER)
@require_POST
def evidence_upload_view(
    request: TenantRequest, department: str, pk: int, key: str
) -> HttpResponse:
    """Attach a file to a section (and optionally an indicator row), checked by its content."""
    evaluation = _evaluation(pk)
    section = section_for(evaluation, key)
    if section is None:
        raise Http404
    _editable(evaluation)
    try:
        evidence = evidence_upload(
            evaluation=evaluation,
            section_key=section.key,
            row_label=request.POST.get("row_label", ""),
            upload=request.FILES.get("file"),
            by=request.user,
        )
    except EvidenceRefused as refusal:
        messages.error(request, str(refusal), extra_tags=_near(section))
    else:
        uploaded = _("已上传佐证材料「%(name)s」。") % {"name": evidence.original_name}
        messages.success(request, uploaded, extra_tags=_near(section))
    return _back_to(evaluation, section)


@tenant_view(*ALL_ROLES)
def evidence_download(
    request: TenantRequest, department: str, pk: int, evidence: int
) -> HttpResponseBase:
    """The file as an attachment with its original name; another tenant's file is a 404."""
    item = get_object_or_404(Evidence, pk=evidence, evaluation_id=pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@tenant_view(Role.FILLER)
@require_POST
def evidence_delete_view(
    request: TenantRequest, department: str, pk: int, evidence: int
) -> HttpResponse:
    """Only the uploader removes a file, and only while the evaluation is editable."""
    item = get_object_or_404(
        Evidence.objects.select_related("evaluation"), pk=evidence, evaluation_id=pk
    )
    evaluation = _evaluation(pk)
    _editable(evaluation)
    if item.uploaded_by_id != request.user.pk:
        raise PermissionDenied(_("只有上传人可以删除这份佐证材料。"))
    evidence_delete(evidence=item)
    section = section_for(evaluation, item.section_key)
    deleted = _("已删除佐证材料「%(name)s」。") % {"name": item.original_name}
    messages.success(request, deleted, extra_tags=_near(section))
    return _back_to(evaluation, section)
