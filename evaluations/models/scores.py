from decimal import Decimal
from typing import ClassVar, Self

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation


class IndicatorScore(models.Model):
    """评分表 row: the department's claimed score (自评得分) and the reviewer's verified one (核查得分)."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="indicator_scores",
        verbose_name=_("自评"),
    )
    indicator_code = models.CharField(_("指标编码"), max_length=30)
    claimed = models.DecimalField(
        _("自评得分"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    deduction_note = models.TextField(_("扣分说明"), blank=True)
    verified = models.DecimalField(
        _("核查得分"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    verification_note = models.TextField(_("核查说明"), blank=True)

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator_code"], name="indicator_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.indicator_code}"
