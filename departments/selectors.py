"""Reads about who may see which tenant. Membership lookups run unscoped but always filter by user."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django_scopes import scopes_disabled

from departments.models import (
    Department,
    DepartmentMembership,
    Jurisdiction,
    JurisdictionMembership,
)
from departments.roles import ALL_ROLES, Role

AnyUser = AbstractBaseUser | AnonymousUser


def person_name(user: Any) -> str:
    """A person as others see them: their full name (姓 then 名), else their user name."""
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()


def is_superuser(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False))


def department_roles(*, user: AnyUser, department: Department) -> frozenset[Role]:
    """Roles the user holds for a department: their own, plus their bureau's over its departments."""
    if not user.is_authenticated:
        return frozenset()
    if is_superuser(user):
        return ALL_ROLES
    with scopes_disabled():
        own = DepartmentMembership.objects.filter(user_id=user.pk, department=department)
        bureau = JurisdictionMembership.objects.filter(
            user_id=user.pk, jurisdiction_id=department.jurisdiction_id
        )
        roles = set(own.values_list("role", flat=True)) | set(bureau.values_list("role", flat=True))
    return frozenset(Role(r) for r in roles)


def jurisdiction_roles(*, user: AnyUser, jurisdiction: Jurisdiction) -> frozenset[Role]:
    """Roles the user holds in a finance bureau (department roles do not count here)."""
    if not user.is_authenticated:
        return frozenset()
    if is_superuser(user):
        return ALL_ROLES
    with scopes_disabled():
        roles = JurisdictionMembership.objects.filter(
            user_id=user.pk, jurisdiction=jurisdiction
        ).values_list("role", flat=True)
        return frozenset(Role(r) for r in roles)


def administered_jurisdiction_ids(*, user: AnyUser) -> list[int]:
    """Ids of the jurisdictions in which the user is a bureau admin."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            JurisdictionMembership.objects.filter(
                user_id=user.pk, role=Role.BUREAU_ADMIN
            ).values_list("jurisdiction_id", flat=True)
        )


@dataclass(frozen=True)
class Workspace:
    """One place the user can work in: a department or a finance bureau, with their roles there."""

    kind: str  # "department" or "jurisdiction"
    slug: str
    name: str
    roles: tuple[Role, ...]

    @property
    def role_labels(self) -> str:
        return "、".join(str(role.label) for role in self.roles)


def workspaces_for(*, user: AnyUser) -> list[Workspace]:
    """The user's departments and bureaus, for navigation; two queries whatever the count."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        bureau_rows = JurisdictionMembership.objects.filter(user_id=user.pk).select_related(
            "jurisdiction"
        )
        department_rows = DepartmentMembership.objects.filter(user_id=user.pk).select_related(
            "department"
        )
        bureaus = _group((m.jurisdiction.slug, m.jurisdiction.name, m.role) for m in bureau_rows)
        departments = _group(
            (m.department.slug, m.department.name, m.role) for m in department_rows
        )
    return [Workspace("jurisdiction", *row) for row in bureaus] + [
        Workspace("department", *row) for row in departments
    ]


def _group(rows: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, tuple[Role, ...]]]:
    grouped: dict[tuple[str, str], list[Role]] = {}
    for slug, name, role in rows:
        grouped.setdefault((slug, name), []).append(Role(role))
    return [(slug, name, tuple(sorted(roles))) for (slug, name), roles in sorted(grouped.items())]
