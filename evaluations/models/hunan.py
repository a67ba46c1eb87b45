"""湖南 tables (seed 003): 部门整体支出绩效评价基础数据表, 部门整体支出绩效自评表, and the
项目支出绩效自评表 of each project (seeds 003, 004), with their indicator rows."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, Self

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation
from evaluations.models.parts import EvaluationPart, count_field, money_field

NOT_NEGATIVE_FIGURE = MinValueValidator(Decimal(0), message=_("不能为负数。"))


def percent_field(label: Any) -> models.DecimalField:
    """A rate as the sheet writes it, in percent (96.00 for 96.00%)."""
    return models.DecimalField(
        label,
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE_FIGURE],
    )


def score_field(label: Any) -> models.DecimalField:
    """Points of a scoring sheet (分值, 得分), as written with up to two decimals."""
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE_FIGURE],
    )


class HunanBasicData(EvaluationPart):
    """部门整体支出绩效评价基础数据表: staff, 三公经费 by item and year, special funds."""

    staff_authorized = count_field(_("编制数"))
    staff_actual = count_field(_("实际在职人数"))
    staff_control_rate_stated = percent_field(_("控制率"))
    three_public_prior = money_field(_("三公经费 上年决算数"))
    three_public_budget = money_field(_("三公经费 本年预算数"))
    three_public_actual = money_field(_("三公经费 本年决算数"))
    vehicle_prior = money_field(_("公务用车购置和维护经费 上年决算数"))
    vehicle_budget = money_field(_("公务用车购置和维护经费 本年预算数"))
    vehicle_actual = money_field(_("公务用车购置和维护经费 本年决算数"))
    vehicle_purchase_prior = money_field(_("公车购置 上年决算数"))
    vehicle_purchase_budget = money_field(_("公车购置 本年预算数"))
    vehicle_purchase_actual = money_field(_("公车购置 本年决算数"))
    vehicle_running_prior = money_field(_("公车运行维护 上年决算数"))
    vehicle_running_budget = money_field(_("公车运行维护 本年预算数"))
    vehicle_running_actual = money_field(_("公车运行维护 本年决算数"))
    overseas_prior = money_field(_("出国经费 上年决算数"))
    overseas_budget = money_field(_("出国经费 本年预算数"))
    overseas_actual = money_field(_("出国经费 本年决算数"))
    reception_prior = money_field(_("公务接待 上年决算数"))
    reception_budget = money_field(_("公务接待 本年预算数"))
    reception_actual = money_field(_("公务接待 本年决算数"))
    special_fund_name = models.CharField(_("本级专项资金名称"), max_length=200, blank=True)
    special_fund_budget = money_field(_("本级专项资金 本年预算数"))
    special_fund_actual = money_field(_("本级专项资金 本年决算数"))
    savings_measures = models.TextField(_("厉行节约保障措施"), blank=True)

    class Meta:
        verbose_name = _("部门整体支出绩效评价基础数据表")
        verbose_name_plural = _("部门整体支出绩效评价基础数据表")


class FundsAndTargets(models.Model):
    """What the overall and the project self-evaluation sheets share: funds, score, targets."""

    budget_initial = money_field(_("年初预算数"))
    budget_full_year = money_field(_("全年预算数"))
    budget_executed = money_field(_("全年执行数"))
    funds_weight = score_field(_("分值"))
    execution_rate_stated = percent_field(_("执行率"))
    funds_score = score_field(_("得分"))
    target_expected = models.TextField(_("预期目标"), blank=True)
    target_achieved = models.TextField(_("实际完成情况"), blank=True)
    total_weight = score_field(_("总分 分值"))
    total_score = score_field(_("总分 得分"))

    class Meta:
        abstract = True

    @property
    def execution_rate(self) -> Decimal | None:
        """预算执行率 = 全年执行数 / 全年预算数 (a fraction); None without a budget."""
        if self.budget_executed is None or not self.budget_full_year:
            return None
        return self.budget_executed / self.budget_full_year

    @property
    def funds_score_computed(self) -> Decimal | None:
        """分值 × 执行率, at most the 分值 (seed 003: 10 × 96.79% = 9.68), to 2 decimals.

        Only the department-overall sheet's check reads it; a project's 预算执行率 is scored by
        its campaign's project rubric instead (evaluations.scoring.projects).
        """
        rate = self.execution_rate
        if rate is None or self.funds_weight is None:
            return None
        score = min(self.funds_weight, self.funds_weight * rate)
        return score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class HunanOverall(FundsAndTargets, EvaluationPart):
    """部门整体支出绩效自评表: funds by income and spending type, targets, total score."""

    revenue_general = money_field(_("一般公共预算"))
    revenue_government_fund = money_field(_("政府性基金拨款"))
    revenue_special_account = money_field(_("纳入专户管理的非税收入拨款"))
    revenue_other = money_field(_("其他资金"))
    spending_basic = money_field(_("基本支出"))
    spending_project = money_field(_("项目支出"))

    class Meta:
        verbose_name = _("部门整体支出绩效自评表")
        verbose_name_plural = _("部门整体支出绩效自评表")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class ProjectEvaluation(FundsAndTargets):
    """项目支出绩效自评: one project or special fund of an evaluation, with its funds by source."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="projects", verbose_name=_("自评")
    )
    name = models.CharField(_("项目支出名称"), max_length=200)
    supervising_department = models.CharField(_("主管部门"), max_length=200, blank=True)
    implementing_unit = models.CharField(_("实施单位"), max_length=200, blank=True)
    current_initial = money_field(_("当年财政拨款 年初预算数"))
    current_full_year = money_field(_("当年财政拨款 全年预算数"))
    current_executed = money_field(_("当年财政拨款 全年执行数"))
    carryover_initial = money_field(_("上年结转 年初预算数"), signed=True)
    carryover_full_year = money_field(_("上年结转 全年预算数"), signed=True)
    carryover_executed = money_field(_("上年结转 全年执行数"), signed=True)
    other_initial = money_field(_("其它资金 年初预算数"))
    other_full_year = money_field(_("其它资金 全年预算数"))
    other_executed = money_field(_("其它资金 全年执行数"))

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )

    class Meta:
        verbose_name = _("项目支出绩效自评")
        verbose_name_plural = _("项目支出绩效自评")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """绩效指标 row of the overall sheet (project empty) or of a project's sheet."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("自评")
    )
    project = models.ForeignKey(
        ProjectEvaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("项目"),
    )
    position = models.PositiveIntegerField(_("序号"), default=0)
    level1 = models.CharField(_("一级指标"), max_length=50, blank=True)
    level2 = models.CharField(_("二级指标"), max_length=50, blank=True)
    name = models.CharField(_("三级指标"), max_length=500, blank=True)
    target = models.CharField(_("年度指标值"), max_length=500, blank=True)
    actual = models.CharField(_("实际完成值"), max_length=500, blank=True)
    weight = score_field(_("分值"))
    score = score_field(_("得分"))
    deviation_note = models.TextField(_("偏差原因分析及改进措施"), blank=True)

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )

    class Meta:
        verbose_name = _("绩效指标")
        verbose_name_plural = _("绩效指标")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name or self.level2 or self.level1
