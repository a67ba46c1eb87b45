"""`deviation`: a person's score less a deduction per step between self and checked totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any, ClassVar

from rubrics.engine.metrics import points
from rubrics.engine.rules.base import (
    ZERO,
    Context,
    Outcome,
    Rule,
    RuleError,
    judged_score,
    spec_decimal,
)


@dataclass(frozen=True)
class DeviationRule(Rule):
    """The person's score less `deduction` for every `step` points between self and checked totals."""

    kind: ClassVar[str] = "deviation"
    person_scored: ClassVar[bool] = True
    step: Decimal
    deduction: Decimal

    def evaluate(self, ctx: Context) -> Outcome:
        base, notes = judged_score(ctx)
        if base is None:
            return Outcome(None, "人工评分项，尚无评分", judgement=True)
        if ctx.self_total is None or ctx.checked_total is None:
            return Outcome(None, "自评总分或核查总分不完整，无法计算误差扣分", judgement=True)
        gap = abs(ctx.self_total - ctx.checked_total)
        steps = (gap / self.step).to_integral_value(rounding=ROUND_FLOOR)
        cut = steps * self.deduction
        score = max(ZERO, base - cut)
        text = (
            f"人工评定 {points(base)} 分；自评总分 {points(ctx.self_total)}，"
            f"核查总分 {points(ctx.checked_total)}，相差 {points(gap)} 分，"
            f"每 {points(self.step)} 分扣 {points(self.deduction)} 分，扣 {points(cut)} 分，"
            f"得 {points(score)} 分"
        )
        return Outcome(score, text, judgement=True, notes=notes)


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> DeviationRule:
    """The rule a `kind: deviation` spec describes; RuleError when it is wrong."""
    step = spec_decimal(spec, "step", default=Decimal(5))
    deduction = spec_decimal(spec, "deduction", default=Decimal("0.5"))
    if step <= 0 or deduction <= 0:
        raise RuleError("step 与 deduction 须大于 0")
    return DeviationRule(step=step, deduction=deduction)
