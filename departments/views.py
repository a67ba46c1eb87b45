"""Pages of departments and finance bureaus: the user's workspaces, a bureau's departments, and
the members of a bureau or a department (added, given another role, removed)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.forms import BUREAU, MemberAddForm, MembershipChoiceForm
from departments.models import (
    Department,
    DepartmentMembership,
    JurisdictionMembership,
)
from departments.roles import Role
from departments.selectors import person_name
from departments.services import (
    Membership,
    MembershipInvalid,
    MembershipRefused,
    givable_roles,
    membership_add,
    membership_change_role,
    membership_remove,
)
from departments.tenancy import TenantRequest, tenant_view

MEMBER_ROLES = (Role.DEPARTMENT_HEAD, Role.BUREAU_ADMIN)


def _back(request: TenantRequest) -> HttpResponse:
    tenant = request.tenant
    if tenant.department is not None:
        return redirect("department:members", department=tenant.department.slug)
    return redirect("bureau:members", jurisdiction=tenant.jurisdiction.slug)


def _givable(request: TenantRequest) -> list[Role]:
    """The roles the user may give on this page: a bureau's page manages its departments' too."""
    held, tenant = request.tenant.roles, request.tenant
    if tenant.department is not None:
        return givable_roles(held=held, place=tenant.department)
    bureau = givable_roles(held=held, place=tenant.jurisdiction)
    departments = givable_roles(held=held, place=Department(jurisdiction=tenant.jurisdiction))
    return [role for role in Role if role in bureau or role in departments]


def _rows(memberships: Any, kind: str, givable: list[Role], user: Any) -> list[dict[str, Any]]:
    return [
        {
            "membership": membership,
            "kind": kind,
            "name": person_name(membership.user),
            # An admin's own admin role is kept (departments.services refuses to take it).
            "manageable": Role(membership.role) in givable
            and not (membership.role == Role.BUREAU_ADMIN and membership.user_id == user.pk),
        }
        for membership in memberships
    ]


def _members_page(
    request: TenantRequest, form: MemberAddForm | None = None, status: int = 200
) -> HttpResponse:
    givable = _givable(request)
    tenant = request.tenant
    department_rows = DepartmentMembership.objects.select_related("user", "department").order_by(
        "department__name", "role", "user__username"
    )
    context: dict[str, Any] = {
        "form": form or _add_form(request, None),
        "givable": givable,
        "department_roles": [r for r in givable if r in (Role.FILLER, Role.DEPARTMENT_HEAD)],
        "bureau_roles": [r for r in givable if r in (Role.REVIEWER, Role.BUREAU_ADMIN)],
        "department_memberships": _rows(department_rows, "department", givable, request.user),
    }
    if tenant.department is None:
        bureau_rows = JurisdictionMembership.objects.select_related("user").order_by(
            "role", "user__username"
        )
        context["bureau_memberships"] = _rows(bureau_rows, BUREAU, givable, request.user)
        template = "departments/jurisdiction_members.html"
    else:
        template = "departments/department_members.html"
    return TemplateResponse(request, template, context, status=status)


def _add_form(request: TenantRequest, data: Any) -> MemberAddForm:
    tenant = request.tenant
    return MemberAddForm(
        data,
        jurisdiction=tenant.jurisdiction,
        department=tenant.department,
        roles=_givable(request),
        auto_id="member-%s",
    )


def _member_add(request: TenantRequest) -> HttpResponse:
    form = _add_form(request, request.POST)
    if form.is_valid():
        try:
            membership = membership_add(
                by=request.user,
                place=form.chosen_place(),
                role=Role(form.cleaned_data["role"]),
                username=form.cleaned_data["username"],
                new_person=form.new_person(),
            )
        except MembershipInvalid as invalid:
            for name, message in invalid.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except MembershipRefused as refused:
            form.add_error("role", str(refused))
        else:
            messages.success(
                request,
                _("已添加%(name)s（%(role)s）。")
                % {"name": person_name(membership.user), "role": membership.get_role_display()},
            )
            return _back(request)
    return _members_page(request, form, status=400)


def _membership(request: TenantRequest, data: Any) -> tuple[Membership, MembershipChoiceForm]:
    """The membership a request names, within the tenant's scope; 404 for any other."""
    form = MembershipChoiceForm(data)
    if not form.is_valid():
        raise BadRequest(_("未指明成员。"))
    kind, pk = form.cleaned_data["kind"], form.cleaned_data["membership"]
    found: Membership | None
    if kind == BUREAU and request.tenant.department is None:
        found = (
            JurisdictionMembership.objects.select_related("user", "jurisdiction")
            .filter(pk=pk)
            .first()
        )
    else:
        found = (
            DepartmentMembership.objects.select_related("user", "department").filter(pk=pk).first()
        )
    if found is None:
        raise Http404
    return found, form


