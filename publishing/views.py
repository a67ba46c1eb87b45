from django.http import Http404, HttpResponse

from departments.roles import ALL_ROLES
from departments.tenancy import TenantRequest, tenant_view
from evaluations.views.common import evaluation_or_404
from publishing.documents.catalogue import is_draft
from publishing.documents.renderer import UnknownDocument, generate


@tenant_view(*ALL_ROLES)
def document_preview(
    request: TenantRequest, department: str, pk: int, document: str
) -> HttpResponse:
    """预览 PDF: any document of the evaluation, in any state, marked 草稿 until published; the
    file is rendered for this response only, never stored."""
    evaluation = evaluation_or_404(pk)
    try:
        filename, mimetype, content = generate(evaluation, document, draft=is_draft(evaluation))
    except UnknownDocument as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
