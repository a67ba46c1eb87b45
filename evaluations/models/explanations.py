"""说明: a filler's written explanation of a warning the validation rules raise.

Filed under the warning's identity (rule, section, target; see `evaluations.checks.engine`), so it
stays attached across saves while the same rule fires on the same thing. An explanation whose
warning no longer fires is kept but not shown (`evaluations.selectors.explained_warnings`).
"""

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation

EXPLANATION_MAX_LENGTH = 1000


class WarningExplanation(models.Model):
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="warning_explanations",
        verbose_name=_("自评"),
    )
    code = models.CharField(_("规则"), max_length=100)
    section = models.CharField(_("栏目"), max_length=100)
    target = models.TextField(_("对象"), blank=True)
    text = models.CharField(_("说明"), max_length=EXPLANATION_MAX_LENGTH)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更新人"),
    )

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )

    class Meta:
        verbose_name = _("警告说明")
        verbose_name_plural = _("警告说明")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "code", "section", "target"],
                name="warning_explanation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.code} · {self.target}"

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.code, self.section, self.target)
