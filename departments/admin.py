"""Django admin for superusers and, limited to their own jurisdictions, for bureau admins.

The tenant middleware runs every admin request inside the scope of the jurisdictions the user
administers, so scoped querysets (departments, memberships, campaigns…) are already limited; the
mixin below adds the permission checks and narrows the choices of unscoped relations.
"""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from departments.models import (
    Department,
    DepartmentMembership,
    Jurisdiction,
    JurisdictionMembership,
)
from departments.roles import DEPARTMENT_ROLES, Role
from departments.selectors import administered_jurisdiction_ids

User = get_user_model()


def is_bureau_admin(request: HttpRequest) -> bool:
    return bool(administered_jurisdiction_ids(user=request.user))


def users_manageable_by(request: HttpRequest) -> QuerySet[Any]:
    """Users whose every membership lies in jurisdictions the requesting bureau admin administers."""
    users = User.objects.all()
    if request.user.is_superuser:
        return users
    own = administered_jurisdiction_ids(user=request.user)
    inside = Q(jurisdiction_memberships__jurisdiction__in=own) | Q(
        department_memberships__department__jurisdiction__in=own
    )
    with scopes_disabled():  # subqueries on memberships of any tenant, always tied to the user row
        elsewhere_bureau = JurisdictionMembership.objects.filter(user=OuterRef("pk")).exclude(
            jurisdiction__in=own
        )
        elsewhere_department = DepartmentMembership.objects.filter(user=OuterRef("pk")).exclude(
            department__jurisdiction__in=own
        )
    return (
        users.filter(inside, is_superuser=False)
        .exclude(Exists(elsewhere_bureau))
        .exclude(Exists(elsewhere_department))
        .distinct()
    )


class BureauAdminMixin:
    """Lets bureau admins manage a model without Django model permissions; superusers as usual."""

    def _allowed(self, request: HttpRequest) -> bool:
        return request.user.is_active and (request.user.is_superuser or is_bureau_admin(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            if db_field.related_model is Jurisdiction:
                kwargs["queryset"] = Jurisdiction.objects.filter(
                    pk__in=administered_jurisdiction_ids(user=request.user)
                )
            elif db_field.related_model is User:
                kwargs["queryset"] = users_manageable_by(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(Jurisdiction)
class JurisdictionAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["name", "area_name", "area_code", "slug"]
    search_fields = ["name", "area_name", "area_code"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Jurisdiction]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=administered_jurisdiction_ids(user=request.user))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Department)
class DepartmentAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "parent", "nature", "code", "slug"]
    list_filter = ["nature"]
    search_fields = ["name", "code"]


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "department__name"]


@admin.register(JurisdictionMembership)
class JurisdictionMembershipAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["user", "jurisdiction", "role"]
    list_filter = ["role"]
    search_fields = ["user__username"]


class UserCreationWithMembershipForm(AdminUserCreationForm):
    """A new user starts with one role in a department, so they belong to a jurisdiction at once."""

    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("预算部门"))
    role = forms.ChoiceField(
        label=_("角色"), choices=[(r.value, r.label) for r in Role if r in DEPARTMENT_ROLES]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Evaluated inside the admin scope: only the bureau admin's own departments.
        department_field = cast(forms.ModelChoiceField, self.fields["department"])
        department_field.queryset = Department.objects.all()


class ManagedUserAdmin(BureauAdminMixin, UserAdmin):
    add_form = UserCreationWithMembershipForm
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        (_("所属单位"), {"fields": ("department", "role")}),
    )
    restricted_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return users_manageable_by(request)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not request.user.is_superuser:
            return self.restricted_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            DepartmentMembership.objects.create(
                user=obj, department=form.cleaned_data["department"], role=form.cleaned_data["role"]
            )


admin.site.unregister(User)
admin.site.register(User, ManagedUserAdmin)
admin.site.site_header = _("预算绩效自评平台管理")
admin.site.site_title = _("预算绩效自评平台管理")
admin.site.index_title = _("管理")
