from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models.parts import EvaluationPart, count_field


class Adjustments(EvaluationPart):
    """加减分事项: commendations (表彰) and accountability findings (问责) behind the bonus and penalty."""

    commendations = count_field(_("获表彰事项数"))
    commendations_detail = models.TextField(_("表彰事项（级别、名称、文号）"), blank=True)
    accountability_findings = count_field(_("被问责事项数"))
    accountability_detail = models.TextField(_("问责事项（问题、文号）"), blank=True)

    class Meta:
        verbose_name = _("加减分事项")
        verbose_name_plural = _("加减分事项")
