"""`timeliness`: full marks when the report was submitted by the deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from rubrics.engine.metrics import INPUTS, points
from rubrics.engine.rules.base import ZERO, Context, Outcome, Rule, RuleError, missing_outcome


@dataclass(frozen=True)
class TimelinessRule(Rule):
    """Full marks when the submission time is not later than the deadline."""

    kind: ClassVar[str] = "timeliness"
    submitted: str = "submitted_at"
    deadline: str = "deadline"

    def evaluate(self, ctx: Context) -> Outcome:
        submitted: dt.date | None = ctx.inputs.get(self.submitted)
        deadline: dt.date | None = ctx.inputs.get(self.deadline)
        if submitted is None or deadline is None:
            pairs = ((self.submitted, submitted), (self.deadline, deadline))
            return missing_outcome([key for key, value in pairs if value is None])
        on_time = _not_later(submitted, deadline)
        score = ctx.weight if on_time else ZERO
        verdict = "按时报送" if on_time else "逾期报送"
        text = (
            f"{INPUTS[self.submitted].label} {_when(submitted)}，"
            f"{INPUTS[self.deadline].label} {_when(deadline)}，{verdict}，得 {points(score)} 分"
        )
        return Outcome(score, text)


def _not_later(submitted: dt.date, deadline: dt.date) -> bool:
    """Compare moments; a bare date as deadline means the whole of that day counts."""
    if isinstance(submitted, dt.datetime) and isinstance(deadline, dt.datetime):
        if (submitted.tzinfo is None) != (deadline.tzinfo is None):
            return submitted.replace(tzinfo=None) <= deadline.replace(tzinfo=None)
        return submitted <= deadline
    return _day(submitted) <= _day(deadline)


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _when(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> TimelinessRule:
    """The rule a `kind: timeliness` spec describes; RuleError when it is wrong."""
    submitted = spec.get("submitted", "submitted_at")
    deadline = spec.get("deadline", "deadline")
    for key in (submitted, deadline):
        if key not in INPUTS or INPUTS[key].kind != "datetime":
            raise RuleError(f"引用了未知输入「{key}」")
    return TimelinessRule(submitted=submitted, deadline=deadline)
