"""`bonus_penalty` (加减分项): capped points per commendation and per accountability finding."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rubrics.engine.metrics import INPUTS, label_of, points
from rubrics.engine.rules.base import ZERO, Context, Outcome, Rule, RuleError, spec_decimal


@dataclass(frozen=True)
class Adjustment:
    """Points per counted item of an input, capped."""

    input: str
    per_item: Decimal
    cap: Decimal
    label: str

    def count(self, value: Any) -> int:
        """An integer as given; a list counted once per distinct matter (same title, once); an
        empty entry (null) is no matter (the scoring warns of it)."""
        if isinstance(value, list):
            return len({_matter(entry) for entry in value if entry is not None})
        return max(0, int(value))

    def apply(self, value: Any) -> tuple[Decimal, str]:
        count = self.count(value)
        raw = self.per_item * count
        amount = min(self.cap, raw)
        text = f"{self.label} {count} 项 × {points(self.per_item)} 分 = {points(raw)} 分"
        if raw > self.cap:
            text += f"，超过上限 {points(self.cap)} 分，按 {points(self.cap)} 分计"
        return amount, text


def _matter(entry: Any) -> str:
    if isinstance(entry, Mapping):
        return str(entry.get("title") or entry.get("matter") or sorted(entry.items()))
    return str(entry)


@dataclass(frozen=True)
class BonusPenaltyRule(Rule):
    """加减分项: a capped bonus per commendation and a capped penalty per accountability finding."""

    kind: ClassVar[str] = "bonus_penalty"
    bonus: Adjustment | None
    penalty: Adjustment | None

    def amounts(self, inputs: Mapping[str, Any]) -> tuple[Decimal, Decimal, str, tuple[str, ...]]:
        """(bonus, penalty, explanation, missing inputs); a missing side counts as 0."""
        bonus = penalty = ZERO
        texts, missing = [], []
        for side, sign in ((self.bonus, "加分"), (self.penalty, "减分")):
            if side is None:
                continue
            value = inputs.get(side.input)
            if value is None:
                missing.append(side.input)
                texts.append(f"{sign}：缺少 {label_of(side.input)}，按 0 分计")
                continue
            amount, text = side.apply(value)
            texts.append(f"{sign}：{text}")
            if side is self.bonus:
                bonus = amount
            else:
                penalty = amount
        return bonus, penalty, "；".join(texts), tuple(missing)

    def evaluate(self, ctx: Context) -> Outcome:
        bonus, penalty, text, missing = self.amounts(ctx.inputs)
        return Outcome(bonus - penalty, text, missing=missing)


def _adjustment(raw: Any, *, label: str) -> Adjustment | None:
    if raw is None:
        return None
    key = raw.get("input")
    if key not in INPUTS or INPUTS[key].kind != "count_or_list":
        raise RuleError(f"引用了未知输入「{key}」")
    per_item, cap = spec_decimal(raw, "per_item"), spec_decimal(raw, "cap")
    if per_item <= 0 or cap < 0:
        raise RuleError("per_item 须大于 0，cap 不能为负")
    return Adjustment(key, per_item, cap, str(raw.get("label") or label))


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> BonusPenaltyRule:
    """The rule a `kind: bonus_penalty` spec describes; RuleError when it is wrong."""
    rule = BonusPenaltyRule(
        bonus=_adjustment(spec.get("bonus"), label="表彰"),
        penalty=_adjustment(spec.get("penalty"), label="问责"),
    )
    if rule.bonus is None and rule.penalty is None:
        raise RuleError("bonus 与 penalty 至少须有一项")
    return rule
