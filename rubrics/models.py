"""Rubrics as versioned rows: loaded from the library's YAML, immutable once a campaign uses one."""

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from rubrics.engine.definition import Rubric as RubricDefinition
from rubrics.engine.definition import load_rubric_yaml


class RubricLocked(Exception):
    """A rubric a campaign uses cannot change: its scores must stay reproducible."""


class Rubric(models.Model):
    """One version of an official scoring sheet (评分表). Shared by all jurisdictions."""

    class Kind(models.TextChoices):
        DEPARTMENT_OVERALL = "department_overall", _("部门整体支出")
        PROJECT = "project", _("项目支出")

    rubric_id = models.SlugField(_("评分表标识"), max_length=100)
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    source = models.TextField(_("定义（YAML）"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["rubric_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["rubric_id", "version"], name="rubric_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.rubric_id} v{self.version}）"

    def save(self, *args: object, **kwargs: object) -> None:
        self.checksum = self.checksum_of(self.source)
        if self.pk:
            stored = Rubric.objects.filter(pk=self.pk).values_list("checksum", flat=True).first()
            if stored != self.checksum and self.in_use:
                raise RubricLocked(f"评分表 {self} 已被自评任务使用，不能修改；请新建版本。")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @staticmethod
    def checksum_of(source: str) -> str:
        return hashlib.sha256(source.encode("utf-8")).hexdigest()

    @property
    def in_use(self) -> bool:
        """Used by a campaign of any jurisdiction (so the check looks across tenants)."""
        with scopes_disabled():
            return self.campaigns.exists() or self.project_campaigns.exists()

    def definition(self) -> RubricDefinition:
        """The parsed and checked rubric; a saved version is parsed once per process."""
        if self.pk is None:  # a library file checked before it becomes a row
            return load_rubric_yaml(self.source)
        return _parsed(_Version(self.pk, self.checksum, self.source))


@dataclass(frozen=True)
class _Version:
    """A saved rubric version as a cache key: its id and checksum, not its text.

    A version a campaign uses never changes (see `save`), and the library rewrites an unused one
    in place only with a new checksum, so a parse cached under this key is never stale.
    """

    pk: int
    checksum: str
    source: str = field(compare=False, repr=False)


@lru_cache(maxsize=64)
def _parsed(version: _Version) -> RubricDefinition:
    return load_rubric_yaml(version.source)
