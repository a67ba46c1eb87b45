"""The tenant side of publishing: the evaluation's publication panel and its retry button, the
bureau's bulk publishing of a campaign and its progress. Thin: publishing.services does the work."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.roles import ALL_ROLES, Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.models import Campaign
from evaluations.views.common import evaluation_or_404
from publishing.documents.catalogue import is_draft
from publishing.documents.renderer import UnknownDocument, generate
from publishing.services import (
    RetryRefused,
    approved_count,
    campaign_progress,
    campaign_publish_request,
    publication_panel,
    publication_retry,
    requested_at_param,
    retryable_publication,
)


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


@tenant_view(*ALL_ROLES)
def evaluation_publications_view(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """The publication panel alone: what htmx fetches every two seconds while one renders."""
    evaluation = evaluation_or_404(pk)
    return TemplateResponse(
        request,
        "publishing/_publications.html",
        {"panel": publication_panel(evaluation=evaluation, roles=request.tenant.roles)},
    )


@require_POST
@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def publication_retry_view(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """「重新生成」: the evaluation's failed publication is rendered again."""
    evaluation = evaluation_or_404(pk)
    failed = retryable_publication(evaluation)
    if failed is None:
        messages.info(request, _("没有生成失败的公开文件，无需重新生成。"))
    else:
        try:
            publication_retry(publication=failed, by=request.user, roles=request.tenant.roles)
        except RetryRefused as refused:
            messages.info(request, str(refused))
        else:
            messages.success(request, _("已重新开始生成公开文件。"))
    return redirect(
        reverse("department:evaluation", kwargs={"department": department, "pk": pk})
        + "#publications"
    )


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def campaign_publish_view(request: TenantRequest, jurisdiction: str, pk: int) -> HttpResponse:
    """「公开全部已审核」: asks for confirmation, then sends the bulk job (every approved evaluation
    of the campaign published, each rendered by its own task) and returns to the dashboard, whose
    progress bar follows it."""
    campaign = get_object_or_404(Campaign, pk=pk)
    dashboard = reverse("bureau:campaign", kwargs={"jurisdiction": jurisdiction, "pk": pk})
    if request.method == "POST":
        if request.POST.get("confirmed") != "yes":
            return redirect(reverse("bureau:campaign_publish", args=[jurisdiction, pk]))
        count = campaign_publish_request(
            campaign=campaign,
            by=request.user,
            roles=request.tenant.roles,
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
        messages.success(
            request,
            _("正在公开 %(count)d 份已审核的自评，进度见下方「公开情况」。") % {"count": count},
        )
        requested = int(timezone.now().timestamp())
        return redirect(f"{dashboard}?{urlencode({'publishing': requested})}#publishing")
    return TemplateResponse(
        request,
        "publishing/campaign_publish.html",
        {
            "campaign": campaign,
            "approved": approved_count(campaign),
            "dashboard_url": dashboard + "#publishing",
        },
    )


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def campaign_publishing_view(request: TenantRequest, jurisdiction: str, pk: int) -> HttpResponse:
    """The campaign's publishing progress alone: what htmx polls until every one is rendered."""
    campaign = get_object_or_404(Campaign, pk=pk)
    requested_at = requested_at_param(request.GET.get("publishing"))
    return TemplateResponse(
        request,
        "publishing/_campaign_publishing.html",
        {"campaign": campaign, "progress": campaign_progress(campaign, requested_at=requested_at)},
    )
