"""绩效指标 rows (overall and project sheets): the formset, its saving and its rule values."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.http import QueryDict
from django.utils.translation import gettext as _

from evaluations.models import Evaluation, Indicator, ProjectEvaluation
from rubrics.engine.targets import achieved, compare, completion_of, direction_for, parse_quantity

INDICATOR_FIELDS = [
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "score",
    "deviation_note",
]

IndicatorFormSet = modelformset_factory(
    Indicator,
    fields=INDICATOR_FIELDS,
    extra=1,
    can_delete=True,
    widgets={
        "name": forms.Textarea(attrs={"rows": 2}),
        "target": forms.Textarea(attrs={"rows": 2}),
        "actual": forms.Textarea(attrs={"rows": 2}),
        "deviation_note": forms.Textarea(attrs={"rows": 2}),
    },
)


def indicator_formset(
    evaluation: Evaluation,
    project: ProjectEvaluation | None,
    data: QueryDict | None,
    files: Any,
    *,
    prefix: str,
) -> BaseModelFormSet:
    rows = Indicator.objects.filter(evaluation=evaluation, project=project)
    return IndicatorFormSet(data, files, queryset=rows, prefix=prefix)


def save_indicators(
    evaluation: Evaluation, project: ProjectEvaluation | None, formset: BaseModelFormSet
) -> None:
    """Save the rows in the order shown; rows marked for deletion go, blank new rows are skipped."""
    formset.save(commit=False)
    for row in formset.deleted_objects:
        row.delete()
    deleted = set(map(id, formset.deleted_forms))
    kept = [
        form
        for form in formset.forms
        if id(form) not in deleted and (form.instance.pk is not None or form.has_changed())
    ]
    for position, form in enumerate(kept):
        row = form.instance
        if form.has_changed() or row.position != position:
            row.evaluation, row.project, row.position = evaluation, project, position
            row.save()


def misses_target(target: str, actual: str) -> bool:
    """Whether the actual falls short: by number when both sides read as quantities (「≥20」 vs
    「24」), else by its words (「未完成」, 「部分完成」)."""
    planned, done = parse_quantity(target), parse_quantity(actual)
    if planned is not None and done is not None:
        comparison = compare(planned, done)
        if comparison is not None:
            return not achieved(comparison, direction_for(planned, None))
    return completion_of(actual) in ("missed", "partial")


def indicator_values(rows: Iterable[Indicator]) -> dict[str, Any]:
    """`indicators` as the data dictionary describes them, plus the rows' weight and score totals."""
    indicators = []
    for index, row in enumerate(rows):
        missed = misses_target(row.target, row.actual)
        indicators.append(
            {
                "label": _("第 %(n)d 行「%(name)s」") % {"n": index + 1, "name": str(row)},
                "anchor": f"{index}-score",
                "level1": row.level1,
                "level2": row.level2,
                "name": row.name,
                "target": row.target,
                "actual": row.actual,
                "weight": row.weight,
                "score": row.score,
                "direction": None,
                "deviation_note": row.deviation_note,
                "unexplained_miss": Decimal(missed and not row.deviation_note.strip()),
            }
        )
    return {
        "indicators": indicators,
        "indicators_weight_total": _total(row["weight"] for row in indicators),
        "indicators_score_total": _total(row["score"] for row in indicators),
    }


def _total(numbers: Iterable[Decimal | None]) -> Decimal | None:
    present = [number for number in numbers if number is not None]
    return sum(present, Decimal(0)) if present else None
