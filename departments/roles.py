"""Roles: two held in a department, two in a jurisdiction (finance bureau)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FILLER = "filler", _("填报人")
    DEPARTMENT_HEAD = "department_head", _("单位负责人")
    REVIEWER = "reviewer", _("财政审核人")
    BUREAU_ADMIN = "bureau_admin", _("财政管理员")


DEPARTMENT_ROLES = frozenset({Role.FILLER, Role.DEPARTMENT_HEAD})
JURISDICTION_ROLES = frozenset({Role.REVIEWER, Role.BUREAU_ADMIN})
ALL_ROLES = DEPARTMENT_ROLES | JURISDICTION_ROLES
