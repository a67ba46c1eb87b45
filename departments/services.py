"""Writes of memberships: who works in a finance bureau or a department, in which role.

A bureau admin manages every membership of their jurisdiction (the bureau's and its departments');
a department head manages their own department's fillers. The caller runs inside the tenant's scope.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from departments.models import (
    Department,
    DepartmentMembership,
    Jurisdiction,
    JurisdictionMembership,
)
from departments.roles import DEPARTMENT_ROLES, JURISDICTION_ROLES, Role
from departments.selectors import AnyUser, department_roles, jurisdiction_roles

Membership = DepartmentMembership | JurisdictionMembership


class MembershipRefused(PermissionDenied):
    """The user may not manage this membership (or give this role)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("您不能管理此成员或授予此角色。"))


class MembershipInvalid(Exception):
    """What was asked does not hold; `errors` maps a form field (or "") to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class NewPerson:
    """A user to create with the membership: their name (姓, 名), e-mail and first password."""

    last_name: str
    first_name: str
    email: str
    password: str


def givable_roles(*, held: frozenset[Role], place: Department | Jurisdiction) -> list[Role]:
    """The roles someone holding `held` in `place` may give or take there, in the order of Role."""
    if isinstance(place, Jurisdiction):
        fits = JURISDICTION_ROLES if Role.BUREAU_ADMIN in held else frozenset()
    elif Role.BUREAU_ADMIN in held:
        fits = DEPARTMENT_ROLES
    else:
        fits = frozenset({Role.FILLER}) if Role.DEPARTMENT_HEAD in held else frozenset()
    return [role for role in Role if role in fits]


def may_manage(*, user: AnyUser, place: Department | Jurisdiction, role: Role) -> bool:
    """Whether `user` may give or take `role` in `place` (a department or a finance bureau)."""
    if isinstance(place, Jurisdiction):
        held = jurisdiction_roles(user=user, jurisdiction=place)
    else:
        held = department_roles(user=user, department=place)
    return role in givable_roles(held=held, place=place)


def place_of(membership: Membership) -> Department | Jurisdiction:
    if isinstance(membership, DepartmentMembership):
        return membership.department
    return membership.jurisdiction


def _ensure(by: AnyUser, place: Department | Jurisdiction, role: Role) -> None:
    if not may_manage(user=by, place=place, role=role):
        raise MembershipRefused


def _role_fits(place: Department | Jurisdiction, role: Role) -> None:
    fits = JURISDICTION_ROLES if isinstance(place, Jurisdiction) else DEPARTMENT_ROLES
    if role not in fits:
        raise MembershipInvalid(
            {
                "role": _(
                    "财政审核人和财政管理员只能加入财政部门；填报人和单位负责人只能加入预算部门。"
                )
            }
        )


@transaction.atomic
def membership_add(
    *,
    by: AnyUser,
    place: Department | Jurisdiction,
    role: Role,
    username: str,
    new_person: NewPerson | None = None,
) -> Membership:
    """Give a user a role in a department or a bureau; with `new_person`, create the user first."""
    _role_fits(place, role)
    _ensure(by, place, role)
    user = _person(username.strip(), new_person)
    try:
        with transaction.atomic():
            if isinstance(place, Jurisdiction):
                return JurisdictionMembership.objects.create(
                    user=user, jurisdiction=place, role=role
                )
            return DepartmentMembership.objects.create(user=user, department=place, role=role)
    except IntegrityError as clash:
        raise MembershipInvalid(
            {
                "username": _("该用户已是%(place)s的%(role)s。")
                % {"place": place, "role": role.label}
            }
        ) from clash


def _person(username: str, new_person: NewPerson | None) -> Any:
    User = get_user_model()
    existing = User.objects.filter(username=username).first()
    if new_person is None:
        if existing is None:
            raise MembershipInvalid(
                {
                    "username": _(
                        "没有用户名为「%(name)s」的用户；如要新建，请同时填写姓名、邮箱和初始密码。"
                    )
                    % {"name": username}
                }
            )
        return existing
    if existing is not None:
        raise MembershipInvalid(
            {"username": _("用户名「%(name)s」已被使用。") % {"name": username}}
        )
    return User.objects.create_user(
        username=username,
        email=new_person.email,
        password=new_person.password,
        last_name=new_person.last_name,
        first_name=new_person.first_name,
    )


@transaction.atomic
def membership_change_role(*, by: AnyUser, membership: Membership, role: Role) -> Membership:
    """Give a member another role in the same place (who may take the old one may give the new)."""
    place = place_of(membership)
    _role_fits(place, role)
    _ensure(by, place, Role(membership.role))
    _ensure(by, place, role)
    if role == membership.role:
        return membership
    _keep_an_admin(by, membership)
    membership.role = role
    try:
        with transaction.atomic():
            membership.save(update_fields=["role"])
    except IntegrityError as clash:
        raise MembershipInvalid(
            {"role": _("该用户已是%(place)s的%(role)s。") % {"place": place, "role": role.label}}
        ) from clash
    return membership


@transaction.atomic
def membership_remove(*, by: AnyUser, membership: Membership) -> None:
    """Take a member's role away (the user stays, with their other memberships)."""
    _ensure(by, place_of(membership), Role(membership.role))
    _keep_an_admin(by, membership)
    membership.delete()


def _keep_an_admin(by: AnyUser, membership: Membership) -> None:
    # An admin taking away their own admin role would lock the bureau out of this page.
    if membership.role == Role.BUREAU_ADMIN and membership.user_id == by.pk:
        raise MembershipRefused(_("不能取消您自己的财政管理员角色；请由另一位财政管理员操作。"))
