"""`parts`: a composite indicator whose criteria are scored separately and added."""

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
    clamp,
    missing_outcome,
    spec_points,
)

# Kinds that score a whole indicator from totals or rows, never a part of one.
WHOLE_ITEM_KINDS = frozenset({"deviation", "bonus_penalty", "declared_rows", "parts"})


@dataclass(frozen=True)
class Part:
    """One scored criterion of a composite indicator."""

    label: str
    points: Decimal
    rule: Rule


@dataclass(frozen=True)
class PartsRule(Rule):
    """Criteria scored separately and added; a judgement part takes what the person's score leaves."""

    kind: ClassVar[str] = "parts"
    parts: tuple[Part, ...]

    @property
    def judgement(self) -> bool:
        """A composite needs a person when one of its parts does."""
        return any(part.rule.judgement for part in self.parts)

    def evaluate(self, ctx: Context) -> Outcome:
        computed = [
            (part, self._computed(part, ctx)) for part in self.parts if not part.rule.judgement
        ]
        missing = sorted({name for _, outcome in computed for name in outcome.missing})
        if missing:
            return missing_outcome(missing)
        if any(outcome.score is None for _, outcome in computed):
            text = "；".join(f"{p.label}：{o.explanation}" for p, o in computed)
            return Outcome(None, text)
        known = sum((outcome.score for _, outcome in computed if outcome.score is not None), ZERO)
        lines = {id(part): f"{part.label}：{outcome.explanation}" for part, outcome in computed}
        total = known
        notes: tuple[str, ...] = ()
        for part in self.parts:
            if part.rule.judgement:
                share, notes = self._judged_share(part, ctx, known)
                if share is None:
                    return Outcome(None, f"{part.label}：人工评分部分尚无评分", judgement=True)
                total += share
                lines[id(part)] = f"{part.label}：人工评定 {points(share)} 分"
        text = "；".join(lines[id(part)] for part in self.parts) + f"；合计 {points(total)} 分"
        return Outcome(total, text, judgement=self.judgement, notes=notes)

    @staticmethod
    def _computed(part: Part, ctx: Context) -> Outcome:
        return part.rule.evaluate(Context(weight=part.points, inputs=ctx.inputs))

    @staticmethod
    def _judged_share(
        part: Part, ctx: Context, known: Decimal
    ) -> tuple[Decimal | None, tuple[str, ...]]:
        """The person scores the whole indicator; the judged part is what remains of it."""
        if ctx.judged is None:
            return None, ()
        share = clamp(ctx.judged - known, ZERO, part.points)
        if share == ctx.judged - known:
            return share, ()
        note = (
            f"评定 {points(ctx.judged)} 分与可计算部分 {points(known)} 分不相容，"
            f"人工部分按 {points(share)} 分计"
        )
        return share, (note,)


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> PartsRule:
    """The rule a `kind: parts` spec describes; RuleError when it is wrong."""
    # Each part is a rule of its own kind: the registry imports this module, so it is read here.
    from rubrics.engine.rules import parse_rule

    parts = []
    for raw in spec.get("parts") or ():
        part_points = spec_points(raw, weight=weight)
        rule = parse_rule(raw.get("rule") or {}, weight=part_points)
        if rule.kind in WHOLE_ITEM_KINDS:
            raise RuleError(f"parts 中不能使用 {rule.kind}")
        parts.append(Part(str(raw.get("label") or ""), part_points, rule))
    if not parts:
        raise RuleError("parts 不能为空")
    if sum((p.points for p in parts), ZERO) != weight:
        raise RuleError(f"各部分分值合计应等于本指标分值 {plain(weight)}")
    if sum(1 for p in parts if p.rule.judgement) > 1:
        raise RuleError("parts 中最多一个人工评分部分")
    return PartsRule(parts=tuple(parts))
