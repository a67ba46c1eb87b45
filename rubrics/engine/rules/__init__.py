"""Rule kinds of the scoring sheets: each parses its YAML spec once and scores one indicator.

A rule never raises while scoring: missing inputs and zero denominators come back as an
unscored Outcome whose explanation and `missing` say why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from itertools import pairwise
from typing import Any, ClassVar, Literal, cast

from rubrics.engine import targets
from rubrics.engine.metrics import (
    INPUTS,
    METRICS,
    Formula,
    FormulaError,
    Metric,
    MetricValue,
    as_decimal,
    label_of,
    percent,
    plain,
    points,
    threshold,
)

ZERO = Decimal(0)
NoValue = Literal["full", "zero", "review"]


class RuleError(ValueError):
    """A rule spec that cannot be used (unknown kind or input, bad formula, points out of range)."""


@dataclass(frozen=True)
class Context:
    """What a rule may look at: the indicator's weight, the inputs and the scores people gave."""

    weight: Decimal
    inputs: Mapping[str, Any]
    judged: Decimal | None = None
    self_total: Decimal | None = None
    checked_total: Decimal | None = None


@dataclass(frozen=True)
class Outcome:
    """A rule's verdict: score (None when unscored), explanation, metrics shown, missing inputs."""

    score: Decimal | None
    explanation: str
    metrics: tuple[MetricValue, ...] = ()
    missing: tuple[str, ...] = ()
    judgement: bool = False
    notes: tuple[str, ...] = ()


class Rule:
    """Base of the rule kinds; `kind` names the YAML spelling."""

    kind: ClassVar[str]
    person_scored: ClassVar[bool] = False

    @property
    def judgement(self) -> bool:
        """Whether a person's score (claimed or verified) decides this rule."""
        return self.person_scored

    def evaluate(self, ctx: Context) -> Outcome:
        """Score one indicator."""
        raise NotImplementedError(self.kind)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """`value` kept within [low, high]."""
    return max(low, min(high, value))


def _missing_outcome(missing: Sequence[str], metrics: tuple[MetricValue, ...] = ()) -> Outcome:
    names = "、".join(label_of(name) for name in missing)
    return Outcome(None, f"缺少 {names}，未评分", metrics, tuple(missing))


# --- spec reading helpers -------------------------------------------------------------------


def _decimal(spec: Mapping[str, Any], key: str, *, default: Decimal | None = None) -> Decimal:
    if key not in spec:
        if default is None:
            raise RuleError(f"缺少「{key}」")
        return default
    try:
        return as_decimal(spec[key])
    except ValueError as error:
        raise RuleError(f"「{key}」{error}") from error


def _formula(text: Any) -> Formula:
    try:
        return Formula.parse(text)
    except FormulaError as error:
        raise RuleError(str(error)) from error


def _metric(spec: Mapping[str, Any]) -> Metric:
    """The value a rule reads: a data-dictionary metric, or a formula the rubric defines."""
    if "metric" in spec:
        key = spec["metric"]
        if key not in METRICS:
            raise RuleError(f"引用了未知指标值「{key}」")
        return METRICS[key]
    if "formula" in spec:
        label = str(spec.get("label") or "")
        if not label:
            raise RuleError("自定义公式须有 label（中文名称）")
        return Metric("", label, _formula(spec["formula"]))
    raise RuleError("须指定 metric 或 formula")


def _points(spec: Mapping[str, Any], *, weight: Decimal, key: str = "points") -> Decimal:
    value = _decimal(spec, key)
    if not ZERO <= value <= weight:
        raise RuleError(f"分值 {plain(value)} 超出 [0, {plain(weight)}]")
    return value


def _no_value(spec: Mapping[str, Any]) -> NoValue:
    value = spec.get("if_no_value", "review")
    if value not in ("full", "zero", "review"):
        raise RuleError(f"if_no_value 只能是 full、zero 或 review，而不是「{value}」")
    return cast(NoValue, value)


@dataclass(frozen=True)
class Case:
    """A condition checked before the metric: when it holds, the indicator gets `points`."""

    when: Formula
    points: Decimal
    note: str


