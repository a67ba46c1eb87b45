"""How a URL names its tenant, and how views declare which roles may enter.

A URL pattern with a `department` or `jurisdiction` keyword argument is a tenant URL. Its view must
declare the roles allowed in with `@tenant_view(...)`; the middleware refuses a tenant URL whose
view declares nothing, so a forgotten declaration fails closed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from departments.models import Department, Jurisdiction
from departments.roles import Role

TENANT_KWARGS = ("department", "jurisdiction")


@dataclass(frozen=True)
class Tenant:
    """The tenant a request works in, resolved by the middleware and set as `request.tenant`."""

    jurisdiction: Jurisdiction
    department: Department | None
    roles: frozenset[Role]

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class TenantRequest(HttpRequest):
    """A request to a tenant URL: the middleware has resolved `tenant` before the view runs."""

    tenant: Tenant


def tenant_view(*roles: Role) -> Callable[[Any], Any]:
    """Declare the roles that may use a tenant view (function view or class view's as_view())."""
    if not roles:
        raise ValueError("A tenant view must allow at least one role.")

    def decorate(view: Any) -> Any:
        view.tenant_roles = frozenset(roles)
        return view

    return decorate


def declared_roles(view: Any) -> frozenset[Role] | None:
    """The roles a resolved view function allows, looking through DRF/CBV wrappers."""
    for candidate in (view, getattr(view, "cls", None), getattr(view, "view_class", None)):
        roles = getattr(candidate, "tenant_roles", None)
        if roles is not None:
            return frozenset(roles)
    return None


def is_tenant_pattern(kwarg_names: Iterable[str]) -> bool:
    return any(name in TENANT_KWARGS for name in kwarg_names)
