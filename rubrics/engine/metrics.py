"""The data dictionary in code: input keys, metric formulas and how numbers are shown.

Every formula (the dictionary's metrics and a rubric's own conditions) is parsed once, checked
against the known input keys and evaluated by simpleeval over Decimals; nothing is `eval`ed.
"""

from __future__ import annotations

import ast
import re
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

from simpleeval import InvalidExpression, SimpleEval

InputKind = Literal["amount", "count", "ratio", "datetime", "count_or_list", "list", "any", "rows"]

CENT = Decimal("0.01")
BASIS_POINT = Decimal("0.0001")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class InputSpec:
    """One key of the data dictionary: its Chinese label and the kind of value it takes."""

    key: str
    label: str
    kind: InputKind


INPUTS: dict[str, InputSpec] = {
    spec.key: spec
    for spec in (
        InputSpec("prior_carryover", "上年结转结余", "amount"),
        InputSpec("actual_revenue", "本年实际收入", "amount"),
        InputSpec("actual_expenditure", "本年实际支出", "amount"),
        InputSpec("year_end_carryover", "年末结转和结余", "amount"),
        InputSpec("budget_initial", "年初预算数", "amount"),
        InputSpec("budget_full_year", "全年预算数", "amount"),
        InputSpec("budget_executed", "全年执行数", "amount"),
        InputSpec("stock_funds_prev", "上年末存量资金", "amount"),
        InputSpec("stock_funds_end", "本年末存量资金", "amount"),
        InputSpec("procurement_planned", "政府采购计划金额", "amount"),
        InputSpec("procurement_actual", "实际采购金额", "amount"),
        InputSpec("three_public_budget", "三公经费预算安排数", "amount"),
        InputSpec("three_public_actual", "三公经费实际支出数", "amount"),
        InputSpec("public_funds_budget", "日常公用经费预算数", "amount"),
        InputSpec("public_funds_actual", "日常公用经费决算数", "amount"),
        InputSpec("staff_authorized", "编制数", "count"),
        InputSpec("staff_actual", "实有在职人数", "count"),
        InputSpec("fixed_assets_total", "固定资产总额（原值）", "amount"),
        InputSpec("fixed_assets_in_use", "在用固定资产总额（原值）", "amount"),
        InputSpec("fixed_assets_avg_utilization", "市直单位平均固定资产利用率", "ratio"),
        InputSpec("key_tasks_total", "重点工作总数", "count"),
        InputSpec("key_tasks_done", "重点工作实际完成数", "count"),
        InputSpec("targets_planned", "整体绩效目标计划数", "count"),
        InputSpec("targets_achieved", "整体绩效目标实际实现数", "count"),
        InputSpec("project_targets_planned", "重要项目绩效目标计划数", "count"),
        InputSpec("project_targets_achieved", "重要项目绩效目标实现数", "count"),
        InputSpec("projects_planned", "部门预算项目数", "count"),
        InputSpec("projects_on_time", "按期完成项目数", "count"),
        InputSpec("complaints_received", "信访数量", "count"),
        InputSpec("complaints_answered", "信访答复数量", "count"),
        InputSpec("complaints_answered_on_time", "信访按期答复数量", "count"),
        InputSpec("satisfaction", "满意度", "ratio"),
        InputSpec("commendations", "表彰事项", "count_or_list"),
        InputSpec("accountability_findings", "被问责事项", "count_or_list"),
        InputSpec("submitted_at", "报送时间", "datetime"),
        InputSpec("deadline", "规定时间", "datetime"),
        InputSpec("disclosures", "信息公开", "list"),
        InputSpec("funds_by_source", "分资金来源的预算及执行", "any"),
        InputSpec("indicators", "绩效指标", "rows"),
    )
}

NUMERIC_INPUTS = frozenset(
    key for key, spec in INPUTS.items() if spec.kind in {"amount", "count", "ratio"}
)

FUNCTIONS = {"min": min, "max": max, "abs": abs}

_ALLOWED_NODES = (
    ast.Module,
    ast.Expr,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.UAdd,
    ast.USub,
    ast.Not,
    ast.And,
    ast.Or,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.Eq,
    ast.NotEq,
)

