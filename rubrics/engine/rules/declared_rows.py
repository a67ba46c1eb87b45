"""`declared_rows`: the indicator rows a department declares, scored target against actual."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rubrics.engine import targets
from rubrics.engine.metrics import percent, plain, points, threshold
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
class QualitativeTier:
    """A band of the weight for qualitative rows, e.g. 达成年度指标: [80%, 100%]."""

    label: str
    low: Decimal
    high: Decimal
    completion: targets.Completion


@dataclass(frozen=True)
class DeclaredRowsRule(Rule):
    """The indicator rows a department declares under the listed 一级指标, scored target vs actual."""

    kind: ClassVar[str] = "declared_rows"
    level1: tuple[str, ...]
    tiers: tuple[QualitativeTier, ...] = ()

    def score_row(self, row: Mapping[str, Any], *, judged: Decimal | None) -> Outcome:
        """Quantitative when target and actual both read as numbers, else a bounded judgement."""
        weight = row["weight"]
        target = targets.parse_quantity(row.get("target"))
        actual = targets.parse_quantity(row.get("actual"))
        comparison = targets.compare(target, actual) if target and actual else None
        if target is not None and comparison is not None:
            return _quantitative(row, target, comparison, weight=weight)
        return self._qualitative(
            row, weight=weight, judged=judged, numeric_target=target is not None
        )

    def _qualitative(
        self,
        row: Mapping[str, Any],
        *,
        weight: Decimal,
        judged: Decimal | None,
        numeric_target: bool,
    ) -> Outcome:
        lead = f"指标值「{row.get('target') or '—'}」，完成值「{row.get('actual') or '—'}」"
        if numeric_target:
            lead += "（完成值不是可比较的数字）"
        score, notes = judged_score(Context(weight=weight, inputs={}, judged=judged))
        if score is None:
            return Outcome(None, f"{lead}，定性指标，尚无评分", judgement=True)
        notes += self._tier_notes(row, weight=weight, score=score)
        text = f"{lead}，定性指标，人工评定 {points(score)} 分"
        return Outcome(score, text, judgement=True, notes=notes)

    def _tier_notes(
        self, row: Mapping[str, Any], *, weight: Decimal, score: Decimal
    ) -> tuple[str, ...]:
        completion = targets.completion_of(row.get("actual"))
        tier = next((t for t in self.tiers if t.completion == completion), None)
        if tier is None or weight == 0:
            return ()
        share = score / weight
        if tier.low <= share <= tier.high:
            return ()
        return (
            f"完成值「{row.get('actual')}」属「{tier.label}」档（{threshold(tier.low)}–"
            f"{threshold(tier.high)}），评定 {points(score)} 分（{percent(share)}）不在该档",
        )


def _quantitative(
    row: Mapping[str, Any],
    target: targets.Quantity,
    comparison: targets.Comparison,
    *,
    weight: Decimal,
) -> Outcome:
    direction = targets.direction_for(target, row.get("direction"))
    share = targets.ratio(comparison, direction)
    score = weight * share
    sign = "≥" if direction == "higher" else "≤"
    lead = f"指标值「{row.get('target')}」，完成值「{row.get('actual')}」"
    numbers = f"{plain(comparison.actual)} {sign} {plain(comparison.target)}"
    if targets.achieved(comparison, direction):
        return Outcome(weight, f"{lead}：{numbers}，达到指标值，得 {points(weight)} 分")
    if share == 0:
        return Outcome(ZERO, f"{lead}：未达到指标值且无法按比例计分，得 0 分")
    fraction = (
        f"{plain(comparison.actual)} ÷ {plain(comparison.target)}"
        if direction == "higher"
        else f"{plain(comparison.target)} ÷ {plain(comparison.actual)}"
    )
    text = (
        f"{lead}：未达到指标值，{points(weight)} × {fraction} = {points(score)} 分"
        f"（完成比例 {percent(share)}）"
    )
    return Outcome(score, text)


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> DeclaredRowsRule:
    """The rule a `kind: declared_rows` spec describes; RuleError when it is wrong."""
    level1 = tuple(str(name) for name in spec.get("level1") or ())
    if not level1:
        raise RuleError("declared_rows 须列出 level1（一级指标名称）")
    tiers = []
    for raw in spec.get("qualitative_tiers") or ():
        low, high = spec_decimal(raw, "low"), spec_decimal(raw, "high")
        completion = raw.get("completion")
        if completion not in ("achieved", "partial", "missed") or not ZERO <= low <= high <= 1:
            raise RuleError("qualitative_tiers 的每一档须有 completion 和 0 ≤ low ≤ high ≤ 1")
        tiers.append(QualitativeTier(str(raw.get("label") or ""), low, high, completion))
    return DeclaredRowsRule(level1=level1, tiers=tuple(tiers))
