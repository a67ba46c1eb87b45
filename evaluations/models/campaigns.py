"""Campaigns (one year's self-evaluation round of a finance bureau) and departments' evaluations.

A campaign is prepared (准备中), opened (填报中: its departments' draft evaluations exist) and
closed (已截止: no department may change anything, but for an evaluation an admin reopened).
An evaluation's state moves only through `evaluations.workflow` and `evaluations.services.workflow`.
"""

from typing import ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from departments.models import Department, Jurisdiction


class ReportTemplate(models.Model):
    """自评报告模板: the section headings of a narrative report, shared by campaigns."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    headings = models.JSONField(
        _("章节标题"), default=list, help_text=_("按顺序排列的章节标题列表")
    )

    class Meta:
        verbose_name = _("自评报告模板")
        verbose_name_plural = _("自评报告模板")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """绩效自评工作: issued by a notice (e.g. 湛财绩〔2020〕6号) with a deadline."""

    class TableSet(models.TextChoices):
        """Which official tables the departments fill (the seeds' two families)."""

        GUANGDONG_OVERALL = "guangdong_overall", _("整体绩效自评（基础数据表、财政资金情况表等）")
        HUNAN_OVERALL = "hunan_overall", _("部门整体支出绩效自评表及基础数据表")
        PROJECT_ONLY = "project_only", _("仅项目支出绩效自评")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("准备中")
        OPEN = "open", _("填报中")
        CLOSED = "closed", _("已截止")

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("财政区划")
    )
    status = models.CharField(
        _("任务状态"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    fiscal_year = models.PositiveSmallIntegerField(_("评价年度"))
    title = models.CharField(_("标题"), max_length=200)
    notice_number = models.CharField(_("通知文号"), max_length=60, blank=True)
    opens_on = models.DateField(_("开始日期"), null=True, blank=True)
    due_on = models.DateField(_("截止日期"), null=True, blank=True)
    publishes_on = models.DateField(_("公开日期"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("提前提醒天数"),
        default=3,
        help_text=_("截止日期前几天提醒尚未提交的部门；0 表示不提醒"),
    )
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="campaigns",
        verbose_name=_("参加部门"),
        help_text=_("留空则本财政区划的全部预算部门参加"),
    )
    opened_at = models.DateTimeField(_("开始填报时间"), null=True, blank=True)
    # How far the opening job has come (evaluations created of those to create), for its progress bar.
    opening_total = models.PositiveIntegerField(_("待创建自评数"), default=0)
    opening_done = models.PositiveIntegerField(_("已创建自评数"), default=0)
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    table_set = models.CharField(
        _("填报表格"), max_length=30, choices=TableSet.choices, default=TableSet.GUANGDONG_OVERALL
    )
    rubric = models.ForeignKey(
        "rubrics.Rubric",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        limit_choices_to={"kind": "department_overall"},
        verbose_name=_("整体支出评分表"),
        help_text=_("留空则按填报表格使用默认评分表"),
    )
    project_rubric = models.ForeignKey(
        "rubrics.Rubric",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_campaigns",
        limit_choices_to={"kind": "project"},
        verbose_name=_("项目支出评分表"),
        help_text=_("留空则使用财预〔2020〕10号项目支出评价框架"),
    )
    report_template = models.ForeignKey(
        ReportTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("自评报告模板"),
    )

    objects: ClassVar[models.Manager[Self]] = ScopedManager(jurisdiction="jurisdiction")

    class Meta:
        verbose_name = _("自评任务")
        verbose_name_plural = _("自评任务")
        ordering = ["-fiscal_year", "title"]

    def __str__(self) -> str:
        return self.title


class Evaluation(models.Model):
    """部门整体支出绩效自评: one department's evaluation within a campaign."""

    class State(models.TextChoices):
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核")
        PUBLISHED = "published", _("已公开")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("自评任务")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("预算部门")
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_late = models.BooleanField(_("逾期提交"), default=False)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回公开的理由"), blank=True)
    # The latest scoring and checks, kept for the reviewers' dashboard (refreshed after each save
    # by evaluations.services.summaries, so a campaign of a thousand is listed without rescoring).
    computed_score = models.DecimalField(
        _("计算得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    claimed_score = models.DecimalField(
        _("自评得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    verified_score = models.DecimalField(
        _("核查得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("等级"), max_length=20, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    warning_count = models.PositiveIntegerField(_("未说明的警告数"), default=0)
    flag_count = models.PositiveIntegerField(_("评分提示数"), default=0)
    summarized_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)
    # An admin's exception to the campaign's lock: this evaluation may be filled after the deadline.
    unlocked = models.BooleanField(_("截止后重新开放"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="department__jurisdiction", department="department"
    )

    class Meta:
        verbose_name = _("部门整体支出绩效自评")
        verbose_name_plural = _("部门整体支出绩效自评")
        ordering = ["-campaign__fiscal_year", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department"], name="evaluation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.campaign.fiscal_year}"


# The summary columns of an evaluation (computed, never typed): the dashboard reads them, the
# admin shows them read-only, the audit trail leaves them out.
SUMMARY_FIELDS = (
    "computed_score",
    "claimed_score",
    "verified_score",
    "grade",
    "error_count",
    "warning_count",
    "flag_count",
    "summarized_at",
)