def _member_role(request: TenantRequest) -> HttpResponse:
    membership, form = _membership(request, request.POST)
    role = form.cleaned_data["role"]
    if not role:
        messages.error(request, _("请选择角色。"))
        return _back(request)
    try:
        membership_change_role(by=request.user, membership=membership, role=Role(role))
    except MembershipInvalid as invalid:
        messages.error(request, " ".join(invalid.errors.values()))
    except MembershipRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(name)s 的角色已改为%(role)s。")
            % {"name": person_name(membership.user), "role": Role(role).label},
        )
    return _back(request)


def _member_remove(request: TenantRequest) -> HttpResponse:
    if request.method != "POST":
        if "membership" not in request.GET:
            return _back(request)
        membership, form = _membership(request, request.GET)
        context = {
            "membership": membership,
            "kind": form.cleaned_data["kind"],
            "name": person_name(membership.user),
        }
        return TemplateResponse(request, "departments/members_remove.html", context)
    membership, form = _membership(request, request.POST)
    try:
        membership_remove(by=request.user, membership=membership)
    except MembershipRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已取消%(name)s的%(role)s角色。")
            % {"name": person_name(membership.user), "role": membership.get_role_display()},
        )
    return _back(request)


@tenant_view(*MEMBER_ROLES)
def department_members(request: TenantRequest, department: str) -> HttpResponse:
    """本单位成员: names, user names, e-mails and roles; the head manages the fillers."""
    return _members_page(request)


@tenant_view(*MEMBER_ROLES)
@require_POST
def department_member_add(request: TenantRequest, department: str) -> HttpResponse:
    return _member_add(request)


@tenant_view(*MEMBER_ROLES)
@require_POST
def department_member_role(request: TenantRequest, department: str) -> HttpResponse:
    return _member_role(request)


@tenant_view(*MEMBER_ROLES)
def department_member_remove(request: TenantRequest, department: str) -> HttpResponse:
    """Asks for confirmation (GET), then takes the role away (POST)."""
    return _member_remove(request)


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def jurisdiction_departments(request: HttpRequest, jurisdiction: str) -> HttpResponse:
    departments = Department.objects.select_related("parent").order_by("name")
    return TemplateResponse(
        request, "departments/jurisdiction_departments.html", {"departments": departments}
    )


@tenant_view(Role.BUREAU_ADMIN)
def jurisdiction_members(request: TenantRequest, jurisdiction: str) -> HttpResponse:
    """成员: the bureau's and its departments' members, managed by the bureau admin."""
    return _members_page(request)


@tenant_view(Role.BUREAU_ADMIN)
@require_POST
def jurisdiction_member_add(request: TenantRequest, jurisdiction: str) -> HttpResponse:
    return _member_add(request)


@tenant_view(Role.BUREAU_ADMIN)
@require_POST
def jurisdiction_member_role(request: TenantRequest, jurisdiction: str) -> HttpResponse:
    return _member_role(request)


@tenant_view(Role.BUREAU_ADMIN)
def jurisdiction_member_remove(request: TenantRequest, jurisdiction: str) -> HttpResponse:
    """Asks for confirmation (GET), then takes the role away (POST)."""
    return _member_remove(request)
