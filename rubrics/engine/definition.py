"""A rubric (评分表) as immutable data, built from its parsed YAML with every check done on load.

`load_rubric` refuses a sheet whose weights do not add up, whose codes or names repeat, whose
rules read unknown inputs or whose formulas do not parse, naming the indicator at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, cast

import yaml

from rubrics.engine.families import FamilyIndex, family_key
from rubrics.engine.metrics import as_decimal, plain
from rubrics.engine.rules import (
    BonusPenaltyRule,
    DeclaredRowsRule,
    DeviationRule,
    Rule,
    RuleError,
    parse_rule,
)

RubricKind = Literal["department_overall", "project"]
KINDS: tuple[RubricKind, ...] = ("department_overall", "project")
ZERO = Decimal(0)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RubricError(ValueError):
    """A rubric that cannot be used; the message (Chinese) names the indicator at fault."""


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest total that earns it."""

    label: str
    minimum: Decimal


@dataclass(frozen=True)
class Indicator:
    """One row of the sheet: 一级/二级/三级指标 with weight, 指标说明, 评分标准 and its rule."""

    code: str
    name: str
    weight: Decimal
    level: int
    description: str = ""
    criteria: str = ""
    rule: Rule | None = None
    children: tuple[Indicator, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Rubric:
    """A parsed scoring sheet, reusable across any number of scorings."""

    id: str
    title: str
    kind: RubricKind
    total: Decimal
    grades: tuple[GradeBand, ...]
    indicators: tuple[Indicator, ...]
    adjustments: Indicator | None = None
    source: str = ""
    nodes: tuple[Indicator, ...] = field(default=(), repr=False)

    # The derived views below are asked for on every scoring: worked out once per rubric (the
    # rubric is immutable, so they never go stale).

    @cached_property
    def leaves(self) -> tuple[Indicator, ...]:
        return tuple(node for node in self.nodes if node.is_leaf)

    def indicator(self, key: str) -> Indicator:
        """The indicator with this code or name (KeyError if none)."""
        for node in self.nodes:
            if key in (node.code, node.name):
                return node
        raise KeyError(key)

    def grade_for(self, total: Decimal) -> str:
        """The grade of a total (bands are checked on load to end at 0, so one always matches)."""
        return next(band.label for band in self.grades if total >= band.minimum)

    def declared_nodes(self) -> Mapping[str, Indicator]:
        """一级指标 name of declared rows → the indicator that collects them, looked up as tables
        write the name (「产出指标（50分）」, 「產出指標」: see `rubrics.engine.families`)."""
        return self._declared_nodes

    @cached_property
    def _declared_nodes(self) -> Mapping[str, Indicator]:
        return FamilyIndex(
            {
                name: node
                for node in self.leaves
                if isinstance(node.rule, DeclaredRowsRule)
                for name in node.rule.level1
            }
        )

    def known_claim_keys(self) -> frozenset[str]:
        """Names and codes a claim may refer to."""
        return self._known_claim_keys

    @cached_property
    def _known_claim_keys(self) -> frozenset[str]:
        nodes = (*self.nodes, *((self.adjustments,) if self.adjustments else ()))
        return frozenset(key for node in nodes for key in (node.name, node.code))


def _walk(nodes: tuple[Indicator, ...]) -> Iterator[Indicator]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


# --- loading --------------------------------------------------------------------------------


def load_rubric_file(path: str | Path) -> Rubric:
    """Read a YAML rubric file and load it with all checks."""
    return load_rubric_yaml(Path(path).read_text(encoding="utf-8"), name=str(path))


def load_rubric_yaml(text: str, *, name: str = "") -> Rubric:
    """Load a rubric from its YAML text with all checks; `name` says where the text came from."""
    data = yaml.safe_load(text)
    if not isinstance(data, Mapping):
        where = f"评分表文件 {name} " if name else "评分表"
        raise RubricError(f"{where}不是一个 YAML 映射")
    return load_rubric(data)


def load_rubric(data: Mapping[str, Any]) -> Rubric:
    """Build a Rubric from its parsed YAML, checking weights, uniqueness, inputs and formulas."""
    rubric_id = _rubric_id(data)
    where = f"评分表「{rubric_id}」"
    total = _number(data.get("total"), where=where, what="total（总分）")
    kind = data.get("kind")
    if kind not in KINDS:
        raise RubricError(f"{where}：kind 须是 department_overall 或 project，而不是「{kind}」")
    raw_indicators = data.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        raise RubricError(f"{where}：indicators 不能为空")
    indicators = tuple(_indicator(raw, level=1, where=where) for raw in raw_indicators)
    _check_sum(indicators, expected=total, where=f"{where}：一级指标", of="总分")
    adjustments = _adjustments(data.get("adjustments"), where=where)
    nodes = tuple(_walk(indicators))
    _check_unique(nodes, adjustments, where=where)
    _check_singletons(nodes, where=where)
    return Rubric(
        id=rubric_id,
        title=_text(data.get("title"), where=where, what="title（标题）"),
        kind=cast(RubricKind, kind),
        total=total,
        grades=_grades(data.get("grades"), total=total, where=where),
        indicators=indicators,
        adjustments=adjustments,
        source=str(data.get("source") or ""),
        nodes=nodes,
    )


def _rubric_id(data: Mapping[str, Any]) -> str:
    rubric_id = data.get("id")
    if not isinstance(rubric_id, str) or not _ID.match(rubric_id):
        raise RubricError(f"评分表 id「{rubric_id}」须由小写字母、数字和连字符组成")
    return rubric_id


def _text(value: Any, *, where: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RubricError(f"{where}：缺少 {what}")
    return value.strip()


def _number(value: Any, *, where: str, what: str) -> Decimal:
    try:
        number = as_decimal(value)
    except ValueError as error:
        raise RubricError(f"{where}：{what} {error}") from error
    if number < 0:
        raise RubricError(f"{where}：{what} 不能为负")
    return number


def _indicator(raw: Any, *, level: int, where: str) -> Indicator:
    if not isinstance(raw, Mapping):
        raise RubricError(f"{where}：第 {level} 级指标须是映射")
    code, name = raw.get("code"), raw.get("name")
    if not isinstance(code, str) or not code.strip():
        raise RubricError(f"{where}：指标「{name}」的 code 须是非空字符串（YAML 中请加引号）")
    if not isinstance(name, str) or not name.strip():
        raise RubricError(f"{where}：指标 {code} 缺少 name（名称）")
    here = f"{where} 指标 {code}「{name}」"
    weight = _number(raw.get("weight"), where=here, what="weight（分值）")
    children = tuple(
        _indicator(child, level=level + 1, where=where) for child in raw.get("children") or ()
    )
    if children and "rule" in raw:
        raise RubricError(f"{here}：有下级指标的指标不能再有 rule")
    if children:
        _check_sum(children, expected=weight, where=here, of="本级分值")
    rule = None if children else _rule(raw.get("rule"), weight=weight, where=here)
    if isinstance(rule, BonusPenaltyRule):
        raise RubricError(f"{here}：加减分规则只能写在 adjustments 中")
    return Indicator(
        code=code,
        name=name,
        weight=weight,
        level=level,
        description=str(raw.get("description") or "").strip(),
        criteria=str(raw.get("criteria") or "").strip(),
        rule=rule,
        children=children,
    )


def _rule(spec: Any, *, weight: Decimal, where: str) -> Rule:
    if spec is None:
        raise RubricError(f"{where}：末级指标须有 rule（无机器规则时写 kind: judgement）")
    try:
        return parse_rule(spec, weight=weight)
    except RuleError as error:
        raise RubricError(f"{where}：{error}") from error


def _check_sum(children: tuple[Indicator, ...], *, expected: Decimal, where: str, of: str) -> None:
    """Children's weights must add up exactly to their parent's (or the sheet's total)."""
    actual = sum((child.weight for child in children), ZERO)
    if actual != expected:
        listed = "、".join(f"{c.code}「{c.name}」{plain(c.weight)}" for c in children)
        raise RubricError(
            f"{where}：下级指标分值合计 {plain(actual)}，与{of} {plain(expected)} 不符（{listed}）"
        )


def _adjustments(raw: Any, *, where: str) -> Indicator | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise RubricError(f"{where}：adjustments 须是映射")
    code, name = raw.get("code"), raw.get("name")
    if not isinstance(code, str) or not isinstance(name, str) or not code or not name:
        raise RubricError(f"{where}：adjustments 须有 code 和 name")
    here = f"{where} 指标 {code}「{name}」"
    rule = _rule(raw.get("rule"), weight=ZERO, where=here)
    if not isinstance(rule, BonusPenaltyRule):
        raise RubricError(f"{here}：adjustments 的规则须是 bonus_penalty")
    return Indicator(
        code=code,
        name=name,
        weight=ZERO,
        level=1,
        description=str(raw.get("description") or "").strip(),
        criteria=str(raw.get("criteria") or "").strip(),
        rule=rule,
    )


def _check_unique(
    nodes: tuple[Indicator, ...], adjustments: Indicator | None, *, where: str
) -> None:
    """Codes and names are how claims, reports and people refer to indicators: no repeats."""
    seen_codes: dict[str, Indicator] = {}
    seen_names: dict[str, Indicator] = {}
    for node in (*nodes, *((adjustments,) if adjustments else ())):
        for seen, key, what in ((seen_codes, node.code, "代码"), (seen_names, node.name, "名称")):
            if key in seen:
                first = seen[key]
                raise RubricError(
                    f"{where} 指标 {node.code}「{node.name}」：{what}「{key}」与指标 "
                    f"{first.code}「{first.name}」重复"
                )
            seen[key] = node


def _check_singletons(nodes: tuple[Indicator, ...], *, where: str) -> None:
    """One deviation item per sheet, and each declared 一级指标 collected by one indicator."""
    deviations = [n for n in nodes if isinstance(n.rule, DeviationRule)]
    if len(deviations) > 1:
        node = deviations[1]
        raise RubricError(f"{where} 指标 {node.code}「{node.name}」：误差扣分规则只能有一个")
    owners: dict[str, Indicator] = {}
    for node in nodes:
        if isinstance(node.rule, DeclaredRowsRule):
            for name in node.rule.level1:
                key = family_key(name)
                if key in owners:
                    raise RubricError(
                        f"{where} 指标 {node.code}「{node.name}」：一级指标「{name}」已由指标 "
                        f"{owners[key].code}「{owners[key].name}」收集"
                    )
                owners[key] = node


_DEFAULT_GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", ZERO))


def _grades(raw: Any, *, total: Decimal, where: str) -> tuple[GradeBand, ...]:
    """The sheet's grade bands, else 优 ≥90, 良 ≥80, 中 ≥60, 差 (scaled when the total is not 100)."""
    if raw is None:
        scale = total / Decimal(100)
        return tuple(GradeBand(label, minimum * scale) for label, minimum in _DEFAULT_GRADES)
    if not isinstance(raw, list) or not raw:
        raise RubricError(f"{where}：grades 须是非空列表")
    bands = tuple(
        GradeBand(
            _text(band.get("label"), where=where, what="等级名称"),
            _number(band.get("min"), where=where, what="等级下限"),
        )
        for band in raw
    )
    minima = [band.minimum for band in bands]
    if minima != sorted(set(minima), reverse=True) or minima[-1] != 0 or minima[0] > total:
        raise RubricError(f"{where}：等级下限须由高到低、不重复、不超过总分，且最后一档为 0")
    return bands
