"""Reading project targets and actuals as people write them: 「≥20」「95%以上」「8094万美元」「完成」.

A value with a number (and optionally a comparator and a unit) is a Quantity; anything else
(「≤预算」「年底前」「完成」) is qualitative and scored by judgement.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Comparator = Literal[">=", ">", "<=", "<", "="]
Direction = Literal["higher", "lower"]
Completion = Literal["achieved", "partial", "missed"]

_PREFIX_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    ("大于等于", ">="),
    ("小于等于", "<="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("至少", ">="),
    ("达到", ">="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("不多于", "<="),
    ("不大于", "<="),
    ("控制在", "<="),
    ("大于", ">"),
    ("高于", ">"),
    ("超过", ">"),
    ("多于", ">"),
    ("小于", "<"),
    ("低于", "<"),
    ("少于", "<"),
    ("等于", "="),
    (">=", ">="),
    ("<=", "<="),
    ("≥", ">="),
    ("≧", ">="),
    ("≤", "<="),
    ("≦", "<="),
    (">", ">"),
    ("<", "<"),
    ("=", "="),
)

_SUFFIX_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    ("及以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
    ("之内", "<="),
)

_NUMBER = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(.*)$")
_UNIT = re.compile(r"^[^\d\s,.，。；;、（）()]{0,6}$")
_SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}
_PERCENT = {"%": Decimal(100), "‰": Decimal(1_000)}

_MISSED_WORDS = ("未完成", "未达成", "未实现", "未达到", "没有完成", "没完成", "未能完成")
_PARTIAL_WORDS = ("部分完成", "部分达成", "部分实现", "基本完成", "基本达成", "基本实现")
_ACHIEVED_WORDS = ("完成", "达成", "实现", "达到", "已达", "超额")


@dataclass(frozen=True)
class Quantity:
    """A number as written: value in its own unit (percentages as ratios), unit and comparator."""

    value: Decimal
    unit: str
    comparator: Comparator | None
    text: str

    @property
    def direction(self) -> Direction | None:
        """higher for ≥/>, lower for ≤/<, None when the text says neither."""
        if self.comparator in (">=", ">"):
            return "higher"
        if self.comparator in ("<=", "<"):
            return "lower"
        return None


@dataclass(frozen=True)
class Comparison:
    """A target and an actual brought to the same unit, ready for scoring."""

    target: Decimal
    actual: Decimal
    unit: str


def normalise(text: str) -> str:
    """Full-width characters to ASCII (NFKC) and no inner spaces: 「＞ ２０％」 → 「>20%」."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_quantity(text: str | None) -> Quantity | None:
    """Read 「≥20」「95%以上」「8094万美元」; None when the text is not a plain quantity."""
    if text is None:
        return None
    body = normalise(str(text))
    comparator, body = _strip_prefix(body)
    body, suffix = _strip_suffix(body)
    if comparator is not None and suffix is not None and comparator != suffix:
        return None
    match = _NUMBER.match(body)
    if not match or not _UNIT.match(match.group(2)):
        return None
    try:
        value = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    unit = match.group(2)
    if unit in _PERCENT:
        value = value / _PERCENT[unit]
    return Quantity(value=value, unit=unit, comparator=comparator or suffix, text=str(text))


def _strip_prefix(body: str) -> tuple[Comparator | None, str]:
    for word, comparator in _PREFIX_COMPARATORS:
        if body.startswith(word):
            return comparator, body[len(word) :]
    return None, body


def _strip_suffix(body: str) -> tuple[str, Comparator | None]:
    for word, comparator in _SUFFIX_COMPARATORS:
        if body.endswith(word):
            return body[: -len(word)], comparator
    return body, None


def compare(target: Quantity, actual: Quantity) -> Comparison | None:
    """Bring both sides to one unit; None when the units cannot be reconciled (个 vs 吨)."""
    if not target.unit or not actual.unit or target.unit == actual.unit:
        return Comparison(target.value, actual.value, target.unit or actual.unit)
    target_scale, target_base = _split_unit(target.unit)
    actual_scale, actual_base = _split_unit(actual.unit)
    if target_base != actual_base or target.unit in _PERCENT or actual.unit in _PERCENT:
        return None
    return Comparison(target.value * target_scale, actual.value * actual_scale, target_base)


def _split_unit(unit: str) -> tuple[Decimal, str]:
    """「万美元」 → (10000, 「美元」); 「吨」 → (1, 「吨」)."""
    if len(unit) > 1 and unit[0] in _SCALES:
        return _SCALES[unit[0]], unit[1:]
    return Decimal(1), unit


def direction_for(
    target: Quantity, declared: Direction | None, *, default: Direction = "higher"
) -> Direction:
    """The row's declared direction wins; else the target's comparator; else higher is better."""
    return declared or target.direction or default


def completion_of(text: str | None) -> Completion | None:
    """How a qualitative actual reads: 「完成」 achieved, 「部分完成」 partial, 「未完成」 missed."""
    if not text:
        return None
    body = normalise(str(text))
    if any(word in body for word in _MISSED_WORDS):
        return "missed"
    if any(word in body for word in _PARTIAL_WORDS):
        return "partial"
    if any(word in body for word in _ACHIEVED_WORDS):
        return "achieved"
    return None


def achieved(comparison: Comparison, direction: Direction) -> bool:
    """Whether the actual meets the target in the direction that counts."""
    if direction == "higher":
        return comparison.actual >= comparison.target
    return comparison.actual <= comparison.target


def ratio(comparison: Comparison, direction: Direction) -> Decimal:
    """Share of the target reached, within [0, 1]: actual/target, or target/actual if lower."""
    if achieved(comparison, direction):
        return Decimal(1)
    numerator, denominator = (
        (comparison.actual, comparison.target)
        if direction == "higher"
        else (comparison.target, comparison.actual)
    )
    # A missed target with a non-positive side has no meaningful proportion: no points.
    # Otherwise the target was missed, so the share is below 1.
    if numerator <= 0 or denominator <= 0:
        return Decimal(0)
    return numerator / denominator
