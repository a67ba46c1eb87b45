"""`judgement`: a score a person gives against the sheet's sub-criteria."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rubrics.engine.metrics import plain, points
from rubrics.engine.rules.base import (
    ZERO,
    Context,
    Outcome,
    Rule,
    RuleError,
    judged_score,
    spec_points,
)


@dataclass(frozen=True)
class Criterion:
    """One sub-criterion of a judgement item, as the sheet words it."""

    text: str
    points: Decimal


@dataclass(frozen=True)
class JudgementRule(Rule):
    """A score a person enters against the sub-criteria; the engine bounds it by the weight."""

    kind: ClassVar[str] = "judgement"
    person_scored: ClassVar[bool] = True
    criteria: tuple[Criterion, ...] = ()

    def evaluate(self, ctx: Context) -> Outcome:
        score, notes = judged_score(ctx)
        if score is None:
            return Outcome(None, "人工评分项，尚无评分", judgement=True)
        text = f"人工评定 {points(score)} 分（满分 {points(ctx.weight)} 分）"
        return Outcome(score, text, judgement=True, notes=notes)


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> JudgementRule:
    """The rule a `kind: judgement` spec describes; RuleError when it is wrong."""
    criteria = tuple(
        Criterion(str(raw.get("text") or ""), spec_points(raw, weight=weight))
        for raw in spec.get("sub_criteria") or ()
    )
    if sum((c.points for c in criteria), ZERO) > weight:
        raise RuleError(f"子标准分值合计超过本指标分值 {plain(weight)}")
    return JudgementRule(criteria=criteria)
