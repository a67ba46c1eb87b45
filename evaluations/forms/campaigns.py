"""The bureau admin's campaign form: what the campaign is, when, scored how, and who takes part."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.models import Department, Jurisdiction
from evaluations.models import Campaign
from evaluations.services.campaigns import (
    FIXED_WHEN_OPEN,
    CampaignFields,
    dates_errors,
    department_group,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class Participation:
    ALL = "all"
    GROUP = "group"
    CHOSEN = "chosen"
    CHOICES = [
        (ALL, gettext_lazy("本财政区划的全部预算部门")),
        (GROUP, gettext_lazy("一个主管部门及其下属单位")),
        (CHOSEN, gettext_lazy("选定的部门")),
    ]


class CampaignForm(forms.ModelForm):
    participation = forms.ChoiceField(
        label=gettext_lazy("参加部门"),
        choices=Participation.CHOICES,
        initial=Participation.ALL,
        widget=forms.RadioSelect,
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("主管部门"),
        queryset=Department.objects.none(),
        required=False,
        help_text=gettext_lazy("选择“一个主管部门及其下属单位”时填写"),
    )
    chosen = forms.ModelMultipleChoiceField(
        label=gettext_lazy("选定的部门"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("选择“选定的部门”时勾选"),
    )

    class Meta:
        model = Campaign
        fields = [
            "fiscal_year",
            "title",
            "notice_number",
            "opens_on",
            "due_on",
            "publishes_on",
            "reminder_days",
            "table_set",
            "rubric",
            "project_rubric",
            "report_template",
        ]
        widgets = {"opens_on": DateInput(), "due_on": DateInput(), "publishes_on": DateInput()}

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(jurisdiction=jurisdiction).order_by("name")
        fields: Any = self.fields
        fields["group"].queryset = departments.filter(children__isnull=False).distinct()
        fields["chosen"].queryset = departments
        fields["fiscal_year"].error_messages["invalid"] = _("请填写年度，如 2025。")
        fields["rubric"].empty_label = _("（按填报表格使用默认评分表）")
        fields["project_rubric"].empty_label = _("（财预〔2020〕10号项目支出评价框架）")
        fields["report_template"].empty_label = _("（不使用模板）")
        campaign = self.instance
        if campaign.pk:
            chosen = list(campaign.departments.all())
            self.initial["chosen"] = chosen
            self.initial["participation"] = Participation.CHOSEN if chosen else Participation.ALL
            if campaign.status != Campaign.Status.PREPARING:
                for name in FIXED_WHEN_OPEN:
                    fields[name].disabled = True
                    fields[name].help_text = _("已开始填报，不能修改。")

    def clean_fiscal_year(self) -> int:
        year: int = self.cleaned_data["fiscal_year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("评价年度应在 2000 至 2100 之间。"))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        participation = data.get("participation")
        if participation == Participation.GROUP and not data.get("group"):
            self.add_error("group", _("请选择主管部门。"))
        if participation == Participation.CHOSEN and not data.get("chosen"):
            self.add_error("chosen", _("请至少勾选一个部门。"))
        for name, message in dates_errors(self._fields(data, [])).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def campaign_fields(self) -> CampaignFields:
        """The cleaned input as the services take it."""
        data = self.cleaned_data
        participation = data["participation"]
        if participation == Participation.GROUP:
            departments = department_group(parent=data["group"])
        elif participation == Participation.CHOSEN:
            departments = list(data["chosen"])
        else:
            departments = []
        return self._fields(data, departments)

    @staticmethod
    def _fields(data: dict[str, Any], departments: list[Department]) -> CampaignFields:
        return CampaignFields(
            fiscal_year=data.get("fiscal_year") or 0,
            title=data.get("title") or "",
            notice_number=data.get("notice_number") or "",
            opens_on=data.get("opens_on"),
            due_on=data.get("due_on"),
            publishes_on=data.get("publishes_on"),
            reminder_days=data.get("reminder_days") or 0,
            table_set=data.get("table_set") or Campaign.TableSet.GUANGDONG_OVERALL,
            rubric=data.get("rubric"),
            project_rubric=data.get("project_rubric"),
            report_template=data.get("report_template"),
            departments=departments,
        )


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("我已确认：截止后各部门不能再修改本任务中的任何自评。"),
        error_messages={"required": gettext_lazy("请勾选确认后再截止。")},
    )