_PRETTY = {"/": "÷", "*": "×", "<=": "≤", ">=": "≥", "==": "=", "!=": "≠", "and": "且", "or": "或"}
_RENDER_TOKEN = re.compile(r"<=|>=|==|!=|[A-Za-z_]\w*|[/*]")


class OutOfRange(ArithmeticError):
    """Inputs so large or so small that a formula's result cannot be computed or shown."""

    def __init__(self, names: Collection[str]) -> None:
        self.names = tuple(names)
        labels = "、".join(label_of(name) for name in self.names)
        super().__init__(f"{labels}的数值超出可计算的范围")


class FormulaError(ValueError):
    """A formula that does not parse, uses a name nobody supplies, or calls a forbidden function."""


def label_of(key: str) -> str:
    """Chinese label and key of an input or metric, e.g. 「年末结转和结余（year_end_carryover）」."""
    spec = INPUTS.get(key)
    metric = METRICS.get(key)
    label = spec.label if spec else metric.label if metric else key
    return f"{label}（{key}）"


class _DecimalEval(SimpleEval):
    """simpleeval reading numeric literals as Decimal, so a formula never mixes in floats."""

    @staticmethod
    def _eval_constant(node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        return Decimal(repr(value))


_local = threading.local()


def _evaluator() -> _DecimalEval:
    """One evaluator per thread: building one costs more than most evaluations."""
    if not hasattr(_local, "evaluator"):
        _local.evaluator = _DecimalEval(functions=FUNCTIONS)
    return _local.evaluator


@dataclass(frozen=True)
class Formula:
    """An arithmetic or boolean expression over input keys, parsed once and evaluated many times."""

    text: str
    node: ast.stmt
    names: tuple[str, ...]
    canonical: str
    # `canonical` cut at its names, operators already pretty: (text, name, text, name, …, text).
    pieces: tuple[str, ...]

    @classmethod
    def parse(cls, text: str, *, known: Collection[str] = NUMERIC_INPUTS) -> Formula:
        """Parse and check `text`; raise FormulaError naming what is wrong."""
        if not isinstance(text, str) or not text.strip():
            raise FormulaError("公式为空")
        try:
            module = ast.parse(text.strip(), mode="exec")
        except SyntaxError as error:
            raise FormulaError(f"公式「{text}」无法解析：{error.msg}") from error
        if len(module.body) != 1 or not isinstance(module.body[0], ast.Expr):
            raise FormulaError(f"公式「{text}」必须是单个表达式")
        names = _check_nodes(module, text=text, known=known)
        canonical = ast.unparse(module.body[0])
        return cls(
            text=text,
            node=module.body[0],
            names=tuple(sorted(names)),
            canonical=canonical,
            pieces=_pieces(canonical, names),
        )

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """Evaluate with the given input values; arithmetic errors propagate to the caller."""
        evaluator = _evaluator()
        evaluator.names = {n: values[n] for n in self.names}
        return evaluator.eval(self.text, previously_parsed=self.node)

    def holds(self, values: Mapping[str, Any]) -> bool | None:
        """Truth of a condition; None when its arithmetic has no value (a zero denominator)."""
        try:
            return bool(self.evaluate(values))
        except (ZeroDivisionError, InvalidOperation):
            return None

    def render(self, values: Mapping[str, Any]) -> str:
        """The formula with numbers in place of names, e.g. 「4165.93 ÷ (75.87 + 4186.81)」.

        Numbers are written as people write them (`written`), whatever precision they were
        stored with, so the page and the `score` command show the same working.
        """
        parts = list(self.pieces)
        for index in range(1, len(parts), 2):
            value = values.get(parts[index])
            parts[index] = written(value) if isinstance(value, Decimal) else "？"
        return "".join(parts)


def _pieces(canonical: str, names: Collection[str]) -> tuple[str, ...]:
    """Cut a formula at its input names once, so rendering it is only a join."""
    pieces, text, start = [], [], 0
    for match in _RENDER_TOKEN.finditer(canonical):
        token = match.group(0)
        text.append(canonical[start : match.start()])
        start = match.end()
        if token in names:
            pieces += ["".join(text).replace(" - ", " − "), token]
            text = []
        else:
            text.append(_PRETTY.get(token, token))
    text.append(canonical[start:])
    pieces.append("".join(text).replace(" - ", " − "))
    return tuple(pieces)


def _check_nodes(module: ast.Module, *, text: str, known: Collection[str]) -> set[str]:
    """Refuse anything but arithmetic, comparisons and the whitelisted functions; return names."""
    names: set[str] = set()
    for node in ast.walk(module):
        if not isinstance(node, _ALLOWED_NODES):
            raise FormulaError(f"公式「{text}」含有不允许的语法：{type(node).__name__}")
        if isinstance(node, ast.Call):
            if (
                not isinstance(node.func, ast.Name)
                or node.func.id not in FUNCTIONS
                or node.keywords
            ):
                raise FormulaError(f"公式「{text}」只能调用 min、max、abs")
        elif isinstance(node, ast.Name) and node.id not in FUNCTIONS:
            if node.id not in known:
                raise FormulaError(f"公式「{text}」引用了未知输入「{node.id}」")
            names.add(node.id)
        elif isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError(f"公式「{text}」只能使用数字常量")
    return names


@dataclass(frozen=True)
class MetricValue:
    """A metric computed from inputs, with the working shown in words and numbers."""

    key: str
    label: str
    value: Decimal | None
    missing: tuple[str, ...]
    working: str

    @property
    def display(self) -> str:
        return percent(self.value) if self.value is not None else "—"


@dataclass(frozen=True)
class Metric:
    """A ratio computed from inputs; `key` is empty for a formula a rubric defines for itself."""

    key: str
    label: str
    formula: Formula

    def compute(self, inputs: Mapping[str, Any]) -> MetricValue:
        """Value, or None with the reason when an input is missing or the denominator is zero."""
        missing = tuple(name for name in self.formula.names if inputs.get(name) is None)
        if missing:
            labels = "、".join(label_of(name) for name in missing)
            return MetricValue(self.key, self.label, None, missing, f"{self.label}：缺少 {labels}")
        shown = self.formula.render(inputs)
        try:
            value = self.formula.evaluate(inputs)
        except (ZeroDivisionError, InvalidOperation):  # 0 ÷ 0 signals InvalidOperation
            return MetricValue(self.key, self.label, None, (), f"{shown}：分母为 0，无法计算")
        except (InvalidExpression, TypeError) as error:
            raise FormulaError(f"公式「{self.formula.text}」无法计算：{error}") from error
        except ArithmeticError as error:  # Overflow: 1 ÷ 1e-999999 has no Decimal
            raise OutOfRange(self.formula.names) from error
        return MetricValue(self.key, self.label, value, (), f"{shown} = {self._percent(value)}")

    def _percent(self, value: Decimal) -> str:
        try:
            return percent(value)
        except InvalidOperation as error:  # more digits than Decimal's precision can round
            raise OutOfRange(self.formula.names) from error


def _metric(key: str, label: str, formula: str) -> Metric:
    return Metric(key, label, Formula.parse(formula))


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        _metric(
            "overall_expenditure_rate",
            "整体支出完成率",
            "actual_expenditure / (prior_carryover + actual_revenue)",
        ),
        _metric(
            "carryover_rate",
            "结转结余率",
            "year_end_carryover / (prior_carryover + actual_revenue)",
        ),
        _metric(
            "stock_funds_change_rate",
            "部门财政存量资金变动率",
            "stock_funds_end / stock_funds_prev - 1",
        ),
        _metric(
            "procurement_execution_rate",
            "政府采购执行率",
            "procurement_actual / procurement_planned",
        ),
        _metric(
            "three_public_control_rate",
            "三公经费控制率",
            "three_public_actual / three_public_budget",
        ),
        _metric(
            "public_funds_control_rate",
            "公用经费控制率",
            "public_funds_actual / public_funds_budget",
        ),
        _metric("staff_control_rate", "在职人员控制率", "staff_actual / staff_authorized"),
        _metric(
            "fixed_asset_utilization", "固定资产利用率", "fixed_assets_in_use / fixed_assets_total"
        ),
        _metric("budget_execution_rate", "预算执行率", "budget_executed / budget_full_year"),
        _metric("key_task_completion_rate", "重点工作完成率", "key_tasks_done / key_tasks_total"),
        _metric("target_completion_rate", "绩效目标完成率", "targets_achieved / targets_planned"),
        _metric("project_timeliness_rate", "项目完成及时率", "projects_on_time / projects_planned"),
    )
}


