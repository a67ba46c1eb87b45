"""固定资产情况表 (seed 000, 湛江 2017): asset categories × count, value, in use, idle.

Amounts are stored in the table's own unit, 元 with two decimals (the seed prints 6665147.92
元): converting each row to 万元 would lose the cents the published total depends on. The
basic-data table's totals are in 万元; the assets section supplies them, converted, only when
the department left them empty there (see evaluations/tables/assets.py).
"""

from typing import Any, ClassVar, Self

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation
from evaluations.models.parts import EvaluationPart, count_field


def yuan_field(label: Any) -> models.DecimalField:
    """An amount in 元 with two decimals, as the fixed-asset table prints it."""
    return models.DecimalField(
        label,
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


class FixedAssetLine(models.Model):
    """One row of 固定资产情况表: a category (一、土地、房屋及构筑物) or a 其中 line under it."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="fixed_asset_lines"
    )
    position = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("项目名称"), max_length=100)
    is_detail = models.BooleanField(_("其中项"), default=False)  # not added into 合计
    quantity = count_field(_("数量"))
    amount = yuan_field(_("金额"))
    in_use_amount = yuan_field(_("在用资产金额"))
    idle_amount = yuan_field(_("闲置资产金额"))

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )

    class Meta:
        verbose_name = _("固定资产情况")
        verbose_name_plural = _("固定资产情况")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="fixed_asset_line_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FixedAssetStatedTotals(EvaluationPart):
    """The 合计 row as the department printed it, kept to compare with the computed one."""

    amount_stated = yuan_field(_("合计金额（填报）"))
    in_use_amount_stated = yuan_field(_("合计在用资产金额（填报）"))

    class Meta:
        verbose_name = _("固定资产合计（填报）")
        verbose_name_plural = _("固定资产合计（填报）")
