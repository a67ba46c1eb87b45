"""`tiers`: a person picks one of the tiers the sheet names (好、较好、一般 …)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
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
class Tier:
    """A qualitative level the sheet names, with the points it is worth."""

    label: str
    points: Decimal


@dataclass(frozen=True)
class TiersRule(Rule):
    """A person picks a tier; a score between tiers is taken down to the tier below it."""

    kind: ClassVar[str] = "tiers"
    person_scored: ClassVar[bool] = True
    tiers: tuple[Tier, ...]

    def evaluate(self, ctx: Context) -> Outcome:
        judged, notes = judged_score(ctx)
        if judged is None:
            return Outcome(None, "人工评档项，尚无评分", judgement=True)
        tier = next(t for t in self.tiers if t.points <= judged)
        if tier.points != judged:
            values = "、".join(points(t.points) for t in self.tiers)
            notes += (
                f"评定 {points(judged)} 分不是档次分值（{values}），按 {points(tier.points)} 分计",
            )
        text = f"评定为「{tier.label}」档，得 {points(tier.points)} 分"
        return Outcome(tier.points, text, judgement=True, notes=notes)


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> TiersRule:
    """The rule a `kind: tiers` spec describes; RuleError when it is wrong."""
    tiers = tuple(
        Tier(str(raw.get("label") or ""), spec_points(raw, weight=weight))
        for raw in spec.get("tiers") or ()
    )
    if not tiers:
        raise RuleError("tiers 不能为空")
    if any(a.points <= b.points for a, b in pairwise(tiers)):
        raise RuleError("各档分值须由高到低且不重复")
    if tiers[0].points != weight or tiers[-1].points != ZERO:
        raise RuleError(f"最高档应为满分 {plain(weight)}，最低档应为 0 分")
    return TiersRule(tiers=tiers)
