"""Scoring one evaluation against a rubric: a pure function over Decimals that shows its working.

`score(rubric, inputs, claimed, verified)` recomputes every indicator from the inputs, checks the
department's claimed scores against the rules and flags each difference. Missing inputs leave an
item unscored with a warning, and so do figures too extreme to compute with: nothing here raises
on bad data. Reading requests and writing results is `rubrics.engine.io`'s.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, Overflow
from typing import Any, NamedTuple, cast

from rubrics.engine.definition import Indicator, Rubric
from rubrics.engine.metrics import (
    MetricValue,
    OutOfRange,
    label_of,
    percent,
    plain,
    points,
    same_points,
    same_ratio,
)
from rubrics.engine.rules import (
    BonusPenaltyRule,
    Context,
    DeclaredRowsRule,
    DeviationRule,
    Outcome,
    Rule,
    clamp,
)
from rubrics.engine.sanity import sanity_warnings

ZERO = Decimal(0)
TOTAL_CLAIM_KEYS = ("总分", "合计")
# What a declared row's score depends on (its place in the list aside); rows are as
# `rubrics.engine.io.parse_inputs` gives them, with every field.
ROW_FIELDS = ("target", "actual", "name", "level2", "direction", "weight", "claimed", "verified")
_row_key = operator.itemgetter(*ROW_FIELDS)
# What Decimal raises on numbers it cannot hold or round (not a zero denominator: rules decide
# what that means, and any other error is a bug to see).
BEYOND_RANGE = (OutOfRange, Overflow, InvalidOperation)


@dataclass(frozen=True)
class Claim:
    """What a department (or a reviewer) states for an indicator: its score, and the ratio shown."""

    score: Decimal | None = None
    metric: Decimal | None = None


class ItemResult(NamedTuple):
    """One scored indicator (or declared row) with its working and any flag. An immutable tuple:
    a list of thousands of declared rows makes one per row."""

    code: str
    name: str
    level: int
    weight: Decimal | None
    kind: str
    score: Decimal | None
    claimed: Decimal | None
    verified: Decimal | None
    flag: str | None
    explanation: str
    metrics: tuple[MetricValue, ...] = ()
    claimed_metric: Decimal | None = None
    group: str = ""
    parent: str = ""

    @property
    def metric(self) -> MetricValue | None:
        return self.metrics[0] if self.metrics else None


@dataclass(frozen=True)
class Subtotal:
    """The score of an indicator with children (or declared rows)."""

    code: str
    name: str
    level: int
    weight: Decimal
    score: Decimal
    complete: bool
    claimed: Decimal | None
    flag: str | None
    explanation: str = ""


@dataclass(frozen=True)
class Result:
    """Everything a scoring produced; `rubrics.engine.io.result_to_dict` gives its JSON form."""

    rubric_id: str
    rubric_title: str
    items: tuple[ItemResult, ...]
    subtotals: tuple[Subtotal, ...]
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    total_explanation: str
    grade: str
    complete: bool
    claimed_total: Decimal | None
    total_flag: str | None
    warnings: tuple[str, ...]
    declared_weight: Decimal | None = None
    unmatched: tuple[ItemResult, ...] = ()

    def item(self, key: str) -> ItemResult:
        """The item with this code or name (KeyError if none)."""
        for item in self.items:
            if key in (item.code, item.name):
                return item
        raise KeyError(key)

    def subtotal(self, key: str) -> Subtotal:
        """The subtotal with this code or name (KeyError if none)."""
        for subtotal in self.subtotals:
            if key in (subtotal.code, subtotal.name):
                return subtotal
        raise KeyError(key)

    def flagged(self) -> tuple[ItemResult, ...]:
        return tuple(item for item in self.items if item.flag)


# --- scoring --------------------------------------------------------------------------------


def score(
    rubric: Rubric,
    inputs: Mapping[str, Any],
    claimed: Mapping[str, Claim | Decimal] | None = None,
    verified: Mapping[str, Claim | Decimal] | None = None,
) -> Result:
    """Score `inputs` (as `rubrics.engine.io.parse_request` gives them) against `rubric`.

    `claimed` and `verified` map indicator names (or codes, or 总分) to scores; each computed item
    is checked against them and a judgement item takes the verified, else the claimed, score.
    """
    return _Scoring(rubric, inputs, _as_claims(claimed), _as_claims(verified)).run()


def _as_claims(raw: Mapping[str, Claim | Decimal] | None) -> dict[str, Claim]:
    if not raw:
        return {}
    return {
        key: value if isinstance(value, Claim) else Claim(score=value) for key, value in raw.items()
    }


class _Scoring:
    """The state of one scoring run; every method is a small step of `run`."""

    def __init__(
        self,
        rubric: Rubric,
        inputs: Mapping[str, Any],
        claims: dict[str, Claim],
        checks: dict[str, Claim],
    ) -> None:
        self.rubric = rubric
        self.inputs = inputs
        self.claims = claims
        self.checks = checks
        self.warnings: list[str] = []
        self.items: dict[str, list[ItemResult]] = {}
        # Per collecting indicator, the declared rows' weights added up (rows scored only).
        self.declared: dict[str, Decimal] = {}
        self.unmatched: list[ItemResult] = []
        self.groups: dict[tuple[str | None, str | None], str] = {}
        self.row_outcomes: dict[tuple[Any, ...], Outcome] = {}

    def run(self) -> Result:
        self._warn_unknown_claims()
        self.warnings += sanity_warnings(self.inputs)
        rows = self._rows_by_node()
        for leaf in self.rubric.leaves:
            if isinstance(leaf.rule, DeclaredRowsRule):
                self.items[leaf.code] = self._score_rows(leaf, leaf.rule, rows.get(leaf.code, []))
            elif not isinstance(leaf.rule, DeviationRule):
                self.items[leaf.code] = [self._score_leaf(leaf)]
        adjustment, bonus, penalty = self._score_adjustments()
        self._score_deviation(bonus - penalty)
        subtotals, tree_sum, complete = self._aggregate()
        total, total_text = self._total(tree_sum, bonus, penalty)
        declared_weight = self._declared_weight()
        total_text += self._declared_weight_text(declared_weight)
        claimed_total, total_flag = self._check_total(total, complete=complete)
        if not complete:
            self.warnings.append(self._provisional_warning())
        return Result(
            rubric_id=self.rubric.id,
            rubric_title=self.rubric.title,
            items=(*self._all_items(), *((adjustment,) if adjustment else ())),
            subtotals=tuple(subtotals),
            bonus=bonus,
            penalty=penalty,
            total=total,
            total_explanation=total_text,
            grade=self.rubric.grade_for(total),
            complete=complete,
            claimed_total=claimed_total,
            total_flag=total_flag,
            warnings=tuple(self.warnings),
            declared_weight=declared_weight,
            unmatched=tuple(self.unmatched),
        )

    def _provisional_warning(self) -> str:
        unscored = sum(1 for item in self._all_items() if item.score is None)
        if unscored:
            return f"有 {unscored} 项指标未评分，总分和等级为暂定"
        return "部分指标没有申报内容，总分和等级为暂定"

    def _all_items(self) -> list[ItemResult]:
        return [item for leaf in self.rubric.leaves for item in self.items.get(leaf.code, [])]

    def _claim(self, node: Indicator) -> Claim:
        return self.claims.get(node.name) or self.claims.get(node.code) or Claim()

    def _check(self, node: Indicator) -> Claim:
        return self.checks.get(node.name) or self.checks.get(node.code) or Claim()

    def _warn_unknown_claims(self) -> None:
        known = self.rubric.known_claim_keys() | set(TOTAL_CLAIM_KEYS)
        for source, mapping in (("自评得分", self.claims), ("核查得分", self.checks)):
            for key in mapping:
                if key not in known:
                    self.warnings.append(f"{source}中的「{key}」不是本评分表的指标，已忽略")

    # --- leaves -----------------------------------------------------------------------------

    def _score_leaf(self, leaf: Indicator) -> ItemResult:
        rule = cast(Rule, leaf.rule)  # load_rubric gives every leaf a rule
        claim, check = self._claim(leaf), self._check(leaf)
        judged = check.score if check.score is not None else claim.score
        try:
            outcome = rule.evaluate(Context(weight=leaf.weight, inputs=self.inputs, judged=judged))
        except BEYOND_RANGE as error:
            outcome = _beyond_range(error)
        return self._item(leaf, outcome, claim=claim, check=check, kind=rule.kind)

    def _item(
        self,
        node: Indicator,
        outcome: Outcome,
        *,
        claim: Claim,
        check: Claim,
        kind: str,
        weight: Decimal | None = None,
        code: str | None = None,
        name: str | None = None,
        group: str = "",
        parent: str = "",
    ) -> ItemResult:
        code, name = code or node.code, name or node.name
        judged = claim.score is not None or check.score is not None
        self._warn_unscored(code, name, outcome, judged=judged)
        flags = [*outcome.notes, *_score_flags(outcome, claim=claim, check=check)]
        flags += _metric_flags(outcome, claim)
        return ItemResult(
            code=code,
            name=name,
            level=node.level if weight is None else node.level + 1,
            weight=node.weight if weight is None else weight,
            kind=kind,
            score=outcome.score,
            claimed=claim.score,
            verified=check.score,
            flag="；".join(flags) or None,
            explanation=outcome.explanation,
            metrics=outcome.metrics,
            claimed_metric=claim.metric,
            group=group,
            parent=parent,
        )

    def _warn_unscored(self, code: str, name: str, outcome: Outcome, *, judged: bool) -> None:
        if outcome.score is not None:
            return
        if outcome.missing:
            labels = "、".join(label_of(key) for key in outcome.missing)
            self.warnings.append(f"缺少输入 {labels}：指标 {code}「{name}」未评分")
        elif outcome.judgement and not judged:
            self.warnings.append(f"指标 {code}「{name}」为人工评分项，尚无自评或核查得分")
        else:
            self.warnings.append(f"指标 {code}「{name}」未评分：{outcome.explanation}")

    # --- declared rows ----------------------------------------------------------------------

    def _rows_by_node(self) -> dict[str, list[Mapping[str, Any]]]:
        """Rows under the indicator collecting their 一级指标; the others are shown unscored."""
        owners = self.rubric.declared_nodes()
        grouped: dict[str, list[Mapping[str, Any]]] = {}
        found: dict[str, Indicator | None] = {}  # a list repeats a few 一级指标 many times
        for row in self.inputs.get("indicators") or ():
            level1 = str(row.get("level1") or "")
            if level1 not in found:
                found[level1] = owners.get(level1)
            node = found[level1]
            if node is None:
                self._unmatched(row)
                continue
            grouped.setdefault(node.code, []).append(row)
        return grouped

    def _unmatched(self, row: Mapping[str, Any]) -> None:
        reason = f"一级指标「{row.get('level1')}」不在评分表「{self.rubric.id}」中，未计分"
        self.warnings.append(f"申报指标「{row.get('name')}」的{reason}")
        self.unmatched.append(
            ItemResult(
                code=f"未归类.{len(self.unmatched) + 1}",
                name=str(row.get("name")),
                level=1,
                weight=row["weight"],
                kind="unmatched",
                score=None,
                claimed=row.get("claimed"),
                verified=row.get("verified"),
                flag=reason,
                explanation=f"指标值「{row.get('target') or '—'}」，完成值「{row.get('actual') or '—'}」：{reason}",
                group=" / ".join(str(row[key]) for key in ("level1", "level2") if row.get(key)),
            )
        )

    def _score_rows(
        self, node: Indicator, rule: DeclaredRowsRule, rows: Sequence[Mapping[str, Any]]
    ) -> list[ItemResult]:
        oversized = {id(row) for row in rows if row["weight"] > self.rubric.total}
        declared = sum((row["weight"] for row in rows if id(row) not in oversized), ZERO)
        self.declared[node.code] = declared
        if not rows:
            self.warnings.append(f"指标 {node.code}「{node.name}」没有申报的绩效指标")
        elif declared != node.weight:
            self.warnings.append(
                f"指标 {node.code}「{node.name}」下申报指标分值合计 {plain(declared)}，"
                f"与评分表规定的 {plain(node.weight)} 不符"
            )
        return [
            self._oversized_row(node, row, index)
            if id(row) in oversized
            else self._score_row(node, rule, row, index)
            for index, row in enumerate(rows, start=1)
        ]

    def _oversized_row(self, node: Indicator, row: Mapping[str, Any], index: int) -> ItemResult:
        """A row whose weight exceeds the whole sheet's total is not scored (nor counted)."""
        reason = f"分值 {plain(row['weight'])} 超过评分表总分 {plain(self.rubric.total)}，未计分"
        self.warnings.append(f"申报指标「{row['name']}」的{reason}")
        outcome = Outcome(None, reason, notes=(reason,))
        return self._row_item(node, row, index, outcome)

    def _score_row(
        self, node: Indicator, rule: DeclaredRowsRule, row: Mapping[str, Any], index: int
    ) -> ItemResult:
        claimed, verified = row.get("claimed"), row.get("verified")
        # Lists repeat whole rows (「服务对象满意度 ≥90% 95%」 in every project): a row scores the
        # same wherever it stands, so each distinct row is scored once per run.
        key = _row_key(row)
        outcome = self.row_outcomes.get(key)
        if outcome is None:
            try:
                outcome = rule.score_row(row, judged=verified if verified is not None else claimed)
            except BEYOND_RANGE as error:
                outcome = _beyond_range(error)
            self.row_outcomes[key] = outcome
        return self._row_item(node, row, index, outcome)

    def _row_item(
        self, node: Indicator, row: Mapping[str, Any], index: int, outcome: Outcome
    ) -> ItemResult:
        """A declared row's item, as `_item` makes a leaf's (rows have no metric claimed: this
        is the path a list of thousands of rows takes)."""
        code, name = f"{node.code}.{index}", row["name"]
        claimed, verified = row.get("claimed"), row.get("verified")
        if outcome.score is None:
            self._warn_unscored(code, name, outcome, judged=(claimed, verified) != (None, None))
        flags = _row_flags(outcome, claimed=claimed, verified=verified)
        return ItemResult(
            code,
            name,
            node.level + 1,
            row["weight"],
            "qualitative" if outcome.judgement else "target_actual",
            outcome.score,
            claimed,
            verified,
            "；".join(flags) if flags else None,
            outcome.explanation,
            (),
            None,
            self._group(row.get("level1"), row.get("level2")),
            node.code,
        )

    def _group(self, level1: str | None, level2: str | None) -> str:
        """「产出指标 / 数量指标」, made once per pair (a list repeats a few pairs many times)."""
        key = (level1, level2)
        if key not in self.groups:
            self.groups[key] = " / ".join(str(part) for part in key if part)
        return self.groups[key]

    # --- bonus, penalty and the self/checked deviation ---------------------------------------

    def _score_adjustments(self) -> tuple[ItemResult | None, Decimal, Decimal]:
        node = self.rubric.adjustments
        if node is None or not isinstance(node.rule, BonusPenaltyRule):
            return None, ZERO, ZERO
        bonus, penalty, text, missing = node.rule.amounts(self.inputs)
        net = bonus - penalty
        outcome = Outcome(net, text, missing=missing)
        claim = self._claim(node)
        flags = []
        if claim.score is not None and not same_points(claim.score, net):
            flags.append(f"自评加减分 {points(claim.score)} 分，按规则为 {_signed(net)} 分")
        if missing:
            labels = "、".join(label_of(key) for key in missing)
            self.warnings.append(f"缺少输入 {labels}：加减分按 0 计")
        item = ItemResult(
            code=node.code,
            name=node.name,
            level=node.level,
            weight=None,
            kind=node.rule.kind,
            score=outcome.score,
            claimed=claim.score,
            verified=self._check(node).score,
            flag="；".join(flags) or None,
            explanation=text,
        )
        return item, bonus, penalty

    def _score_deviation(self, adjustment: Decimal) -> None:
        leaf = next((n for n in self.rubric.leaves if isinstance(n.rule, DeviationRule)), None)
        if leaf is None or leaf.rule is None:
            return
        claim, check = self._claim(leaf), self._check(leaf)
        judged = check.score if check.score is not None else claim.score
        base = clamp(judged, ZERO, leaf.weight) if judged is not None else None
        checked = self._checked_total(leaf, base, adjustment)
        outcome = leaf.rule.evaluate(
            Context(
                weight=leaf.weight,
                inputs=self.inputs,
                judged=judged,
                self_total=self._self_total(leaf),
                checked_total=checked,
            )
        )
        self.items[leaf.code] = [
            self._item(leaf, outcome, claim=claim, check=check, kind=leaf.rule.kind)
        ]

    def _self_total(self, leaf: Indicator) -> Decimal | None:
        """The department's own total: as stated, else the sum of its claims (None if any is absent)."""
        stated = self._stated_total()
        if stated is None:
            parts = [item.claimed for item in self._all_items()] + [self._claim(leaf).score]
            if any(part is None for part in parts):
                return None
            adjustments = self.rubric.adjustments
            stated = sum((part for part in parts if part is not None), ZERO)
            stated += (self._claim(adjustments).score or ZERO) if adjustments else ZERO
        return clamp(stated, ZERO, self.rubric.total)

    def _stated_total(self) -> Decimal | None:
        return next((self.claims[k].score for k in TOTAL_CLAIM_KEYS if k in self.claims), None)

    def _checked_total(
        self, leaf: Indicator, base: Decimal | None, adjustment: Decimal
    ) -> Decimal | None:
        """The total the rules give with this item at its judged base (None if anything is unscored)."""
        if base is None or any(item.score is None for item in self._all_items()):
            return None
        _, tree_sum, _ = self._aggregate(extra={leaf.code: base})
        return clamp(tree_sum + adjustment, ZERO, self.rubric.total)

    # --- subtotals and total ----------------------------------------------------------------

    def _aggregate(
        self, extra: Mapping[str, Decimal] | None = None
    ) -> tuple[list[Subtotal], Decimal, bool]:
        subtotals: list[Subtotal] = []
        overrides = extra or {}
        total, complete = ZERO, True
        for node in self.rubric.indicators:
            value, done = self._node_score(node, subtotals, overrides)
            total += value
            complete = complete and done
        return subtotals, total, complete

    def _node_score(
        self, node: Indicator, out: list[Subtotal], overrides: Mapping[str, Decimal]
    ) -> tuple[Decimal, bool]:
        if node.code in overrides:
            return overrides[node.code], True
        if node.is_leaf and not isinstance(node.rule, DeclaredRowsRule):
            scores = [item.score for item in self.items.get(node.code, [])]
            return (scores[0], True) if scores and scores[0] is not None else (ZERO, False)
        if node.is_leaf:
            return self._rows_subtotal(node, out)
        value, complete = ZERO, True
        for child in node.children:
            child_value, child_done = self._node_score(child, out, overrides)
            value += child_value
            complete = complete and child_done
        out.append(self._subtotal(node, value, complete, ""))
        return value, complete

    def _rows_subtotal(self, node: Indicator, out: list[Subtotal]) -> tuple[Decimal, bool]:
        rows = self.items.get(node.code, [])
        raw = sum((row.score for row in rows if row.score is not None), ZERO)
        complete = bool(rows) and all(row.score is not None for row in rows)
        declared = self.declared.get(node.code, ZERO)
        value, note = min(raw, node.weight), ""
        if declared > node.weight:
            # The rows were weighed against more points than the sheet gives this family: their
            # scores are brought back to its weight in proportion, as the sheet frames it.
            value = raw * self._row_scale(node)
            note = (
                f"申报指标分值合计 {plain(declared)}，超过本项分值 {plain(node.weight)}，"
                f"按本项分值折算：{points(raw)} × {plain(node.weight)} ÷ {plain(declared)} "
                f"= {points(value)} 分"
            )
        elif raw > node.weight:
            note = (
                f"申报指标得分合计 {points(raw)} 分，超过本项分值 {points(node.weight)}，按满分计"
            )
        out.append(self._subtotal(node, value, complete, note))
        return value, complete

    def _row_scale(self, node: Indicator) -> Decimal:
        """What a row's points count for in its family: weight ÷ declared, when declared more."""
        declared = self.declared.get(node.code, ZERO)
        return node.weight / declared if declared > node.weight else Decimal(1)

    def _subtotal(self, node: Indicator, value: Decimal, complete: bool, note: str) -> Subtotal:
        claim = self._claim(node).score
        flag = None
        ceiling = min(value + self._unscored_weight(node), node.weight)
        if claim is not None and not complete and claim > ceiling:
            flag = (
                f"自评小计 {points(claim)} 分，超过可能的最高分 {points(ceiling)} 分"
                f"（已计算 {points(value)} 分，未评分指标按满分计）"
            )
        elif claim is not None and not complete:
            flag = f"部分下级指标未评分，自评小计 {points(claim)} 分无法核实"
        elif claim is not None and not same_points(claim, value):
            flag = f"自评小计 {points(claim)} 分，按规则计算为 {points(value)} 分"
        return Subtotal(
            node.code, node.name, node.level, node.weight, value, complete, claim, flag, note
        )

    def _unscored_weight(self, node: Indicator) -> Decimal:
        """The points still open under `node`: the weights of what could not be scored."""
        if node.is_leaf and not isinstance(node.rule, DeclaredRowsRule):
            scores = [item.score for item in self.items.get(node.code, [])]
            return ZERO if scores and scores[0] is not None else node.weight
        if node.is_leaf:
            rows = self.items.get(node.code, [])
            if not rows:
                return node.weight
            open_weight = sum((row.weight or ZERO for row in rows if row.score is None), ZERO)
            return open_weight * self._row_scale(node)
        return sum((self._unscored_weight(child) for child in node.children), ZERO)

    def _total(self, tree_sum: Decimal, bonus: Decimal, penalty: Decimal) -> tuple[Decimal, str]:
        raw = tree_sum + bonus - penalty
        total = clamp(raw, ZERO, self.rubric.total)
        text = f"指标得分 {points(tree_sum)} + 加分 {points(bonus)} − 减分 {points(penalty)} = {points(raw)}"
        if raw > self.rubric.total:
            text += f"，超过满分 {points(self.rubric.total)}，按 {points(total)} 分计"
        elif raw < 0:
            text += "，低于 0，按 0 分计"
        return total, text

    def _declared_weight(self) -> Decimal | None:
        """The sheet's points as the department declared them: its rows' weights, and the
        rubric's own weight for every other indicator. None when no rows were declared."""
        if not self.declared:
            return None
        return sum((self.declared.get(leaf.code, leaf.weight) for leaf in self.rubric.leaves), ZERO)

    def _declared_weight_text(self, declared: Decimal | None) -> str:
        if declared is None or declared == self.rubric.total:
            return ""
        relation = "超过" if declared > self.rubric.total else "少于"
        text = f"；申报分值合计 {plain(declared)}，{relation}评分表总分 {plain(self.rubric.total)}"
        if declared > self.rubric.total:
            text += "，各一级指标在评分表规定的分值内计分"
        return text

    def _check_total(self, total: Decimal, *, complete: bool) -> tuple[Decimal | None, str | None]:
        stated = self._stated_total()
        if stated is None:
            return None, None
        flags = []
        if stated > self.rubric.total:
            flags.append(f"自评总分 {points(stated)} 分超过满分 {points(self.rubric.total)} 分")
        if not complete:
            flags.append(
                f"部分指标未评分，自评总分 {points(stated)} 分无法完全核实（已计算部分 {points(total)} 分）"
            )
        elif not same_points(stated, total):
            flags.append(f"自评总分 {points(stated)} 分，按规则计算为 {points(total)} 分")
        return stated, "；".join(flags) or None


