from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from departments.models import Department, DepartmentMembership, JurisdictionMembership
from departments.roles import Role
from departments.selectors import workspaces_for
from departments.tenancy import tenant_view


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的工作台: the departments and bureaus the user works in."""
    return TemplateResponse(
        request, "departments/home.html", {"my_workspaces": workspaces_for(user=request.user)}
    )


@tenant_view(Role.DEPARTMENT_HEAD, Role.BUREAU_ADMIN)
def department_members(request: HttpRequest, department: str) -> HttpResponse:
    memberships = DepartmentMembership.objects.select_related("user").order_by(
        "role", "user__username"
    )
    return TemplateResponse(
        request, "departments/department_members.html", {"memberships": memberships}
    )


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def jurisdiction_departments(request: HttpRequest, jurisdiction: str) -> HttpResponse:
    departments = Department.objects.select_related("parent").order_by("name")
    return TemplateResponse(
        request, "departments/jurisdiction_departments.html", {"departments": departments}
    )


@tenant_view(Role.BUREAU_ADMIN)
def jurisdiction_members(request: HttpRequest, jurisdiction: str) -> HttpResponse:
    context = {
        "bureau_memberships": JurisdictionMembership.objects.select_related("user").order_by(
            "role", "user__username"
        ),
        "department_memberships": DepartmentMembership.objects.select_related(
            "user", "department"
        ).order_by("department__name", "role"),
    }
    return TemplateResponse(request, "departments/jurisdiction_members.html", context)
