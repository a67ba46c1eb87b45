"""Resolve the tenant from the URL, check membership, and run and render the view inside its scope.

As in pretix's control middleware: outsiders get 404 (we do not confirm that a tenant exists),
members without the right role get 403, anonymous users are sent to the login page. Under /api/
the API speaks JSON: anonymous callers get 401, and the 404 and 403 are answered as JSON by the
error handlers (config/views.py). Every other URL runs with no scope at all, so a query on a
scoped model there raises instead of leaking.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django_scopes import scope, scopes_disabled

from config.api import (
    error_response,
    forbidden_detail,
    is_api_request,
    not_found_detail,
    not_logged_in_response,
)
from departments.models import Department, Jurisdiction
from departments.selectors import (
    AnyUser,
    administered_jurisdiction_ids,
    department_roles,
    jurisdiction_roles,
)
from departments.tenancy import Tenant, declared_roles


class TenantScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.app_name == "admin":
            return self._run_inside(admin_scope(request), request)
        if not ({"department", "jurisdiction"} & match.kwargs.keys()):
            return self.get_response(request)
        if not request.user.is_authenticated:
            if is_api_request(request):
                return not_logged_in_response()
            return redirect_to_login(request.get_full_path())
        try:
            tenant = resolve_tenant(request, match)
        except (Http404, PermissionDenied) as refusal:
            if is_api_request(request):  # JSON, whatever DEBUG says (its 404 page is HTML)
                return _api_refusal(refusal)
            raise
        request.tenant = tenant  # type: ignore[attr-defined]
        return self._run_inside(tenant_scope(tenant), request)

    def _run_inside(
        self, context: AbstractContextManager[None], request: HttpRequest
    ) -> HttpResponse:
        with context:
            response = self.get_response(request)
            # Lazy responses must render here, or their templates would query outside the scope.
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
        return response


def _api_refusal(refusal: Exception) -> HttpResponse:
    if isinstance(refusal, Http404):
        return error_response(404, not_found_detail())
    return error_response(403, forbidden_detail())


def resolve_tenant(request: HttpRequest, match: ResolverMatch) -> Tenant:
    allowed = declared_roles(match.func)
    if allowed is None:
        raise ImproperlyConfigured(
            f"Tenant view {match.view_name} declares no roles (@tenant_view)."
        )
    with scopes_disabled():
        if "department" in match.kwargs:
            tenant = _department_tenant(request.user, match.kwargs["department"])
        else:
            tenant = _jurisdiction_tenant(request.user, match.kwargs["jurisdiction"])
    if not tenant.roles:
        raise Http404
    if not tenant.roles & allowed:
        raise PermissionDenied
    return tenant


def _department_tenant(user: AnyUser, slug: str) -> Tenant:
    department = Department.objects.select_related("jurisdiction").filter(slug=slug).first()
    if department is None:
        raise Http404
    roles = department_roles(user=user, department=department)
    return Tenant(jurisdiction=department.jurisdiction, department=department, roles=roles)


def _jurisdiction_tenant(user: AnyUser, slug: str) -> Tenant:
    jurisdiction = Jurisdiction.objects.filter(slug=slug).first()
    if jurisdiction is None:
        raise Http404
    roles = jurisdiction_roles(user=user, jurisdiction=jurisdiction)
    return Tenant(jurisdiction=jurisdiction, department=None, roles=roles)


def tenant_scope(tenant: Tenant) -> AbstractContextManager[None]:
    """A department URL sees that department only; a bureau URL sees all of the bureau's departments."""
    department_id = tenant.department.pk if tenant.department else None
    return scope(jurisdiction=tenant.jurisdiction.pk, department=department_id)


def admin_scope(request: HttpRequest) -> AbstractContextManager[None]:
    """Superusers see everything in the admin; bureau admins their own jurisdictions; others nothing."""
    if request.user.is_authenticated and request.user.is_superuser:
        return scopes_disabled()
    return scope(jurisdiction=administered_jurisdiction_ids(user=request.user), department=None)