def compute_metric(key: str, inputs: Mapping[str, Any]) -> MetricValue:
    """Compute the data-dictionary metric `key` from `inputs` (KeyError for an unknown key)."""
    return METRICS[key].compute(inputs)


# No amount, count or score of a self-evaluation comes near this (money columns stop at 10^12
# 万元); far larger numbers (1e999999) would overflow Decimal arithmetic instead of being scored.
MAGNITUDE_LIMIT = Decimal("1e15")


def as_decimal(value: Any) -> Decimal:
    """A JSON or YAML number (or numeric string) as Decimal; ValueError for anything else,
    including numbers too large to compute with."""
    if isinstance(value, str) and len(value) <= 40:
        return _decimal_text(value)
    return _as_decimal(value)


@lru_cache(maxsize=4096)
def _decimal_text(text: str) -> Decimal:
    """A short numeric string (a weight, a claimed score): lists repeat a few thousand times."""
    return _as_decimal(text)


def _as_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"「{value}」不是数字")
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation as error:
            raise ValueError(f"「{value}」不是数字") from error
    if not number.is_finite():
        raise ValueError(f"「{value}」不是有限的数字")
    if number.copy_abs() >= MAGNITUDE_LIMIT:
        raise ValueError(f"「{_brief(value)}」超出可计算的范围（绝对值须小于 10^15）")
    return number


def _brief(value: Any) -> str:
    """A value for a message: an input of a thousand digits is not repeated whole."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…{text[-8:]}"


# str() of a Decimal is its exact digits, as format(value, "f") gives them, unless it would use an
# exponent (1E+2, 1E-7); it is several times faster, and a list of thousands of rows shows as many
# numbers. Values rounded to CENT never take an exponent.


def plain(value: Decimal) -> str:
    """A Decimal exactly as held, without exponent: Decimal('1E+2') → '100' (the JSON numbers)."""
    text = str(value)
    return format(value, "f") if "E" in text else text


def written(value: Decimal) -> str:
    """A number in an explanation, as people write it: its value without the zeros a database
    column pads it with (4165.9300 → 4165.93, 55.00 → 55, 613.0894 stays), never an exponent."""
    text = plain(value)  # exact: no rounding to the context's precision, unlike normalize()
    return text.rstrip("0").rstrip(".") if "." in text else text


def points(value: Decimal) -> str:
    """Points for display: half-up to 2 decimals, trailing zeros dropped (4, 3.19, 0.5)."""
    text = str(value.quantize(CENT, rounding=ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".") if "." in text else text


def points_fixed(value: Decimal) -> str:
    """Points for display with exactly 2 decimals (9.68)."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def percent(value: Decimal) -> str:
    """A ratio as a percentage, half-up to 2 decimals: 0.977303 → '97.73%'."""
    return str((value * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)) + "%"


def threshold(value: Decimal) -> str:
    """A rubric's threshold ratio without padding: 0.9 → '90%', -0.15 → '-15%'."""
    scaled = (value * HUNDRED).normalize()
    return f"{format(scaled, 'f')}%"


def same_points(a: Decimal, b: Decimal) -> bool:
    """Whether two scores agree at the 2 decimals a scoring sheet shows."""
    return a.quantize(CENT, rounding=ROUND_HALF_UP) == b.quantize(CENT, rounding=ROUND_HALF_UP)


def same_ratio(a: Decimal, b: Decimal) -> bool:
    """Whether two ratios agree at the 0.01% a report shows."""
    rounding = ROUND_HALF_UP
    return a.quantize(BASIS_POINT, rounding=rounding) == b.quantize(BASIS_POINT, rounding=rounding)
