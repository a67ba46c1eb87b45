"""Rule kinds of the scoring sheets: each parses its YAML spec once and scores one indicator.

One module per kind (`kind: bands` is `bands.py`), the shared base in `base.py`, and here the
registry that turns a spec into the rule it names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from rubrics.engine.rules import (
    bands,
    bonus_penalty,
    compare_aggregate,
    conditions,
    declared_rows,
    deviation,
    judgement,
    parts,
    proportional,
    tiers,
    timeliness,
)
from rubrics.engine.rules.bands import BandsRule
from rubrics.engine.rules.base import Context, Outcome, Rule, RuleError, clamp
from rubrics.engine.rules.bonus_penalty import BonusPenaltyRule
from rubrics.engine.rules.declared_rows import DeclaredRowsRule
from rubrics.engine.rules.deviation import DeviationRule
from rubrics.engine.rules.judgement import JudgementRule

__all__ = [
    "BandsRule",
    "BonusPenaltyRule",
    "Context",
    "DeclaredRowsRule",
    "DeviationRule",
    "JudgementRule",
    "Outcome",
    "Rule",
    "RuleError",
    "clamp",
    "parse_rule",
]

_PARSERS: dict[str, Callable[..., Rule]] = {
    "bands": bands.parse,
    "proportional": proportional.parse,
    "conditions": conditions.parse,
    "compare_aggregate": compare_aggregate.parse,
    "timeliness": timeliness.parse,
    "judgement": judgement.parse,
    "tiers": tiers.parse,
    "parts": parts.parse,
    "deviation": deviation.parse,
    "bonus_penalty": bonus_penalty.parse,
    "declared_rows": declared_rows.parse,
}


def parse_rule(spec: Any, *, weight: Decimal) -> Rule:
    """Build the rule a YAML spec describes; RuleError says what is wrong with it."""
    if not isinstance(spec, Mapping):
        raise RuleError("rule 须是一个映射")
    kind = spec.get("kind")
    if kind not in _PARSERS:
        raise RuleError(f"未知的规则类型「{kind}」")
    try:
        return _PARSERS[kind](spec, weight=weight)
    except (KeyError, TypeError, AttributeError) as error:
        raise RuleError(f"规则 {kind} 的写法有误：{error}") from error
