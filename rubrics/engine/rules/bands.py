"""`bands`: points by the band a metric falls in (e.g. 预算执行率 ≥ 95% → full marks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any, ClassVar

from rubrics.engine import targets
from rubrics.engine.metrics import Metric, plain, points, threshold
from rubrics.engine.rules.base import (
    ZERO,
    Case,
    Context,
    NoValue,
    Outcome,
    Rule,
    RuleError,
    metric_first,
    no_value_outcome,
    spec_cases,
    spec_decimal,
    spec_metric,
    spec_no_value,
    spec_points,
)


@dataclass(frozen=True)
class Band:
    """One step of a banded rule: at or beyond `limit` (in the rule's direction) earns `points`."""

    limit: Decimal
    points: Decimal


@dataclass(frozen=True)
class BandsRule(Rule):
    """Points by the band a metric falls in; `higher` uses ≥ limits, `lower` uses ≤ limits."""

    kind: ClassVar[str] = "bands"
    metric: Metric
    direction: targets.Direction
    bands: tuple[Band, ...]
    otherwise: Decimal
    cases: tuple[Case, ...] = ()
    if_no_value: NoValue = "review"

    def points_for(self, value: Decimal) -> tuple[Decimal, str]:
        """Points for `value` and the band it falls in, written as an interval."""
        higher = self.direction == "higher"
        previous: Decimal | None = None
        for band in self.bands:
            if (value >= band.limit) if higher else (value <= band.limit):
                return band.points, self._interval(band.limit, previous)
            previous = band.limit
        last = threshold(self.bands[-1].limit)
        return self.otherwise, f"(-∞, {last})" if higher else f"({last}, +∞)"

    def _interval(self, limit: Decimal, previous: Decimal | None) -> str:
        if self.direction == "higher":
            upper = "+∞" if previous is None else threshold(previous)
            return f"[{threshold(limit)}, {upper})"
        lower = "-∞" if previous is None else threshold(previous)
        return f"({lower}, {threshold(limit)}]"

    def evaluate(self, ctx: Context) -> Outcome:
        value, settled = metric_first(self.metric, self.cases, ctx.inputs)
        if settled is not None:
            return settled
        if value.value is None:
            return no_value_outcome(self.if_no_value, weight=ctx.weight, metric=value)
        score, interval = self.points_for(value.value)
        text = f"{value.working}，落在 {interval}，得 {points(score)} 分"
        return Outcome(score, text, (value,))


def parse(spec: Mapping[str, Any], *, weight: Decimal) -> BandsRule:
    """The rule a `kind: bands` spec describes; RuleError when it is wrong."""
    direction = spec.get("direction", "higher")
    if direction not in ("higher", "lower"):
        raise RuleError(f"direction 只能是 higher 或 lower，而不是「{direction}」")
    key = "at_least" if direction == "higher" else "at_most"
    raw_bands = spec.get("bands") or ()
    if not raw_bands:
        raise RuleError("bands 不能为空")
    bands = tuple(
        Band(spec_decimal(raw, key), spec_points(raw, weight=weight)) for raw in raw_bands
    )
    otherwise = spec_points(spec, weight=weight, key="otherwise") if "otherwise" in spec else ZERO
    _check_monotonic(bands, otherwise=otherwise, higher=direction == "higher", weight=weight)
    return BandsRule(
        metric=spec_metric(spec),
        direction=direction,
        bands=bands,
        otherwise=otherwise,
        cases=spec_cases(spec, weight=weight),
        if_no_value=spec_no_value(spec),
    )


def _check_monotonic(
    bands: Sequence[Band], *, otherwise: Decimal, higher: bool, weight: Decimal
) -> None:
    """Limits strictly ordered in the rule's direction, points never rising as results worsen."""
    for better, worse in pairwise(bands):
        ordered = better.limit > worse.limit if higher else better.limit < worse.limit
        if not ordered:
            raise RuleError("各档界限须按由好到差的顺序排列且不重复")
        if worse.points > better.points:
            raise RuleError("较差档的分值不能高于较好档")
    if otherwise > bands[-1].points:
        raise RuleError("otherwise 分值不能高于最后一档")
    if bands[0].points != weight:
        raise RuleError(f"最好一档应得满分 {plain(weight)}，而不是 {plain(bands[0].points)}")
