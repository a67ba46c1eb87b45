"""Excel: download an evaluation as a workbook (every member), upload it back (fillers, while editable)."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.roles import ALL_ROLES, Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.excel.export import workbook_bytes
from evaluations.excel.layout import CONTENT_TYPE, ExcelRefused
from evaluations.models import Evaluation
from evaluations.services.excel_import import excel_import
from evaluations.tables.registry import tables_for
from evaluations.workflow import EDITABLE_STATES, editable


def _evaluation(pk: int) -> Evaluation:
    return get_object_or_404(Evaluation.objects.select_related("campaign", "department"), pk=pk)


@tenant_view(*ALL_ROLES)
def evaluation_excel(request: TenantRequest, department: str, pk: int) -> FileResponse:
    """The evaluation's tables as an .xlsx attachment."""
    evaluation = _evaluation(pk)
    name = f"{evaluation.department.name}-{evaluation.campaign.fiscal_year}-自评.xlsx"
    return FileResponse(
        io.BytesIO(workbook_bytes(evaluation)),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPE,
    )


@tenant_view(Role.FILLER)
@require_POST
def evaluation_excel_import(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """Save what an uploaded workbook changes, or show every problem (and save nothing)."""
    evaluation = _evaluation(pk)
    if not editable(evaluation, EDITABLE_STATES):
        raise PermissionDenied(_("此自评已提交或已截止，不能再导入 Excel。"))
    upload = request.FILES.get("file")
    try:
        result = excel_import(
            evaluation=evaluation,
            upload=upload,
            by=request.user,
            roles=request.tenant.roles,
        )
    except ExcelRefused as refusal:
        return _result_page(request, evaluation, refused=str(refusal), status=400)
    if result.problems or result.conflicts:
        status = 409 if result.conflicts else 422
        return _result_page(request, evaluation, result=result, status=status)
    if result.saved:
        messages.success(
            request,
            _("已从 Excel 导入，更新了 %(count)d 个栏目：%(titles)s。")
            % {"count": len(result.saved), "titles": "、".join(result.saved)},
            extra_tags="near-excel",
        )
    else:
        messages.info(
            request,
            _("Excel 中的数据与当前数据相同，没有需要更新的栏目。"),
            extra_tags="near-excel",
        )
    return redirect("department:evaluation", department=evaluation.department.slug, pk=pk)


def _result_page(
    request: TenantRequest, evaluation: Evaluation, *, status: int, **context: object
) -> TemplateResponse:
    return TemplateResponse(
        request,
        "evaluations/excel_import_result.html",
        {"evaluation": evaluation, "tables": tables_for(evaluation), **context},
        status=status,
    )
