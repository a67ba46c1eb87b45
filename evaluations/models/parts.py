"""Building blocks for the official tables' models: one row per evaluation, money in 万元."""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, ClassVar, Self, TypeVar, cast

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ForeignObjectRel
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation


def shown_amount(value: Decimal) -> str:
    """An amount as people write it: two decimals, more only when stored (769.1121, 1351.21)."""
    two = value.quantize(Decimal("0.01"))
    return format(two if two == value else value.normalize(), "f")


class MoneyFormField(forms.DecimalField):
    """Shows a stored 1351.2100 as 1351.21 in the input, keeping any further digits entered."""

    def prepare_value(self, value: Any) -> Any:
        return shown_amount(value) if isinstance(value, Decimal) else value


class MoneyField(models.DecimalField):
    """An amount in 万元. Four decimals keep figures such as 769.1121 万元 exact (to one yuan)."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})


NOT_NEGATIVE = MinValueValidator(Decimal(0), message=_("金额不能为负数。"))


def money_field(label: Any, *, signed: bool = False, **kwargs: Any) -> MoneyField:
    """An amount; only adjustments and carry-overs (`signed`) can be below zero."""
    validators = [] if signed else [NOT_NEGATIVE]
    return MoneyField(
        label,
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        validators=validators,
        **kwargs,
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


Part = TypeVar("Part", bound=EvaluationPart)


def _reverse(model: type[models.Model]) -> ForeignObjectRel:
    """The evaluation's side of `model.evaluation` (its accessor and cache)."""
    return cast(ForeignObjectRel, model._meta.get_field("evaluation").remote_field)


def part_accessors() -> list[str]:
    """The reverse one-to-one names of every EvaluationPart model, for one select_related."""
    from django.apps import apps

    return [
        str(_reverse(model).get_accessor_name())
        for model in apps.get_app_config("evaluations").get_models()
        if issubclass(model, EvaluationPart)
    ]


def part_of(evaluation: Evaluation, model: type[Part], *, fresh: bool = False) -> Part | None:
    """The evaluation's row of `model`: from the select_related cache when loaded, else a query."""
    relation = _reverse(model)
    if not fresh and relation.is_cached(evaluation):
        try:
            row = cast(Part, getattr(evaluation, str(relation.get_accessor_name())))
        except model.DoesNotExist:
            return None
        # A blank form's unsaved row caches itself on the evaluation too: it is not a saved row.
        return None if row._state.adding else row
    return model.objects.filter(evaluation=evaluation).first()


def forget_part(evaluation: Evaluation, row: EvaluationPart) -> None:
    """After a save, the next read of this part asks the database (values as stored, 18633890.00)."""
    relation = _reverse(type(row))
    if relation.is_cached(evaluation):
        relation.delete_cached_value(evaluation)


def rows_of(evaluation: Evaluation, model: type[models.Model], **where: Any) -> list[Any]:
    """The evaluation's rows of `model` matching `where` (attribute == value), in the model's order.

    Served from `prefetch_related` when the caller loaded many evaluations at once (rescoring a
    campaign), else queried. `where` names concrete attributes (`project_id`, not `project`).
    """
    accessor = str(_reverse(model).get_accessor_name())
    prefetched = getattr(evaluation, "_prefetched_objects_cache", {})
    loaded = getattr(evaluation, "_rows_read_once", None)
    if accessor in prefetched:
        rows = prefetched[accessor]
    elif loaded is not None:
        if accessor not in loaded:
            loaded[accessor] = list(model._default_manager.filter(evaluation=evaluation))
        rows = loaded[accessor]
    else:
        return list(model._default_manager.filter(evaluation=evaluation, **where))
    return [row for row in rows if all(getattr(row, k) == v for k, v in where.items())]


@contextmanager
def rows_read_once(evaluation: Evaluation) -> Iterator[None]:
    """Inside the block, `rows_of` reads each table of the evaluation once.

    The checks after a save read some tables several times (the funds tree for the rules, the
    totals and the refreshed cells; each report chapter). Only for reads: rows loaded here are
    shared, so nothing inside the block may change them.
    """
    if hasattr(evaluation, "_rows_read_once"):  # an enclosing block already reads once
        yield
        return
    evaluation._rows_read_once = {}  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del evaluation._rows_read_once  # type: ignore[attr-defined]
