"""The finance bureau's pages: its campaigns and how far their departments are."""

from django.http import HttpResponse
from django.template.response import TemplateResponse

from departments.roles import Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.selectors.evaluations import campaigns_with_progress


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def bureau_home(request: TenantRequest, jurisdiction: str) -> HttpResponse:
    """自评任务: the bureau's campaigns and how far their departments are."""
    return TemplateResponse(
        request, "evaluations/bureau_home.html", {"campaigns": campaigns_with_progress()}
    )

