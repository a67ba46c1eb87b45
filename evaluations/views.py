from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from departments.roles import ALL_ROLES, Role
from departments.tenancy import tenant_view
from evaluations.models import Campaign, Evaluation
from evaluations.selectors import campaigns_with_progress, evaluations_of_department


@tenant_view(*ALL_ROLES)
def department_home(request: HttpRequest, department: str) -> HttpResponse:
    """本单位自评: the department's evaluations."""
    return TemplateResponse(
        request, "evaluations/department_home.html", {"evaluations": evaluations_of_department()}
    )


@tenant_view(*ALL_ROLES)
def evaluation_detail(request: HttpRequest, department: str, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation.objects.select_related("campaign"), pk=pk)
    return TemplateResponse(
        request, "evaluations/evaluation_detail.html", {"evaluation": evaluation}
    )


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def bureau_home(request: HttpRequest, jurisdiction: str) -> HttpResponse:
    """自评任务: the bureau's campaigns and how far their departments are."""
    return TemplateResponse(
        request, "evaluations/bureau_home.html", {"campaigns": campaigns_with_progress()}
    )


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def campaign_detail(request: HttpRequest, jurisdiction: str, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    evaluations = campaign.evaluations.select_related("department").order_by("department__name")
    return TemplateResponse(
        request,
        "evaluations/campaign_detail.html",
        {"campaign": campaign, "evaluations": evaluations},
    )
