"""`conditions`: the points of each stated condition on the inputs that holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rubrics.engine.metrics import Formula, Metric, plain, points
from rubrics.engine.rules.base import (
    ZERO,
    Context,
    Outcome,
    Rule,
    RuleError,
    missing_outcome,
    spec_formula,
    spec_metric,
    spec_points,
    undecidable,
)


@dataclass(frozen=True)
class Condition:
    """A statement about inputs worth `points` when it holds."""

    label: str
    when: Formula
    points: Decimal


@dataclass(frozen=True)
class ConditionsRule(Rule):
    """The sum of the points of the conditions that hold."""

    kind: ClassVar[str] = "conditions"
    conditions: tuple[Condition, ...]
    shown: tuple[Metric, ...] = ()

    def evaluate(self, ctx: Context) -> Outcome:
        metrics = tuple(metric.compute(ctx.inputs) for metric in self.shown)
        needed = sorted({name for c in self.conditions for name in c.when.names})
        missing = [name for name in needed if ctx.inputs.get(name) is None]
        if missing:
            return missing_outcome(missing, metrics)
        parts, total = [], ZERO
        for condition in self.conditions:
            holds = condition.when.holds(ctx.inputs)
            if holds is None:
                return undecidable(condition.when, ctx.inputs, metrics)
            gained = condition.points if holds else ZERO
            total += gained
            verdict = "成立" if holds else "不成立"
            shown = condition.when.render(ctx.inputs)
            parts.append(f"{condition.label}：{shown}，{verdict}，得 {points(gained)} 分")
        text = "；".join(parts) + f"；合计 {points(total)} 分"
        if metrics:
            text += "（" + "，".join(f"{m.label} {m.display}" for m in metrics) + "）"
        return Outcome(total, text, metrics)


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> ConditionsRule:
    """The rule a `kind: conditions` spec describes; RuleError when it is wrong."""
    conditions = tuple(
        Condition(
            str(raw.get("label") or raw["when"]),
            spec_formula(raw["when"]),
            spec_points(raw, weight=weight),
        )
        for raw in spec.get("conditions") or ()
    )
    if not conditions:
        raise RuleError("conditions 不能为空")
    if sum((c.points for c in conditions), ZERO) != weight:
        raise RuleError(f"各条件分值合计应等于本指标分值 {plain(weight)}")
    shown = tuple(spec_metric({"metric": key}) for key in spec.get("show_metrics") or ())
    return ConditionsRule(conditions=conditions, shown=shown)
