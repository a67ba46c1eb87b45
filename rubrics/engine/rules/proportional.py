"""`proportional`: the weight times a metric, kept within [0, weight]."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rubrics.engine.metrics import Metric, percent, points
from rubrics.engine.rules.base import (
    ZERO,
    Case,
    Context,
    NoValue,
    Outcome,
    Rule,
    clamp,
    metric_first,
    no_value_outcome,
    spec_cases,
    spec_metric,
    spec_no_value,
)


@dataclass(frozen=True)
class ProportionalRule(Rule):
    """weight × metric, never above the weight nor below 0; cases (e.g. 0 when over plan) first."""

    kind: ClassVar[str] = "proportional"
    metric: Metric
    cases: tuple[Case, ...] = ()
    if_no_value: NoValue = "review"

    def evaluate(self, ctx: Context) -> Outcome:
        value, settled = metric_first(self.metric, self.cases, ctx.inputs)
        if settled is not None:
            return settled
        if value.value is None:
            return no_value_outcome(self.if_no_value, weight=ctx.weight, metric=value)
        raw = ctx.weight * value.value
        score = clamp(raw, ZERO, ctx.weight)
        text = f"{value.working}；{points(ctx.weight)} × {percent(value.value)} = {points(raw)}"
        if raw > ctx.weight:
            text += f"，超过分值，按 {points(ctx.weight)} 分计"
        elif raw < ZERO:
            text += "，低于 0，按 0 分计"
        else:
            text += " 分"
        return Outcome(score, text, (value,))


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> ProportionalRule:
    """The rule a `kind: proportional` spec describes; RuleError when it is wrong."""
    return ProportionalRule(
        metric=spec_metric(spec),
        cases=spec_cases(spec, weight=weight),
        if_no_value=spec_no_value(spec),
    )
