"""整体绩效自评基础数据表 (seed 001): unit information and staffing."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models.parts import EvaluationPart, count_field


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