def _beyond_range(error: ArithmeticError) -> Outcome:
    """An item whose numbers Decimal cannot hold (1 ÷ 1e-999999) is left unscored, and the
    warning names the inputs at fault: a request is never refused for one extreme figure."""
    if isinstance(error, OutOfRange):
        return Outcome(None, f"{error}，无法计算")
    return Outcome(None, "数值超出可计算的范围，无法计算")


def _score_flags(outcome: Outcome, *, claim: Claim, check: Claim) -> list[str]:
    """Where the department's or the reviewer's score departs from the rule (or from each other)."""
    if outcome.score is None:
        return (
            [f"缺少数据，自评 {points(claim.score)} 分无法核实"] if claim.score is not None else []
        )
    if outcome.judgement:
        if claim.score is None or check.score is None or same_points(claim.score, check.score):
            return []
        return [f"自评 {points(claim.score)} 分，核查 {points(check.score)} 分"]
    flags = []
    for who, given in (("自评", claim.score), ("核查", check.score)):
        if given is not None and not same_points(given, outcome.score):
            flags.append(f"{who} {points(given)} 分，按规则计算为 {points(outcome.score)} 分")
    return flags


def _row_flags(
    outcome: Outcome, *, claimed: Decimal | None, verified: Decimal | None
) -> tuple[str, ...]:
    """`_score_flags` of a declared row, after the outcome's own notes (the common case, a
    claim that agrees with the rule, makes no list)."""
    if claimed is None and verified is None:
        return outcome.notes
    if (
        outcome.score is not None
        and not outcome.judgement
        and (claimed is None or same_points(claimed, outcome.score))
        and (verified is None or same_points(verified, outcome.score))
    ):
        return outcome.notes
    return (
        *outcome.notes,
        *_score_flags(outcome, claim=Claim(score=claimed), check=Claim(score=verified)),
    )


def _metric_flags(outcome: Outcome, claim: Claim) -> list[str]:
    metric = outcome.metrics[0] if outcome.metrics else None
    if claim.metric is None or metric is None or metric.value is None:
        return []
    if same_ratio(claim.metric, metric.value):
        return []
    return [f"填报{metric.label} {percent(claim.metric)}，按公式计算为 {metric.display}"]


def _signed(value: Decimal) -> str:
    return f"+{points(value)}" if value > 0 else points(value)
