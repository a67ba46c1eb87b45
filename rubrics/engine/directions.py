"""Which way an indicator row counts: higher or lower is better, and why.

The row's declared direction wins; then the target's comparator (「≥」「不低于」「以内」); then a
deadline (earlier is better) or an increase or decrease (more is better); then the words of
`data/directions.yaml` found in the indicator's name, its unit and its 二级指标. Nothing found:
no direction, and the row is left to a person with the reason.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rubrics.engine import vocabulary
from rubrics.engine.targets import CACHED_LENGTH, Reading, normalise
from rubrics.engine.vocabulary import Direction

UNKNOWN_REASON = "行中未申报方向，指标值未写“≥”“≤”，名称、单位和二级指标也未表明方向"


class Verdict(NamedTuple):
    """A direction (None when it cannot be told), the reason, and both in a phrase for the working:
    「按“越低越好”计分（名称含“控制率”）」. Made once per direction and reason (`_verdict`)."""

    direction: Direction | None
    reason: str
    phrase: str


@lru_cache(maxsize=1024)
def _verdict(direction: Direction | None, reason: str) -> Verdict:
    if direction is None:
        return Verdict(None, reason, f"无法判断越高越好还是越低越好（{reason}）")
    better = "越高越好" if direction == "higher" else "越低越好"
    return Verdict(direction, reason, f"按“{better}”计分（{reason}）")


def infer(
    *, name: str, level2: str, target: Reading, unit: str, declared: Direction | None
) -> Verdict:
    """The direction of a row, in the order the module's docstring gives."""
    if declared is not None:
        return _verdict(declared, "申报的方向")
    comparator = target.comparator
    if comparator is not None and comparator != "=":
        higher = comparator in (">=", ">")
        return _verdict("higher" if higher else "lower", f"指标值含“{target.comparator_word}”")
    if target.kind == "deadline":
        return _verdict("lower", "指标值为时间节点，越早越好")
    if target.change:
        return _verdict("higher", f"指标值为{target.change}")
    if len(name) + len(level2) + len(unit) <= CACHED_LENGTH:
        return _by_words_cached(name, level2, unit)
    return _by_words(name, level2, unit)


def _by_words(name: str, level2: str, unit: str) -> Verdict:
    words = vocabulary.direction_words()
    for section, text, what in (
        ("names", normalise(name), "名称含"),
        ("units", unit, "单位为"),
        ("level2", normalise(level2), "二级指标为"),
    ):
        if not text:
            continue
        for entry in words[section]:
            if entry.word in text:
                return _verdict(entry.direction, f"{what}“{entry.word}”")
    return _verdict(None, UNKNOWN_REASON)


_by_words_cached = lru_cache(maxsize=16_384)(_by_words)
