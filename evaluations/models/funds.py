"""整体绩效自评基础数据表（财政资金情况） (seed 001): a tree of budget lines in 万元.

Leaf lines are typed; a parent's figures are the sums of its children's, computed in Python
over one query (`FundTree`). Published tables type their parents too: those stated figures are
kept in `FundLine.stated` so the rules can show where they differ from the computation.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from evaluations.models.campaigns import Evaluation
from evaluations.models.parts import money_field, rows_of

ZERO = Decimal(0)

# Typed money columns of a leaf line, in the seed's column order.
BUDGET_COLUMNS = ("carryover_prior", "budget_initial", "adjustment", "other_special")
SOURCE_COLUMNS = ("superior_amount", "bond_funds", "other_funds")
SPENDING_COLUMNS = (
    "carryover_spent_own",
    "carryover_spent_transfer",
    "city_spent_own",
    "city_spent_transfer",
    "superior_spent_own",
    "superior_spent_transfer",
)
TYPED_COLUMNS = (*BUDGET_COLUMNS, *SOURCE_COLUMNS, *SPENDING_COLUMNS, "balance")
# Columns every line computes: 部门调整预算数 and the two 小计.
COMPUTED_COLUMNS = ("adjusted_budget", "budget_subtotal", "spent_subtotal")
MONEY_COLUMNS = (*TYPED_COLUMNS, *COMPUTED_COLUMNS)
COLUMN_LABELS = {
    "budget_subtotal": _("财政下达预算情况小计"),
    "adjusted_budget": _("部门调整预算数"),
    "spent_subtotal": _("预算支出情况小计"),
}


class FundLine(models.Model):
    """One line of 财政资金情况: 财政拨款资金, 基本支出, a project …; `parent` makes the tree."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="fund_lines", verbose_name=_("自评")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级项目"),
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    name = models.CharField(_("项目"), max_length=200)

    carryover_prior = money_field(_("上年结转"), signed=True)
    budget_initial = money_field(_("部门年初预算数"))
    adjustment = money_field(_("调整/调剂金额"), signed=True)
    other_special = money_field(_("市级其他专项资金安排"))
    superior_doc_no = models.CharField(_("上级下达资金文号"), max_length=200, blank=True)
    superior_received_on = models.DateField(_("收到上级资金文件时间"), null=True, blank=True)
    superior_amount = money_field(_("上级补助金额"))
    bond_funds = money_field(_("债券资金"))
    other_funds = money_field(_("其他财政资金"))

    carryover_spent_own = money_field(_("上年结转预算支出：本级支出"))
    carryover_spent_transfer = money_field(_("上年结转预算支出：对下转移支付金额"))
    city_spent_own = money_field(_("市级年度预算支出：本级支出"))
    city_spent_transfer = money_field(_("市级年度预算支出：对下转移支付金额"))
    city_transfer_doc_no = models.CharField(
        _("市级年度预算支出：下达转移支付资金文号"), max_length=200, blank=True
    )
    city_transfer_on = models.DateField(
        _("市级年度预算支出：下达转移支付时间"), null=True, blank=True
    )
    superior_spent_own = money_field(_("上级补助资金支出：本级支出"))
    superior_spent_transfer = money_field(_("上级补助资金支出：对下转移支付金额"))
    superior_transfer_doc_no = models.CharField(
        _("上级补助资金支出：下达转移支付资金文号"), max_length=200, blank=True
    )
    superior_transfer_on = models.DateField(
        _("上级补助资金支出：下达转移支付时间"), null=True, blank=True
    )
    balance = money_field(_("结转结余资金"), signed=True)
    remark = models.CharField(_("备注"), max_length=1000, blank=True)
    # Figures as the department published them where the form computes them (parents' columns,
    # 部门调整预算数, 小计): column → decimal string. Rules compare them with the computation.
    stated = models.JSONField(_("上报数"), default=dict, blank=True)

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="evaluation__department__jurisdiction", department="evaluation__department"
    )

    class Meta:
        verbose_name = _("财政资金项目")
        verbose_name_plural = _("财政资金项目")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def stated_figure(self, column: str) -> Decimal | None:
        raw = self.stated.get(column)
        return None if raw is None else Decimal(str(raw))


def leaf_figures(line: FundLine) -> dict[str, Decimal]:
    """A typed line's money columns, blanks as zero, with its computed columns."""
    figures = {column: getattr(line, column) or ZERO for column in TYPED_COLUMNS}
    return with_computed(figures)


def with_computed(figures: dict[str, Decimal]) -> dict[str, Decimal]:
    """Add 部门调整预算数 = 年初预算数 + 调整/调剂 + 其他专项, and the two 小计."""
    adjusted = figures["budget_initial"] + figures["adjustment"] + figures["other_special"]
    return {
        **figures,
        "adjusted_budget": adjusted,
        "budget_subtotal": figures["carryover_prior"]
        + adjusted
        + sum((figures[c] for c in SOURCE_COLUMNS), ZERO),
        "spent_subtotal": sum((figures[c] for c in SPENDING_COLUMNS), ZERO),
    }


@dataclass
class FundNode:
    """A line in tree order with its depth, children and computed figures."""

    line: FundLine
    depth: int
    children: list["FundNode"] = field(default_factory=list)
    figures: dict[str, Decimal] = field(default_factory=dict)

    @property
    def is_parent(self) -> bool:
        return bool(self.children)

    def children_sum(self, column: str) -> Decimal | None:
        if not self.children:
            return None
        return sum((child.figures[column] for child in self.children), ZERO)

    def stated_differences(self) -> dict[str, Decimal]:
        """Stated figures that differ from the computed ones, by column."""
        found = {}
        for column in MONEY_COLUMNS:
            stated = self.line.stated_figure(column)
            if stated is not None and stated != self.figures[column]:
                found[column] = stated
        return found


class FundTree:
    """The evaluation's lines as a tree, every figure computed once, in tree order."""

    def __init__(self, lines: Iterable[FundLine]) -> None:
        lines = sorted(lines, key=lambda line: (line.order, line.pk or 0))
        nodes = {line.pk: FundNode(line, 0) for line in lines}
        self.roots: list[FundNode] = []
        for line in lines:
            parent = nodes.get(line.parent_id) if line.parent_id else None
            (parent.children if parent else self.roots).append(nodes[line.pk])
        self.nodes: list[FundNode] = []
        for root in self.roots:
            self._walk(root, 0, set())
        self.totals = {
            column: sum((root.figures[column] for root in self.roots), ZERO)
            for column in MONEY_COLUMNS
        }

    def _walk(self, node: FundNode, depth: int, seen: set[int]) -> None:
        node.depth = depth
        self.nodes.append(node)
        seen.add(node.line.pk)
        for child in node.children:
            if child.line.pk not in seen:  # a cycle is refused by the form; never loop on one
                self._walk(child, depth + 1, seen)
        if node.children:
            node.figures = {
                column: sum((child.figures.get(column, ZERO) for child in node.children), ZERO)
                for column in MONEY_COLUMNS
            }
        else:
            node.figures = leaf_figures(node.line)

    @classmethod
    def of(cls, evaluation: Evaluation) -> "FundTree":
        return cls(rows_of(evaluation, FundLine))

    def descendants(self, pk: int) -> set[int]:
        """The pks under line `pk` (itself included): lines it may not be moved under."""
        found: set[int] = set()
        for node in self.nodes:
            if node.line.pk == pk:
                stack = [node]
                while stack:
                    current = stack.pop()
                    found.add(current.line.pk)
                    stack += current.children
        return found
