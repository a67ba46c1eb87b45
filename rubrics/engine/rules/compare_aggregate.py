"""`compare_aggregate`: full marks when a metric is above the jurisdiction's aggregate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rubrics.engine.metrics import INPUTS, Metric, percent, points
from rubrics.engine.rules.base import (
    ZERO,
    Context,
    Outcome,
    Rule,
    RuleError,
    missing_outcome,
    spec_metric,
)


@dataclass(frozen=True)
class CompareAggregateRule(Rule):
    """Full marks when the metric is above the jurisdiction's aggregate (supplied as an input)."""

    kind: ClassVar[str] = "compare_aggregate"
    metric: Metric
    aggregate: str
    strict: bool = True

    def evaluate(self, ctx: Context) -> Outcome:
        value = self.metric.compute(ctx.inputs)
        average: Decimal | None = ctx.inputs.get(self.aggregate)
        if average is None or value.missing:
            absent = {self.aggregate} if average is None else set()
            return missing_outcome(sorted(set(value.missing) | absent), (value,))
        if value.value is None:
            return Outcome(None, f"{value.working}，需审核人评定", (value,))
        above = value.value > average or (not self.strict and value.value == average)
        score = ctx.weight if above else ZERO
        relation = "高于" if value.value > average else "等于" if value.value == average else "低于"
        label = INPUTS[self.aggregate].label
        text = (
            f"{value.working}，{relation}{label} {percent(average)}（{self.aggregate}），"
            f"得 {points(score)} 分"
        )
        return Outcome(score, text, (value,))


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> CompareAggregateRule:
    """The rule a `kind: compare_aggregate` spec describes; RuleError when it is wrong."""
    aggregate = spec.get("aggregate")
    if aggregate not in INPUTS or INPUTS[aggregate].kind != "ratio":
        raise RuleError(f"引用了未知输入「{aggregate}」")
    return CompareAggregateRule(
        metric=spec_metric(spec), aggregate=aggregate, strict=bool(spec.get("strict", True))
    )