def _cases(spec: Mapping[str, Any], *, weight: Decimal) -> tuple[Case, ...]:
    cases = []
    for raw in spec.get("cases", ()):
        if not isinstance(raw, Mapping) or "when" not in raw:
            raise RuleError("cases 的每一项须有 when 和 points")
        note = str(raw.get("note") or "")
        cases.append(Case(_formula(raw["when"]), _points(raw, weight=weight), note))
    return tuple(cases)


def _case_inputs(cases: Sequence[Case]) -> tuple[str, ...]:
    return tuple(sorted({name for case in cases for name in case.when.names}))


def _case_outcome(case: Case, inputs: Mapping[str, Any], metric: MetricValue) -> Outcome:
    shown = case.when.render(inputs)
    text = f"{case.note or '特别情形'}（{shown}），得 {points(case.points)} 分"
    return Outcome(case.points, text, (metric,))


def _no_value_outcome(how: NoValue, *, weight: Decimal, metric: MetricValue) -> Outcome:
    if how == "full":
        return Outcome(weight, f"{metric.working}，视为全部完成，得 {points(weight)} 分", (metric,))
    if how == "zero":
        return Outcome(ZERO, f"{metric.working}，得 0 分", (metric,))
    return Outcome(None, f"{metric.working}，需审核人评定", (metric,))


def _metric_first(
    metric: Metric, cases: Sequence[Case], inputs: Mapping[str, Any]
) -> tuple[MetricValue, Outcome | None]:
    """Compute the metric and settle missing inputs and cases, which precede any band."""
    value = metric.compute(inputs)
    missing = tuple(
        sorted(
            set(value.missing) | {name for name in _case_inputs(cases) if inputs.get(name) is None}
        )
    )
    if missing:
        return value, _missing_outcome(missing, (value,))
    for case in cases:
        holds = case.when.holds(inputs)
        if holds is None:
            return value, _undecidable(case.when, inputs, (value,))
        if holds:
            return value, _case_outcome(case, inputs, value)
    return value, None


def _undecidable(
    formula: Formula, inputs: Mapping[str, Any], metrics: tuple[MetricValue, ...]
) -> Outcome:
    text = f"条件 {formula.render(inputs)} 无法计算（分母为 0），需审核人评定"
    return Outcome(None, text, metrics)


# --- bands ----------------------------------------------------------------------------------


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
        value, settled = _metric_first(self.metric, self.cases, ctx.inputs)
        if settled is not None:
            return settled
        if value.value is None:
            return _no_value_outcome(self.if_no_value, weight=ctx.weight, metric=value)
        score, interval = self.points_for(value.value)
        text = f"{value.working}，落在 {interval}，得 {points(score)} 分"
        return Outcome(score, text, (value,))


