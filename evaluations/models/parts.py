"""Building blocks for the official tables' models: one row per evaluation, money in 万元."""

from decimal import Decimal
from typing import Any, ClassVar, Self

from django.core.validators import MinValueValidator
from django.db import models
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation


def money_field(label: Any, **kwargs: Any) -> models.DecimalField:
    """An amount in 万元. Four decimals keep figures such as 769.1121 万元 exact (to one yuan);
    pages show two, rounded half up."""
    return models.DecimalField(
        label, max_digits=16, decimal_places=4, null=True, blank=True, **kwargs
    )


def count_field(label: Any, **kwargs: Any) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True, **kwargs)


def ratio_field(label: Any, **kwargs: Any) -> models.DecimalField:
    """A ratio stored as a fraction (0.95 for 95%), between 0 and 1."""
    return models.DecimalField(
        label,
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **kwargs,
    )


class EvaluationPart(models.Model):
    """One section's row of an evaluation (one-to-one), reachable only inside the tenant's scope."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="%(class)s"
    )

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )

    class Meta:
        abstract = True
