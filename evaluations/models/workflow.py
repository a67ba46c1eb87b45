"""The workflow's records: each transition of an evaluation, each submitted snapshot, and the
reviewer's comments that come with a return. All are written once and never changed (the
services only insert them; the audit trail records any other write)."""

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation


def _evaluation_scoped() -> ScopedManager:
    return ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )


class Transition(models.Model):
    """One step of an evaluation's workflow: who moved it from which state to which, and why."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("自评")
    )
    name = models.CharField(_("操作"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=20, choices=Evaluation.State.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=Evaluation.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.TextField(_("理由"), blank=True)
    late = models.BooleanField(_("逾期"), default=False)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    objects: ClassVar[models.Manager[Self]] = _evaluation_scoped()

    class Meta:
        verbose_name = _("流程记录")
        verbose_name_plural = _("流程记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["evaluation", "at"])]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.from_state} → {self.to_state}"


class Submission(models.Model):
    """What was submitted: every section's data as the forms show it, frozen, with its SHA-256."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("自评")
    )
    number = models.PositiveSmallIntegerField(_("第几次提交"))
    transition = models.OneToOneField(
        Transition, on_delete=models.PROTECT, related_name="submission", verbose_name=_("提交")
    )
    content = models.JSONField(_("提交内容"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    objects: ClassVar[models.Manager[Self]] = _evaluation_scoped()

    class Meta:
        verbose_name = _("提交快照")
        verbose_name_plural = _("提交快照")
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="submission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} #{self.number}"


class ReviewComment(models.Model):
    """A reviewer's comment on a section, and optionally on one row and field of it."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="review_comments", verbose_name=_("自评")
    )
    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="comments", verbose_name=_("退回")
    )
    section = models.CharField(_("栏目"), max_length=100)
    row = models.PositiveIntegerField(_("行"), null=True, blank=True, help_text=_("从 0 起"))
    field = models.CharField(_("字段"), max_length=100, blank=True)
    text = models.TextField(_("意见"))

    objects: ClassVar[models.Manager[Self]] = _evaluation_scoped()

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["transition", "pk"]

    def __str__(self) -> str:
        return f"{self.section} {self.field}: {self.text[:30]}"


class Notification(models.Model):
    """An entry of a person's inbox (站内消息). Read by its recipient only, whatever the tenant."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("收件人"),
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("自评"),
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject
