"""Validation rules as data (after DHIS2's validation rules): left side, operator, right side.

Rules live in `evaluations/checks/rules/*.yaml`, one file per table. Each rule compares two formulas
over the values the sections provide (data-dictionary keys and table keys); a rule with
`for_each` runs once per row of a row collection, with the row's fields as names. Severity
`error` blocks submission; `warning` needs a written explanation. Every violation is reported at
once, with the section and field it points to.

A violation's identity is its rule, section and `target`: the input a one-off rule checks, or
for a row rule the row's `key` (else its label, e.g. the fund line's name), numbered when two
rows share it. It stays the same across saves while the same rule fires on the same thing, so a
filler's explanation of a warning (`evaluations.models.WarningExplanation`) stays attached.
"""

import ast
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from evaluations.models.parts import shown_amount
from rubrics.engine.metrics import Formula, FormulaError, label_of

RULES_DIR = Path(__file__).resolve().parent / "rules"
Severity = Literal["error", "warning"]

OPERATORS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "==": (operator.eq, "="),
    "!=": (operator.ne, "≠"),
    "<=": (operator.le, "≤"),
    ">=": (operator.ge, "≥"),
    "<": (operator.lt, "<"),
    ">": (operator.gt, ">"),
}


class RuleError(ValueError):
    """A rule file that is malformed: names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    """What every rule shares: where it points and how it speaks."""

    code: str
    section: str
    field: str
    severity: Severity
    message: str

    def check(self, values: Mapping[str, Any]) -> list["Violation"]:
        raise NotImplementedError

    def violation(self, *, anchor: str = "", target: str = "", **context: str) -> "Violation":
        return Violation(
            code=self.code,
            severity=self.severity,
            section=self.section,
            field=anchor or self.field,
            message=self.message.format(
                **{"left": "", "right": "", "op": "", "row": "", **context}
            ),
            target=target or self.field,
        )


@dataclass(frozen=True)
class RequiredRule(Rule):
    """Each of `keys` must have a value."""

    keys: tuple[str, ...] = ()

    def check(self, values: Mapping[str, Any]) -> list["Violation"]:
        return [
            self.violation(anchor=key, target=key, key=label_of(key))
            for key in self.keys
            if _blank(values.get(key))
        ]


@dataclass(frozen=True)
class ComparisonRule(Rule):
    """`left operator right`, over the values or, with `for_each`, over each row of a collection."""

    left: Formula | None = None
    operator: str = "=="
    right: Formula | None = None
    for_each: str | None = None

    def check(self, values: Mapping[str, Any]) -> list["Violation"]:
        if self.for_each is None:
            return self._compare(values, {})
        found: list[Violation] = []
        seen: dict[str, int] = {}
        for row in values.get(self.for_each) or ():
            for violation in self._compare({**values, **row}, row):
                target = violation.target
                seen[target] = seen.get(target, 0) + 1
                if seen[target] > 1:  # two rows of one name: the second is "name#2"
                    violation = replace(violation, target=f"{target}#{seen[target]}")
                found.append(violation)
        return found

    def _compare(self, names: Mapping[str, Any], row: Mapping[str, Any]) -> list["Violation"]:
        if self.left is None or self.right is None:
            return []
        if any(names.get(name) is None for name in (*self.left.names, *self.right.names)):
            return []  # missing inputs are the `required` rules' business
        left, right = self.left.evaluate(names), self.right.evaluate(names)
        test, symbol = OPERATORS[self.operator]
        if test(left, right):
            return []
        # A row rule naming a field points at that cell of the row (row "index"), if the row has one.
        anchor = f"{row['index']}-{self.field}" if self.field and "index" in row else ""
        return [
            self.violation(
                anchor=anchor or row.get("anchor", ""),
                target=_row_target(row, anchor),
                left=_show(left),
                right=_show(right),
                op=symbol,
                row=row.get("label", ""),
            )
        ]


@dataclass(frozen=True)
class Violation:
    code: str
    severity: Severity
    section: str
    field: str  # the anchor of the input it points to
    message: str
    target: str = ""  # what it is about, stable across saves (see the module's docstring)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def identity(self) -> tuple[str, str, str]:
        """Rule, section and target: the key an explanation of this warning is filed under."""
        return (self.code, self.section, self.target)


def _row_target(row: Mapping[str, Any], anchor: str) -> str:
    """A row's stable name: its `key` if the table gives one, else its label, else its anchor.

    Labels name the thing (a fund line's name); anchors number the row, which shifts when rows
    are added above it, so they are the last resort.
    """
    for name in ("key", "label"):
        if row.get(name) not in (None, ""):
            return str(row[name])
    return anchor or str(row.get("anchor", ""))


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _show(value: Any) -> str:
    """Counts as integers (55 人); stored amounts with two decimals or more (96.76, 769.1121)."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return format(value, "f")
        return shown_amount(value)
    return "" if value is None else str(value)


def parse_rule(raw: Mapping[str, Any], *, source: str) -> Rule:
    """Build a rule from its YAML mapping; refuse unknown operators and bad formulas."""
    code = raw.get("code", "?")
    try:
        common = {
            "code": code,
            "section": raw["section"],
            "field": raw.get("field", ""),
            "severity": raw.get("severity", "error"),
            "message": raw["message"],
        }
        if raw.get("required"):
            return RequiredRule(**common, keys=tuple(raw["required"]))
        if raw["operator"] not in OPERATORS:
            raise RuleError(f"{source}: 规则 {code} 的运算符「{raw['operator']}」无效")
        names = _formula_names(raw)
        return ComparisonRule(
            **common,
            left=Formula.parse(str(raw["left"]), known=names),
            operator=raw["operator"],
            right=Formula.parse(str(raw["right"]), known=names),
            for_each=raw.get("for_each"),
        )
    except (KeyError, FormulaError, SyntaxError) as error:
        raise RuleError(f"{source}: 规则 {code} 有误：{error}") from error


def _formula_names(raw: Mapping[str, Any]) -> set[str]:
    """Rules may name any identifier; values decide at run time, missing ones skip the rule."""
    names: set[str] = set()
    for side in ("left", "right"):
        names |= {n.id for n in ast.walk(ast.parse(str(raw[side]))) if isinstance(n, ast.Name)}
    return names - {"min", "max", "abs"}


@cache
def load_rules(directory: Path = RULES_DIR) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for path in sorted(directory.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            rules.append(parse_rule(raw, source=path.name))
    codes = [rule.code for rule in rules]
    duplicates = {code for code in codes if codes.count(code) > 1}
    if duplicates:
        raise RuleError(f"规则编号重复：{', '.join(sorted(duplicates))}")
    return tuple(rules)


def validate(values: Mapping[str, Any], *, sections: Iterable[str]) -> list[Violation]:
    """Every violation of the rules whose section is among `sections`, all at once."""
    wanted = set(sections)
    found: list[Violation] = []
    for rule in load_rules():
        if rule.section in wanted:
            found += rule.check(values)
    return found
