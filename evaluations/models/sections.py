from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation


class SectionState(models.Model):
    """The version of one section of an evaluation: every save must name the version it read.

    A save based on an older version is refused (see `evaluations.services.sections.section_save`), so two
    people editing the same section never overwrite each other silently.
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="section_states", verbose_name=_("自评")
    )
    key = models.CharField(_("栏目"), max_length=100)
    version = models.PositiveIntegerField(_("版本"), default=0)
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
        verbose_name = _("栏目版本")
        verbose_name_plural = _("栏目版本")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "key"], name="section_state_unique")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.key} · v{self.version}"
