"""`declared_rows`: the indicator rows a department declares, scored target against actual.

Each side is read by `rubrics.engine.targets`; a row is scored by the rule only when both read
as figures that can be compared and its direction is known (`rubrics.engine.directions`).
Anything else is a person's judgement, and the working says why: text that cannot be read
(「无法识别」) or figures that cannot be compared (「口径不一致」) are flagged for a person to confirm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

from rubrics.engine import directions, targets
from rubrics.engine.metrics import percent, points, threshold, written
from rubrics.engine.rules.base import (
    ZERO,
    Context,
    Outcome,
    Rule,
    RuleError,
    judged_score,
    spec_decimal,
)

UNREADABLE = "无法识别"
MISMATCH = "口径不一致，需人工确认"


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
        """By the rule when both sides are comparable figures with a known direction, else judged."""
        target, actual = targets.read(row.get("target")), targets.read(row.get("actual"))
        lead = f"指标值「{target.text or '—'}」，完成值「{actual.text or '—'}」"
        if target.kind == "unreadable" or actual.kind == "unreadable":
            side, reading = (
                ("指标值", target) if target.kind == "unreadable" else ("完成值", actual)
            )
            why = f"{side}「{reading.text}」{UNREADABLE}（{reading.reason}）"
            return self._judged(row, lead, judged, why=why, flag=f"{why}，需人工确认")
        if not (target.quantitative and actual.quantitative):
            return self._judged(row, lead, judged, why=_why_qualitative(target, actual))
        found = targets.reconcile(target, actual)
        if isinstance(found, targets.Mismatch):
            why = f"口径不一致（{found.reason}）"
            return self._judged(row, lead, judged, why=why, flag=f"{MISMATCH}：{found.reason}")
        verdict = directions.infer(
            name=row.get("name") or "",
            level2=row.get("level2") or "",
            target=target,
            unit=found.unit,
            declared=row.get("direction"),
        )
        notes = (
            (*target.notes, *actual.notes, *found.notes)
            if target.notes or actual.notes or found.notes
            else ()
        )
        if verdict.direction is None:
            return self._judged(row, lead, judged, why=_joined(verdict.phrase, notes))
        if found.kind == "deadline" and not targets.achieved(found, verdict.direction):
            why = _joined(
                f"完成时间 {_shown(found.actual, found)} 晚于 {_shown(found.target, found)}", notes
            )
            return self._judged(row, lead, judged, why=why)
        return _quantitative(lead, found, verdict, notes, weight=row["weight"])

    def _judged(
        self,
        row: Mapping[str, Any],
        lead: str,
        judged: Decimal | None,
        *,
        why: str,
        flag: str = "",
    ) -> Outcome:
        """A person's score within the row's weight, checked against the qualitative tiers."""
        weight = row["weight"]
        flags = (flag,) if flag else ()
        score, notes = judged_score(Context(weight=weight, inputs={}, judged=judged))
        if score is None:
            text = f"{lead}：{why}，需人工评定，尚无评分"
            return Outcome(None, text, judgement=True, notes=flags)
        notes += self._tier_notes(row, weight=weight, score=score)
        text = f"{lead}：{why}，人工评定 {points(score)} 分"
        return Outcome(score, text, judgement=True, notes=(*flags, *notes))

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


def _why_qualitative(target: targets.Reading, actual: targets.Reading) -> str:
    """Which side is words, and why."""
    if actual.kind == "empty":
        return "未填完成值"
    if target.kind == "empty":
        return "未填指标值，按定性指标评定"
    if target.quantitative:
        return f"完成值为文字（{actual.reason}），按定性指标评定"
    if target.kind == "range":
        return "指标值为区间，按定性指标评定"
    return "定性指标"


def _quantitative(
    lead: str,
    found: targets.Comparison,
    verdict: directions.Verdict,
    notes: tuple[str, ...],
    *,
    weight: Decimal,
) -> Outcome:
    direction = verdict.direction
    assert direction is not None  # noqa: S101 (the caller judged rows without one)
    target, actual = found.shown or (_shown(found.target, found), _shown(found.actual, found))
    after = "；".join((verdict.phrase, *notes)) if notes else verdict.phrase
    if targets.achieved(found, direction):
        sign = "≥" if direction == "higher" else "≤"
        whole = _points(weight)
        return Outcome(
            weight, f"{lead}：{actual} {sign} {target}，达到指标值，得 {whole} 分；{after}"
        )
    share = targets.ratio(found, direction)
    if share == 0:
        return Outcome(ZERO, f"{lead}：未达到指标值且无法按比例计分，得 0 分；{after}")
    score = weight * share
    fraction = f"{actual} ÷ {target}" if direction == "higher" else f"{target} ÷ {actual}"
    text = (
        f"{lead}：未达到指标值，{_points(weight)} × {fraction} = {points(score)} 分"
        f"（完成比例 {percent(share)}）；{after}"
    )
    return Outcome(score, text)


@lru_cache(maxsize=1024)
def _points(weight: Decimal) -> str:
    """A row's weight as shown: lists give many rows the same weight."""
    return points(weight)


def _shown(value: Decimal, found: targets.Comparison) -> str:
    """A figure of the comparison as people write it: 95%, 12月31日, 25000."""
    if found.kind == "percent":
        return f"{written(value * 100)}%"
    if found.kind == "deadline":
        year, rest = divmod(int(value), 10000)
        return targets.deadline_text(Decimal(rest), year or None)
    if found.shown_word:
        return f"{written(value / found.shown_scale)}{found.shown_word}"
    return written(value)


def _joined(first: str, notes: tuple[str, ...]) -> str:
    return "；".join((first, *notes))


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
