"""The finance bureau's pages: its campaigns and how far their departments are, and the bureau
admin's management of a campaign (create, edit, open with its progress, close)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.roles import Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.forms.campaigns import CampaignForm, CloseForm
from evaluations.models import Campaign
from evaluations.selectors.evaluations import campaigns_with_progress
from evaluations.services.campaigns import (
    CampaignInvalid,
    CampaignStateError,
    campaign_close,
    campaign_create,
    campaign_open,
    campaign_update,
)


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def bureau_home(request: TenantRequest, jurisdiction: str) -> HttpResponse:
    """自评任务: the bureau's campaigns and how far their departments are."""
    context = {
        "campaigns": campaigns_with_progress(),
        "can_manage": request.tenant.has_role(Role.BUREAU_ADMIN),
    }
    return TemplateResponse(request, "evaluations/bureau_home.html", context)


@tenant_view(Role.BUREAU_ADMIN)
def campaign_new(request: TenantRequest, jurisdiction: str) -> HttpResponse:
    """新建自评任务."""
    tenant = request.tenant.jurisdiction
    form = CampaignForm(request.POST if request.method == "POST" else None, jurisdiction=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(
                jurisdiction=tenant, fields=form.campaign_fields(), by=request.user
            )
        except CampaignInvalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("已新建自评任务「%(title)s」。") % {"title": campaign})
            return redirect("bureau:home", jurisdiction=jurisdiction)
    return _form_page(request, form, None)


@tenant_view(Role.BUREAU_ADMIN)
def campaign_edit(request: TenantRequest, jurisdiction: str, pk: int) -> HttpResponse:
    """编辑自评任务."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        instance=campaign,
        jurisdiction=request.tenant.jurisdiction,
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign_update(campaign=campaign, fields=form.campaign_fields(), by=request.user)
        except CampaignInvalid as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, _("已保存自评任务「%(title)s」。") % {"title": campaign})
            return redirect("bureau:home", jurisdiction=jurisdiction)
    return _form_page(request, form, get_object_or_404(Campaign, pk=pk))


def _add_errors(form: CampaignForm, invalid: CampaignInvalid) -> None:
    for name, message in invalid.errors.items():
        field = "participation" if name == "departments" else name
        form.add_error(field if field in form.fields else None, message)


def _form_page(
    request: TenantRequest, form: CampaignForm, campaign: Campaign | None
) -> HttpResponse:
    status = 400 if form.is_bound else 200
    return TemplateResponse(
        request,
        "evaluations/campaigns/form.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


@tenant_view(Role.BUREAU_ADMIN)
@require_POST
def campaign_open_view(request: TenantRequest, jurisdiction: str, pk: int) -> HttpResponse:
    """开始填报: opens the campaign, then shows the drafts being made."""
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        campaign_open(campaign=campaign, by=request.user)
    except CampaignStateError as refused:
        messages.error(request, refused.message)
        return redirect("bureau:home", jurisdiction=jurisdiction)
    return redirect("bureau:campaign_opening", jurisdiction=jurisdiction, pk=pk)


@tenant_view(Role.BUREAU_ADMIN)
def campaign_opening(request: TenantRequest, jurisdiction: str, pk: int) -> HttpResponse:
    """How far the opening job has come; htmx asks again every second until it is done."""
    campaign = get_object_or_404(Campaign, pk=pk)
    template = (
        "evaluations/campaigns/_opening_progress.html"
        if request.headers.get("HX-Request")
        else "evaluations/campaigns/opening.html"
    )
    context = {"campaign": campaign, "done": campaign.opening_done >= campaign.opening_total}
    return TemplateResponse(request, template, context)


@tenant_view(Role.BUREAU_ADMIN)
def campaign_close_view(request: TenantRequest, jurisdiction: str, pk: int) -> HttpResponse:
    """截止: asks for confirmation, then closes the campaign (the deadline lock)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_close(campaign=campaign, by=request.user)
        except CampaignStateError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("自评任务「%(title)s」已截止，各部门不能再修改。") % {"title": campaign}
            )
        return redirect("bureau:home", jurisdiction=jurisdiction)
    status = 400 if form.is_bound else 200
    return TemplateResponse(
        request,
        "evaluations/campaigns/close.html",
        {"campaign": campaign, "form": form},
        status=status,
    )


jurisdiction_urls = [
    path("campaigns/new/", campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/open/", campaign_open_view, name="campaign_open"),
    path("campaigns/<int:pk>/opening/", campaign_opening, name="campaign_opening"),
    path("campaigns/<int:pk>/close/", campaign_close_view, name="campaign_close"),
]
