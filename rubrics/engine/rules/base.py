"""What every rule kind shares: the context it reads, the outcome it gives, and the
helpers that read a YAML spec (numbers, points, formulas, metrics, cases).

A rule never raises while scoring: missing inputs and zero denominators come back as an
unscored Outcome whose explanation and `missing` say why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal, NamedTuple, cast

from rubrics.engine.metrics import (
    METRICS,
    Formula,
    FormulaError,
    Metric,
    MetricValue,
    as_decimal,
    label_of,
    plain,
    points,
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


class Outcome(NamedTuple):
    """A rule's verdict: score (None when unscored), explanation, metrics shown, missing inputs.
    An immutable tuple: every declared row makes one."""

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


def missing_outcome(missing: Sequence[str], metrics: tuple[MetricValue, ...] = ()) -> Outcome:
    """Unscored for want of inputs, naming them in the data dictionary's words."""
    names = "、".join(label_of(name) for name in missing)
    return Outcome(None, f"缺少 {names}，未评分", metrics, tuple(missing))


# --- spec reading helpers -------------------------------------------------------------------


def spec_decimal(spec: Mapping[str, Any], key: str, *, default: Decimal | None = None) -> Decimal:
    """A number of the spec as Decimal (`default` when absent, else RuleError)."""
    if key not in spec:
        if default is None:
            raise RuleError(f"缺少「{key}」")
        return default
    try:
        return as_decimal(spec[key])
    except ValueError as error:
        raise RuleError(f"「{key}」{error}") from error


def spec_formula(text: Any) -> Formula:
    """A formula of the spec, parsed and checked against the input keys."""
    try:
        return Formula.parse(text)
    except FormulaError as error:
        raise RuleError(str(error)) from error


def spec_metric(spec: Mapping[str, Any]) -> Metric:
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
        return Metric("", label, spec_formula(spec["formula"]))
    raise RuleError("须指定 metric 或 formula")


def spec_points(spec: Mapping[str, Any], *, weight: Decimal, key: str = "points") -> Decimal:
    """Points of the spec, within [0, weight]."""
    value = spec_decimal(spec, key)
    if not ZERO <= value <= weight:
        raise RuleError(f"分值 {plain(value)} 超出 [0, {plain(weight)}]")
    return value


def spec_no_value(spec: Mapping[str, Any]) -> NoValue:
    """What a metric without a value (0 ÷ 0) earns: full marks, zero, or a reviewer's say."""
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


def spec_cases(spec: Mapping[str, Any], *, weight: Decimal) -> tuple[Case, ...]:
    """The spec's special cases, checked in order before the metric."""
    cases = []
    for raw in spec.get("cases", ()):
        if not isinstance(raw, Mapping) or "when" not in raw:
            raise RuleError("cases 的每一项须有 when 和 points")
        note = str(raw.get("note") or "")
        cases.append(Case(spec_formula(raw["when"]), spec_points(raw, weight=weight), note))
    return tuple(cases)


def _case_inputs(cases: Sequence[Case]) -> tuple[str, ...]:
    return tuple(sorted({name for case in cases for name in case.when.names}))


def _case_outcome(case: Case, inputs: Mapping[str, Any], metric: MetricValue) -> Outcome:
    shown = case.when.render(inputs)
    text = f"{case.note or '特别情形'}（{shown}），得 {points(case.points)} 分"
    return Outcome(case.points, text, (metric,))


def no_value_outcome(how: NoValue, *, weight: Decimal, metric: MetricValue) -> Outcome:
    """The outcome of a metric without a value, as the spec's `if_no_value` says."""
    if how == "full":
        return Outcome(weight, f"{metric.working}，视为全部完成，得 {points(weight)} 分", (metric,))
    if how == "zero":
        return Outcome(ZERO, f"{metric.working}，得 0 分", (metric,))
    return Outcome(None, f"{metric.working}，需审核人评定", (metric,))


def metric_first(
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
        return value, missing_outcome(missing, (value,))
    for case in cases:
        holds = case.when.holds(inputs)
        if holds is None:
            return value, undecidable(case.when, inputs, (value,))
        if holds:
            return value, _case_outcome(case, inputs, value)
    return value, None


def undecidable(
    formula: Formula, inputs: Mapping[str, Any], metrics: tuple[MetricValue, ...]
) -> Outcome:
    """Unscored because a condition divides by zero: a reviewer decides."""
    text = f"条件 {formula.render(inputs)} 无法计算（分母为 0），需审核人评定"
    return Outcome(None, text, metrics)


def judged_score(ctx: Context) -> tuple[Decimal | None, tuple[str, ...]]:
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
