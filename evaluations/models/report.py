"""自评报告 (the narrative report, one row per chapter) and 佐证材料 (evidence files)."""

import secrets
from pathlib import Path
from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation


def _scoped() -> Any:
    return ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )


class ReportSection(models.Model):
    """One chapter of the report: Markdown written by the department under a template heading."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="report_sections", verbose_name=_("自评")
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    heading = models.CharField(_("标题"), max_length=200)
    text = models.TextField(
        _("正文"),
        blank=True,
        help_text=_("Markdown：空行分段，“- ”列表，**加粗**，| 表格 |；不接受 HTML。"),
    )

    objects: ClassVar[models.Manager[Self]] = _scoped()

    class Meta:
        verbose_name = _("自评报告章节")
        verbose_name_plural = _("自评报告章节")
        ordering = ["evaluation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "order"], name="report_section_unique")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.heading}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    """evidence/<evaluation>/<random><.ext>: names users chose never reach the storage."""
    return f"evidence/{instance.evaluation_id}/{secrets.token_hex(16)}{Path(filename).suffix}"


class Evidence(models.Model):
    """佐证材料: a file supporting one section (and optionally one indicator row) of an evaluation."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("自评")
    )
    section_key = models.CharField(_("栏目"), max_length=100)
    row_label = models.CharField(_("对应指标"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = _scoped()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["section_key", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["evaluation", "section_key"])]

    def __str__(self) -> str:
        return self.original_name
