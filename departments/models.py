"""Tenants: finance bureaus (jurisdictions), their budget departments, and who belongs to which.

Department-owned data is reachable only inside a django-scopes scope with the dimensions
`jurisdiction` and `department`, each a primary key, a list of them, or (department only) None for
all departments of the jurisdiction (see `departments.scoping`).
"""

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from departments.roles import DEPARTMENT_ROLES, JURISDICTION_ROLES, Role


class Jurisdiction(models.Model):
    """A finance bureau (财政局) and the area it governs; the top tenant."""

    slug = models.SlugField(_("标识"), unique=True, help_text=_("用于网址，如 zhanjiang"))
    name = models.CharField(_("财政部门名称"), max_length=100, unique=True)
    area_name = models.CharField(_("行政区划"), max_length=100)
    area_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("财政区划")
        verbose_name_plural = _("财政区划")
        ordering = ["area_code", "name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A budget unit (预算部门) whose evaluations are filled in; may have a parent department."""

    class Nature(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("行政单位")
        CIVIL_SERVICE_MANAGED = "civil_service_managed", _("参照公务员法管理事业单位")
        PUBLIC_INSTITUTION = "public_institution", _("事业单位")
        OTHER = "other", _("其他")

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("财政区划"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("主管部门"),
    )
    slug = models.SlugField(_("标识"), unique=True, help_text=_("用于网址，如 zhanjiang-commerce"))
    name = models.CharField(_("单位名称"), max_length=100)
    code = models.CharField(_("单位编码"), max_length=30, blank=True)
    nature = models.CharField(
        _("单位性质"), max_length=30, choices=Nature.choices, default=Nature.ADMINISTRATIVE
    )

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="jurisdiction", department="pk"
    )

    class Meta:
        verbose_name = _("预算部门")
        verbose_name_plural = _("预算部门")
        ordering = ["jurisdiction", "name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentMembership(models.Model):
    """A user's role in a department: filler (填报人) or head (单位负责人)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="department_memberships",
        verbose_name=_("用户"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("预算部门")
    )
    role = models.CharField(
        _("角色"),
        max_length=20,
        choices=[(r.value, r.label) for r in Role if r in DEPARTMENT_ROLES],
    )

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="department__jurisdiction", department="department"
    )

    class Meta:
        verbose_name = _("部门成员")
        verbose_name_plural = _("部门成员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"], name="department_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=sorted(DEPARTMENT_ROLES)),
                name="department_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class JurisdictionMembership(models.Model):
    """A user's role in a finance bureau: reviewer (财政审核人) or admin (财政管理员)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jurisdiction_memberships",
        verbose_name=_("用户"),
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("财政区划"),
    )
    role = models.CharField(
        _("角色"),
        max_length=20,
        choices=[(r.value, r.label) for r in Role if r in JURISDICTION_ROLES],
    )

    objects: ClassVar[models.Manager[Self]] = ScopedManager(jurisdiction="jurisdiction")

    class Meta:
        verbose_name = _("财政部门成员")
        verbose_name_plural = _("财政部门成员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "jurisdiction", "role"], name="jurisdiction_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=sorted(JURISDICTION_ROLES)),
                name="jurisdiction_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.jurisdiction} · {self.get_role_display()}"