def _bands(spec: Mapping[str, Any], *, weight: Decimal) -> BandsRule:
    direction = spec.get("direction", "higher")
    if direction not in ("higher", "lower"):
        raise RuleError(f"direction 只能是 higher 或 lower，而不是「{direction}」")
    key = "at_least" if direction == "higher" else "at_most"
    raw_bands = spec.get("bands") or ()
    if not raw_bands:
        raise RuleError("bands 不能为空")
    bands = tuple(Band(_decimal(raw, key), _points(raw, weight=weight)) for raw in raw_bands)
    otherwise = _points(spec, weight=weight, key="otherwise") if "otherwise" in spec else ZERO
    _check_monotonic(bands, otherwise=otherwise, higher=direction == "higher", weight=weight)
    return BandsRule(
        metric=_metric(spec),
        direction=direction,
        bands=bands,
        otherwise=otherwise,
        cases=_cases(spec, weight=weight),
        if_no_value=_no_value(spec),
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


# --- proportional ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProportionalRule(Rule):
    """weight × metric, never above the weight nor below 0; cases (e.g. 0 when over plan) first."""

    kind: ClassVar[str] = "proportional"
    metric: Metric
    cases: tuple[Case, ...] = ()
    if_no_value: NoValue = "review"

    def evaluate(self, ctx: Context) -> Outcome:
        value, settled = _metric_first(self.metric, self.cases, ctx.inputs)
        if settled is not None:
            return settled
        if value.value is None:
            return _no_value_outcome(self.if_no_value, weight=ctx.weight, metric=value)
        raw = ctx.weight * value.value
        score = clamp(raw, ZERO, ctx.weight)
        text = f"{value.working}；{points(ctx.weight)} × {percent(value.value)} = {points(raw)}"
        if raw > ctx.weight:
            text += f"，超过分值，按 {points(ctx.weight)} 分计"
        elif raw < ZERO:
            text += "，低于 0，按 0 分计"
        else:
            text += " 分"
        return Outcome(score, text, (value,))


def _proportional(spec: Mapping[str, Any], *, weight: Decimal) -> ProportionalRule:
    return ProportionalRule(
        metric=_metric(spec), cases=_cases(spec, weight=weight), if_no_value=_no_value(spec)
    )


# --- conditions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """A statement about inputs worth `points` when it holds."""

    label: str
    when: Formula
    points: Decimal


@dataclass(frozen=True)
class ConditionsRule(Rule):
    """The sum of the points of the conditions that hold."""

    kind: ClassVar[str] = "conditions"
    conditions: tuple[Condition, ...]
    shown: tuple[Metric, ...] = ()

    def evaluate(self, ctx: Context) -> Outcome:
        metrics = tuple(metric.compute(ctx.inputs) for metric in self.shown)
        needed = sorted({name for c in self.conditions for name in c.when.names})
        missing = [name for name in needed if ctx.inputs.get(name) is None]
        if missing:
            return _missing_outcome(missing, metrics)
        parts, total = [], ZERO
        for condition in self.conditions:
            holds = condition.when.holds(ctx.inputs)
            if holds is None:
                return _undecidable(condition.when, ctx.inputs, metrics)
            gained = condition.points if holds else ZERO
            total += gained
            verdict = "成立" if holds else "不成立"
            shown = condition.when.render(ctx.inputs)
            parts.append(f"{condition.label}：{shown}，{verdict}，得 {points(gained)} 分")
        text = "；".join(parts) + f"；合计 {points(total)} 分"
        if metrics:
            text += "（" + "，".join(f"{m.label} {m.display}" for m in metrics) + "）"
        return Outcome(total, text, metrics)


def _conditions(spec: Mapping[str, Any], *, weight: Decimal) -> ConditionsRule:
    conditions = tuple(
        Condition(
            str(raw.get("label") or raw["when"]), _formula(raw["when"]), _points(raw, weight=weight)
        )
        for raw in spec.get("conditions") or ()
    )
    if not conditions:
        raise RuleError("conditions 不能为空")
    if sum((c.points for c in conditions), ZERO) != weight:
        raise RuleError(f"各条件分值合计应等于本指标分值 {plain(weight)}")
    shown = tuple(_metric({"metric": key}) for key in spec.get("show_metrics") or ())
    return ConditionsRule(conditions=conditions, shown=shown)


# --- comparison with an aggregate -----------------------------------------------------------


@dataclass(frozen=True)
class CompareAggregateRule(Rule):
    """Full marks when the metric is above the jurisdiction's aggregate (supplied as an input)."""

    kind: ClassVar[str] = "compare_aggregate"
    metric: Metric
    aggregate: str
    strict: bool = True

    def evaluate(self, ctx: Context) -> Outcome:
        value = self.metric.compute(ctx.inputs)
        average: Decimal | None = ctx.inputs.get(self.aggregate)
        if average is None or value.missing:
            absent = {self.aggregate} if average is None else set()
            return _missing_outcome(sorted(set(value.missing) | absent), (value,))
        if value.value is None:
            return Outcome(None, f"{value.working}，需审核人评定", (value,))
        above = value.value > average or (not self.strict and value.value == average)
        score = ctx.weight if above else ZERO
        relation = "高于" if value.value > average else "等于" if value.value == average else "低于"
        label = INPUTS[self.aggregate].label
        text = (
            f"{value.working}，{relation}{label} {percent(average)}（{self.aggregate}），"
            f"得 {points(score)} 分"
        )
        return Outcome(score, text, (value,))


def _compare_aggregate(spec: Mapping[str, Any], *, weight: Decimal) -> CompareAggregateRule:
    aggregate = spec.get("aggregate")
    if aggregate not in INPUTS or INPUTS[aggregate].kind != "ratio":
        raise RuleError(f"引用了未知输入「{aggregate}」")
    return CompareAggregateRule(
        metric=_metric(spec), aggregate=aggregate, strict=bool(spec.get("strict", True))
    )


# --- timeliness -----------------------------------------------------------------------------


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
            return _missing_outcome([key for key, value in pairs if value is None])
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


def _timeliness(spec: Mapping[str, Any], *, weight: Decimal) -> TimelinessRule:
    submitted = spec.get("submitted", "submitted_at")
    deadline = spec.get("deadline", "deadline")
    for key in (submitted, deadline):
        if key not in INPUTS or INPUTS[key].kind != "datetime":
            raise RuleError(f"引用了未知输入「{key}」")
    return TimelinessRule(submitted=submitted, deadline=deadline)


# --- judgement and tiers --------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One sub-criterion of a judgement item, as the sheet words it."""

    text: str
    points: Decimal


def _judged(ctx: Context) -> tuple[Decimal | None, tuple[str, ...]]:
    """The person's score clamped to [0, weight], with a note when it was out of range."""
    if ctx.judged is None:
        return None, ()
    score = clamp(ctx.judged, ZERO, ctx.weight)
    if score == ctx.judged:
        return score, ()
    note = (
        f"评定 {points(ctx.judged)} 分超出分值范围 [0, {points(ctx.weight)}]，"
        f"按 {points(score)} 分计"
    )
    return score, (note,)


@dataclass(frozen=True)
class JudgementRule(Rule):
    """A score a person enters against the sub-criteria; the engine bounds it by the weight."""

    kind: ClassVar[str] = "judgement"
    person_scored: ClassVar[bool] = True
    criteria: tuple[Criterion, ...] = ()

    def evaluate(self, ctx: Context) -> Outcome:
        score, notes = _judged(ctx)
        if score is None:
            return Outcome(None, "人工评分项，尚无评分", judgement=True)
        text = f"人工评定 {points(score)} 分（满分 {points(ctx.weight)} 分）"
        return Outcome(score, text, judgement=True, notes=notes)


def _judgement(spec: Mapping[str, Any], *, weight: Decimal) -> JudgementRule:
    criteria = tuple(
        Criterion(str(raw.get("text") or ""), _points(raw, weight=weight))
        for raw in spec.get("sub_criteria") or ()
    )
    if sum((c.points for c in criteria), ZERO) > weight:
        raise RuleError(f"子标准分值合计超过本指标分值 {plain(weight)}")
    return JudgementRule(criteria=criteria)


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
        judged, notes = _judged(ctx)
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


def _tiers(spec: Mapping[str, Any], *, weight: Decimal) -> TiersRule:
    tiers = tuple(
        Tier(str(raw.get("label") or ""), _points(raw, weight=weight))
        for raw in spec.get("tiers") or ()
    )
    if not tiers:
        raise RuleError("tiers 不能为空")
    if any(a.points <= b.points for a, b in pairwise(tiers)):
        raise RuleError("各档分值须由高到低且不重复")
    if tiers[0].points != weight or tiers[-1].points != ZERO:
        raise RuleError(f"最高档应为满分 {plain(weight)}，最低档应为 0 分")
    return TiersRule(tiers=tiers)


# --- parts ----------------------------------------------------------------------------------


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
            return _missing_outcome(missing)
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


def _parts(spec: Mapping[str, Any], *, weight: Decimal) -> PartsRule:
    parts = []
    for raw in spec.get("parts") or ():
        part_points = _points(raw, weight=weight)
        rule = parse_rule(raw.get("rule") or {}, weight=part_points)
        if rule.kind in _WHOLE_ITEM_KINDS:
            raise RuleError(f"parts 中不能使用 {rule.kind}")
        parts.append(Part(str(raw.get("label") or ""), part_points, rule))
    if not parts:
        raise RuleError("parts 不能为空")
    if sum((p.points for p in parts), ZERO) != weight:
        raise RuleError(f"各部分分值合计应等于本指标分值 {plain(weight)}")
    if sum(1 for p in parts if p.rule.judgement) > 1:
        raise RuleError("parts 中最多一个人工评分部分")
    return PartsRule(parts=tuple(parts))


# --- deviation between self and checked totals ----------------------------------------------


@dataclass(frozen=True)
class DeviationRule(Rule):
    """The person's score less `deduction` for every `step` points between self and checked totals."""

    kind: ClassVar[str] = "deviation"
    person_scored: ClassVar[bool] = True
    step: Decimal
    deduction: Decimal

    def evaluate(self, ctx: Context) -> Outcome:
        base, notes = _judged(ctx)
        if base is None:
            return Outcome(None, "人工评分项，尚无评分", judgement=True)
        if ctx.self_total is None or ctx.checked_total is None:
            return Outcome(None, "自评总分或核查总分不完整，无法计算误差扣分", judgement=True)
        gap = abs(ctx.self_total - ctx.checked_total)
        steps = (gap / self.step).to_integral_value(rounding=ROUND_FLOOR)
        cut = steps * self.deduction
        score = max(ZERO, base - cut)
        text = (
            f"人工评定 {points(base)} 分；自评总分 {points(ctx.self_total)}，"
            f"核查总分 {points(ctx.checked_total)}，相差 {points(gap)} 分，"
            f"每 {points(self.step)} 分扣 {points(self.deduction)} 分，扣 {points(cut)} 分，"
            f"得 {points(score)} 分"
        )
        return Outcome(score, text, judgement=True, notes=notes)


def _deviation(spec: Mapping[str, Any], *, weight: Decimal) -> DeviationRule:
    step = _decimal(spec, "step", default=Decimal(5))
    deduction = _decimal(spec, "deduction", default=Decimal("0.5"))
    if step <= 0 or deduction <= 0:
        raise RuleError("step 与 deduction 须大于 0")
    return DeviationRule(step=step, deduction=deduction)


# --- bonus and penalty ----------------------------------------------------------------------


@dataclass(frozen=True)
class Adjustment:
    """Points per counted item of an input, capped."""

    input: str
    per_item: Decimal
    cap: Decimal
    label: str

    def count(self, value: Any) -> int:
        """An integer as given; a list counted once per distinct matter (same title, once)."""
        if isinstance(value, list):
            return len({_matter(entry) for entry in value})
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
    per_item, cap = _decimal(raw, "per_item"), _decimal(raw, "cap")
    if per_item <= 0 or cap < 0:
        raise RuleError("per_item 须大于 0，cap 不能为负")
    return Adjustment(key, per_item, cap, str(raw.get("label") or label))


def _bonus_penalty(spec: Mapping[str, Any], *, weight: Decimal) -> BonusPenaltyRule:
    rule = BonusPenaltyRule(
        bonus=_adjustment(spec.get("bonus"), label="表彰"),
        penalty=_adjustment(spec.get("penalty"), label="问责"),
    )
    if rule.bonus is None and rule.penalty is None:
        raise RuleError("bonus 与 penalty 至少须有一项")
    return rule


# --- declared indicator rows (target vs actual) ---------------------------------------------


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
        score, notes = _judged(Context(weight=weight, inputs={}, judged=judged))
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


def _declared_rows(spec: Mapping[str, Any], *, weight: Decimal) -> DeclaredRowsRule:
    level1 = tuple(str(name) for name in spec.get("level1") or ())
    if not level1:
        raise RuleError("declared_rows 须列出 level1（一级指标名称）")
    tiers = []
    for raw in spec.get("qualitative_tiers") or ():
        low, high = _decimal(raw, "low"), _decimal(raw, "high")
        completion = raw.get("completion")
        if completion not in ("achieved", "partial", "missed") or not ZERO <= low <= high <= 1:
            raise RuleError("qualitative_tiers 的每一档须有 completion 和 0 ≤ low ≤ high ≤ 1")
        tiers.append(QualitativeTier(str(raw.get("label") or ""), low, high, completion))
    return DeclaredRowsRule(level1=level1, tiers=tuple(tiers))


# --- registry -------------------------------------------------------------------------------

_PARSERS: dict[str, Callable[..., Rule]] = {
    "bands": _bands,
    "proportional": _proportional,
    "conditions": _conditions,
    "compare_aggregate": _compare_aggregate,
    "timeliness": _timeliness,
    "judgement": _judgement,
    "tiers": _tiers,
    "parts": _parts,
    "deviation": _deviation,
    "bonus_penalty": _bonus_penalty,
    "declared_rows": _declared_rows,
}

# Kinds that score a whole indicator from totals or rows, never a part of one.
_WHOLE_ITEM_KINDS = frozenset({"deviation", "bonus_penalty", "declared_rows", "parts"})

RULE_KINDS = frozenset(_PARSERS)


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
