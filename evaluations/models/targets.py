"""绩效目标申报情况汇总表 (seed 000, 湛江 2017): the projects that declared performance targets."""

from typing import ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation
from evaluations.models.parts import money_field


class TargetDeclaration(models.Model):
    """One project of the summary: attribute, applicant, period, amounts (万元), basis, target."""

    class Attribute(models.TextChoices):
        ONE_OFF = "one_off", _("一次性项目")
        RECURRING = "recurring", _("经常性项目")
        MULTI_YEAR = "multi_year", _("跨年度项目")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="target_declarations"
    )
    position = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("项目名称"), max_length=200)
    attribute = models.CharField(_("项目属性"), max_length=20, choices=Attribute.choices)
    applicant = models.CharField(_("项目申报部门"), max_length=300, blank=True)
    starts_on = models.DateField(_("开始时间"), null=True, blank=True)
    ends_on = models.DateField(_("完成时间"), null=True, blank=True)
    total_amount = money_field(_("资金总额"))
    city_funds = money_field(_("申请市财政资金"))
    basis = models.TextField(_("项目设立依据、可行性及必要性"), blank=True)
    target = models.TextField(_("项目绩效目标"), blank=True)

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )

    class Meta:
        verbose_name = _("绩效目标申报情况")
        verbose_name_plural = _("绩效目标申报情况")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="target_declaration_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
