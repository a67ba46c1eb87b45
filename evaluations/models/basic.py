"""整体绩效自评基础数据表（基本情况）(seed 001): one model per block of the table."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models.parts import EvaluationPart, count_field, money_field

HUNDRED = Decimal(100)


class PercentInput(forms.DecimalField):
    """A ratio typed and shown as a percentage (95 for 0.95)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format((value * HUNDRED).normalize(), "f")
        return value

    def to_python(self, value: Any) -> Any:
        number = super().to_python(value)
        return None if number is None else number / HUNDRED


class PercentRatioField(models.DecimalField):
    """A ratio stored as a fraction (see `ratio_field`) and edited as a percentage."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(
            **{"form_class": PercentInput, "max_digits": 9, "decimal_places": 6, **kwargs}
        )


def percent_field(label: Any) -> PercentRatioField:
    """Like `ratio_field` (a fraction between 0 and 1 as stored), typed as a percentage."""
    return PercentRatioField(
        label,
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )


def yes_no_field(label: Any) -> models.BooleanField:
    """A 是/否 box of the table; empty until the department answers."""
    return models.BooleanField(label, null=True, blank=True)


class PublicURLField(models.URLField):
    """A public web address; one typed without a scheme is read as https."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"assume_scheme": "https", **kwargs})


def url_field(label: Any) -> PublicURLField:
    return PublicURLField(label, max_length=500, blank=True)


def text_field(label: Any) -> models.TextField:
    return models.TextField(label, blank=True)


class UnitInfo(EvaluationPart):
    """单位基本情况."""

    subordinate_units = models.CharField(_("下属预算单位"), max_length=500, blank=True)
    contact_name = models.CharField(_("单位自评联络人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话及手机"), max_length=50, blank=True)
    contact_email = models.EmailField(_("邮箱"), blank=True)

    class Meta:
        verbose_name = _("单位基本情况")
        verbose_name_plural = _("单位基本情况")


class Staffing(EvaluationPart):
    """人员情况: authorised and actual staff (在职人员控制率)."""

    staff_authorized = count_field(_("编制数"))
    staff_actual = count_field(_("实有在职人数"))

    class Meta:
        verbose_name = _("人员情况")
        verbose_name_plural = _("人员情况")


class OverallTargets(EvaluationPart):
    """绩效目标情况: the overall targets, how they were met, and the measures taken."""

    overall_target = text_field(_("整体绩效（总）目标"))
    overall_completion = text_field(_("整体绩效（总）目标完成情况"))
    shortfall_reason = text_field(_("未完成原因分析"))
    measures = text_field(_("制度措施建立情况"))

    class Meta:
        verbose_name = _("绩效目标情况")
        verbose_name_plural = _("绩效目标情况")


class ProjectTargets(EvaluationPart):
    """项目绩效目标: projects due, declared and approved, with their amounts in 万元."""

    due_count = count_field(_("应申报项目数"))
    due_amount = money_field(_("应申报金额"))
    declared_count = count_field(_("实际申报项目数"))
    declared_amount = money_field(_("实际申报金额"))
    approved_count = count_field(_("目标批复数"))
    approved_amount = money_field(_("目标批复金额"))

    class Meta:
        verbose_name = _("项目绩效目标")
        verbose_name_plural = _("项目绩效目标")


class Disclosures(EvaluationPart):
    """信息公开: self-evaluation, budget, final accounts and targets (published?, date, URL)."""

    KINDS = (
        ("self_evaluation", _("自评信息")),
        ("budget", _("预算")),
        ("final_accounts", _("决算")),
        ("targets", _("绩效目标")),
    )

    self_evaluation_published = yes_no_field(_("自评信息是否公开"))
    self_evaluation_on = models.DateField(_("自评信息公开时间"), null=True, blank=True)
    self_evaluation_url = url_field(_("自评信息公开网址"))
    budget_published = yes_no_field(_("预算是否公开"))
    budget_on = models.DateField(_("预算公开时间"), null=True, blank=True)
    budget_url = url_field(_("预算公开网址"))
    final_accounts_published = yes_no_field(_("决算是否公开"))
    final_accounts_on = models.DateField(_("决算公开时间"), null=True, blank=True)
    final_accounts_url = url_field(_("决算公开网址"))
    targets_published = yes_no_field(_("绩效目标是否公开"))
    targets_on = models.DateField(_("绩效目标公开时间"), null=True, blank=True)
    targets_url = url_field(_("绩效目标公开网址"))

    class Meta:
        verbose_name = _("信息公开")
        verbose_name_plural = _("信息公开")


class AssetManagement(EvaluationPart):
    """资产管理: the four checks of 资产管理规范性 and the fixed-asset totals in 万元."""

    internal_rules = yes_no_field(_("制定资产管理内部制度"))
    ledger_matches = yes_no_field(_("资产账与财务账一致"))
    allocation_compliant = yes_no_field(_("配置合理使用合规"))
    income_remitted = yes_no_field(_("出租、出借及处置收入上缴"))
    fixed_assets_total = money_field(_("固定资产总额（原值）"))
    fixed_assets_in_use = money_field(_("在用固定资产总额（原值）"))

    class Meta:
        verbose_name = _("资产管理")
        verbose_name_plural = _("资产管理")


class ProjectOrganisation(EvaluationPart):
    """项目组织实施情况: project counts, preparation, adjustments, management and acceptance."""

    project_count = count_field(_("项目数量"))
    new_projects = count_field(_("新建"))
    continued_projects = count_field(_("续建"))
    planned_completion = count_field(_("计划当年完工"))
    planned_acceptance = count_field(_("计划当年完成验收"))
    approval_needed = count_field(_("需立项数"))
    approved = count_field(_("已立目数"))
    feasibility_reports = count_field(_("有可行性研究报告"))
    estimates_approved = count_field(_("有概算批复文件"))
    adjusted = count_field(_("调整内容（超期超概算情况）"))
    adjustment_note = text_field(_("情况说明"))
    approval_procedures = count_field(_("报批手续"))
    approval_documents = text_field(_("文件名称及文号"))
    financial_rules = text_field(_("财务（项目）管理办法名称及文号"))
    other_rules = text_field(_("其他管理办法名称"))
    work_measures = text_field(_("工作措施"))
    completed = count_field(_("已完工个数"))
    accepted = count_field(_("已验收个数"))
    acceptance_documents = text_field(_("完工验收有关资料清单"))

    class Meta:
        verbose_name = _("项目组织实施情况")
        verbose_name_plural = _("项目组织实施情况")


class SpendingControl(EvaluationPart):
    """三公经费与公用经费控制率: budget and actual in 万元, and the rates the department states."""

    three_public_budget = money_field(_("三公经费预算安排数"))
    three_public_actual = money_field(_("三公经费实际支出数"))
    three_public_rate_stated = percent_field(_("三公经费控制率（填报）"))
    public_funds_budget = money_field(_("公用经费预算安排数"))
    public_funds_actual = money_field(_("公用经费实际支出数"))
    public_funds_rate_stated = percent_field(_("公用经费控制率（填报）"))

    class Meta:
        verbose_name = _("三公经费与公用经费")
        verbose_name_plural = _("三公经费与公用经费")


class WorkCompletion(EvaluationPart):
    """工作（含项目）完成情况: key work, targets and project timeliness, with stated rates."""

    party_inspection_score = models.DecimalField(
        _("市委督查得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    government_inspection_score = models.DecimalField(
        _("政府督查得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # The counts the scoring sheet's 重点工作完成率 divides (seed 001 gives only 督查得分 and a rate).
    key_tasks_total = count_field(_("重点工作总数"))
    key_tasks_done = count_field(_("重点工作实际完成数"))
    key_work_rate_stated = percent_field(_("重点工作完成率（填报）"))
    key_work_shortfall = text_field(_("重点工作未完成目标原因"))
    targets_planned = count_field(_("整体绩效目标计划数"))
    targets_achieved = count_field(_("整体绩效目标实际实现数"))
    targets_rate_stated = percent_field(_("整体绩效目标完成率（填报）"))
    targets_shortfall = text_field(_("整体绩效目标未完成原因"))
    project_targets_planned = count_field(_("重要项目绩效目标计划数"))
    project_targets_achieved = count_field(_("重要项目绩效目标实际实现数"))
    project_targets_rate_stated = percent_field(_("重要项目绩效目标完成率（填报）"))
    project_targets_shortfall = text_field(_("重要项目绩效目标未完成原因"))
    projects_planned = count_field(_("部门预算项目数"))
    projects_on_time = count_field(_("按期完成"))
    projects_rate_stated = percent_field(_("项目完成及时率（填报）"))
    projects_shortfall = text_field(_("项目未按期完成原因"))

    class Meta:
        verbose_name = _("工作（含项目）完成情况")
        verbose_name_plural = _("工作（含项目）完成情况")


class Benefits(EvaluationPart):
    """社会经济效益."""

    social_economic_benefits = text_field(_("社会经济效益"))

    class Meta:
        verbose_name = _("社会经济效益")
        verbose_name_plural = _("社会经济效益")


class Fairness(EvaluationPart):
    """公平性: the complaints channel, complaints and answers, and satisfaction."""

    has_feedback_channel = yes_no_field(_("是否有群众意见反映渠道和群众意见办理回复机制"))
    complaints_received = count_field(_("群众上访、信访数量"))
    complaints_answered = count_field(_("答复数量"))
    complaints_answered_on_time = count_field(_("其中按规定期限答复数量"))
    satisfaction = percent_field(_("满意度"))

    class Meta:
        verbose_name = _("公平性")
        verbose_name_plural = _("公平性")


class RevenueAndProcurement(EvaluationPart):
    """收支及采购情况 (from the report text): revenue, spending, carry-over, stock funds, procurement."""

    prior_carryover = money_field(_("上年结转结余"), signed=True)
    actual_revenue = money_field(_("本年实际收入"))
    actual_expenditure = money_field(_("本年实际支出"))
    year_end_carryover = money_field(_("年末结转和结余"), signed=True)
    overall_expenditure_rate_stated = percent_field(_("整体支出完成率（填报）"))
    stock_funds_prev = money_field(_("上年末存量资金"))
    stock_funds_end = money_field(_("本年末存量资金"))
    procurement_planned = money_field(_("政府采购计划金额"))
    procurement_actual = money_field(_("实际采购金额"))

    class Meta:
        verbose_name = _("收支及采购情况")
        verbose_name_plural = _("收支及采购情况")
