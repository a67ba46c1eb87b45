"""整体绩效自评基础数据表（财政资金情况） (seed 001): the tree of budget lines as one wide table.

Two sections over the same lines: 项目结构 (names, parents, order; add and remove lines) and
资金数据 (the figures of leaf lines; a new line can be added under any parent). Parents' figures
and the computed columns are shown read-only, computed by `FundTree` from one query.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from evaluations.formatting import money, widget_html
from evaluations.models import Evaluation, FundLine
from evaluations.models.funds import (
    COLUMN_LABELS,
    COMPUTED_COLUMNS,
    MONEY_COLUMNS,
    TYPED_COLUMNS,
    FundNode,
    FundTree,
)
from evaluations.tables.base import owned_fields, save_owned
from evaluations.tables.basic import guangdong
from evaluations.tables.registry import Section, Table, register, register_table

TABLE = register_table(
    Table("funds", str(_("整体绩效自评基础数据表（财政资金情况）")), applies_to=guangdong)
)
# Lines deeper than 一、 › (一) › 1. are projects: they hold figures, not other lines.
MAX_PARENT_DEPTH = 2
DETAIL_COLUMNS = (
    "superior_doc_no",
    "superior_received_on",
    "city_transfer_doc_no",
    "city_transfer_on",
    "superior_transfer_doc_no",
    "superior_transfer_on",
)
# The seed's columns after 项目, left to right (see the grouped header in _funds_table.html).
DISPLAY_COLUMNS = (
    "budget_subtotal",
    "carryover_prior",
    "budget_initial",
    "adjustment",
    "other_special",
    "adjusted_budget",
    "superior_doc_no",
    "superior_received_on",
    "superior_amount",
    "bond_funds",
    "other_funds",
    "spent_subtotal",
    "carryover_spent_own",
    "carryover_spent_transfer",
    "city_spent_own",
    "city_spent_transfer",
    "city_transfer_doc_no",
    "city_transfer_on",
    "superior_spent_own",
    "superior_spent_transfer",
    "superior_transfer_doc_no",
    "superior_transfer_on",
    "balance",
    "remark",
)
FORMULAS = {
    "adjusted_budget": _("年初预算数 + 调整/调剂金额 + 市级其他专项资金安排"),
    "budget_subtotal": _("上年结转 + 部门调整预算数 + 上级补助金额 + 债券资金 + 其他财政资金"),
    "spent_subtotal": _("各项本级支出与对下转移支付金额之和"),
}


def column_label(column: str) -> str:
    if column in COLUMN_LABELS:
        return str(COLUMN_LABELS[column])
    return str(FundLine._meta.get_field(column).verbose_name)  # type: ignore[union-attr]


@dataclass(frozen=True)
class Cell:
    """One cell of a line: an input, a computed figure (with the stated one if it differs), or blank."""

    column: str
    dom_id: str
    field: Any = None
    value: Decimal | None = None
    stated: Decimal | None = None
    extra: Any = None  # a check box after the input (采用计算数 in the remark cell)

    @property
    def label(self) -> str:
        """The column's name, which a phone shows beside the value when a row becomes a card."""
        return column_label(self.column)

    @property
    def computed(self) -> bool:
        return self.field is None and self.value is not None

    def td_html(self, row_name: str) -> str:
        """The whole cell, escaped: built here as a 300-line table has 7,000 of them."""
        css = ("" if self.column == "remark" else "num") + (
            " computed-cell" if self.computed else ""
        )
        if self.field is not None:
            errors = "".join(
                f'<span class="errors">{escape(str(e))}</span>' for e in self.field.errors
            )
            content = (
                f'<label class="visually-hidden" for="{escape(self.field.id_for_label)}">'
                f"{escape(row_name)} {escape(str(self.field.label))}</label>"
                f"{widget_html(self.field)}{errors}{self._extra_html()}"
            )
        else:
            content = self.figure_html if self.computed else ""
        return f'<td class="{css}" data-label="{escape(self.label)}">{content}</td>'

    def _extra_html(self) -> str:
        if self.extra is None:
            return ""
        return (
            f'<label class="accept-computed" title="{escape(str(self.extra.help_text))}">'
            f"{widget_html(self.extra)} {escape(str(self.extra.label))}</label>"
        )

    @property
    def figure_html(self) -> SafeString:
        return self._figure("")

    @property
    def figure_oob_html(self) -> SafeString:
        return self._figure(' hx-swap-oob="true"')

    def _figure(self, oob: str) -> SafeString:
        stated = ""
        if self.stated is not None:
            word = escape(str(_("上报")))  # outside the f-string, where makemessages finds it
            stated = f'<small class="stated">{word} {money(self.stated)}</small>'
        return mark_safe(  # noqa: S308 - ids, figures and a translated word, escaped
            f'<span id="{escape(self.dom_id)}" class="figure"{oob}>{money(self.value)}{stated}</span>'
        )


def computed_oob_html(tree: FundTree, prefix: str) -> SafeString:
    """After a save, every computed figure and the 总计 row, straight from the tree.

    The same cells as the figures formset shows, without building 25 forms to find them.
    """
    cells = []
    for index, node in enumerate(tree.nodes):
        differences = node.stated_differences()
        for column in MONEY_COLUMNS if node.is_parent else COMPUTED_COLUMNS:
            value = node.figures.get(column)
            dom_id = f"id_{prefix}-{index}-{column}"
            cells.append(Cell(column, dom_id, value=value, stated=differences.get(column)))
    cells += [
        Cell(column, f"id_{prefix}-total-{column}", value=tree.totals[column])
        for column in DISPLAY_COLUMNS
        if column in MONEY_COLUMNS
    ]
    return mark_safe("".join(cell.figure_oob_html for cell in cells if cell.value is not None))  # noqa: S308


def parent_choices(tree: FundTree) -> list[tuple[Any, str]]:
    """Lines a line may be filed under: the top levels, indented as in the table."""
    return [("", str(_("（无：顶级项目）")))] + [
        (node.line.pk, "\u3000" * node.depth + node.line.name)
        for node in tree.nodes
        if node.depth <= MAX_PARENT_DEPTH
    ]


class ParentChoiceField(forms.TypedChoiceField):
    """The line to file a line under, among lines already loaded (no query per form)."""

    def __init__(self, choices: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(choices=choices, coerce=int, empty_value=None, required=False, **kwargs)


class LineChoiceField(forms.ModelChoiceField):
    """The formset's hidden id, resolved among the lines already loaded instead of one query per row."""

    def __init__(self, lines: Mapping[int, FundLine], **kwargs: Any) -> None:
        self.lines = lines
        super().__init__(queryset=None, **kwargs)

    def to_python(self, value: Any) -> FundLine | None:
        if value in self.empty_values:
            return None
        try:
            return self.lines[int(value)]
        except (KeyError, TypeError, ValueError) as error:
            raise ValidationError(
                _("该项目已被他人删除，请刷新页面。"), code="invalid_choice"
            ) from error


class FundLineFormSet(forms.BaseModelFormSet):
    """Lines in tree order; each form knows its node (depth, children, computed figures)."""

    def __init__(self, *args: Any, tree: FundTree, **kwargs: Any) -> None:
        self.tree = tree
        self.by_pk = {node.line.pk: node for node in tree.nodes}
        self.ordered = [node.line for node in tree.nodes]
        self.lines = {line.pk: line for line in self.ordered}
        self.parent_choices = parent_choices(tree)
        self.structure_changed = False
        super().__init__(*args, **kwargs)

    def get_queryset(self) -> list[FundLine]:  # type: ignore[override]
        return self.ordered

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"tree": self.tree, "by_pk": self.by_pk, "parents": self.parent_choices}

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        # Django's version gives each form a scoped queryset for its id: one per row, and slow.
        forms.BaseFormSet.add_fields(self, form, index)  # type: ignore[misc]
        self._pk_field = FundLine._meta.pk
        instance = form.instance  # type: ignore[attr-defined]
        form.fields["id"] = LineChoiceField(
            self.lines,
            initial=None if instance._state.adding else instance.pk,
            required=False,
            widget=forms.HiddenInput,
        )

    def column_label(self, column: str) -> str:
        """The heading of a column, computed ones included (the Excel export names them)."""
        return column_label(column)

    def total_cells(self) -> list[Cell]:
        return [
            Cell(
                column,
                f"id_{self.prefix}-total-{column}",
                value=self.tree.totals[column] if column in MONEY_COLUMNS else None,
            )
            for column in DISPLAY_COLUMNS
        ]


class StructureForm(forms.ModelForm):
    """Name, place in the tree and order of one line."""

    parent = forms.IntegerField(required=False)  # replaced per formset by a ParentChoiceField

    class Meta:
        model = FundLine
        fields = ["name", "order"]

    def __init__(
        self,
        *args: Any,
        tree: FundTree,
        by_pk: dict[int, FundNode],
        parents: list[tuple[Any, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tree = tree
        self.node = by_pk.get(self.instance.pk)
        self.fields["parent"] = ParentChoiceField(parents, label=_("上级项目"))
        self.fields["parent"].initial = self.instance.parent_id
        self.fields["order"].widget.attrs["min"] = 0

    def clean_parent(self) -> int | None:
        parent = self.cleaned_data.get("parent")
        if (
            parent is not None
            and self.instance.pk
            and parent in self.tree.descendants(self.instance.pk)
        ):
            raise ValidationError(_("不能把项目放在它自己或它的下级项目之下。"))
        return parent


class FiguresForm(forms.ModelForm):
    """A leaf line's typed figures; a parent line only has its remark; a new line names itself."""

    parent = forms.IntegerField(required=False)

    class Meta:
        model = FundLine
        fields = ["name", *TYPED_COLUMNS, *DETAIL_COLUMNS, "remark"]
        widgets = {
            "superior_received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "city_transfer_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "superior_transfer_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(
        self,
        *args: Any,
        tree: FundTree,
        by_pk: dict[int, FundNode],
        parents: list[tuple[Any, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.node = by_pk.get(self.instance.pk)
        if self.node is None:
            self.fields["parent"] = ParentChoiceField(parents, label=_("上级项目"))
            self.fields["name"].required = False  # an untouched empty row adds nothing
        else:
            del self.fields["name"], self.fields["parent"]
            if self.node.is_parent:
                for column in (*TYPED_COLUMNS, *DETAIL_COLUMNS):
                    del self.fields[column]
            if self.node.stated_differences():
                # Figures typed in a published table (an import) that the computation disputes:
                # the filler corrects them by taking the computed ones.
                self.fields.update(self.occasional_fields())

    @staticmethod
    def occasional_fields() -> dict[str, forms.Field]:
        """Fields only some rows have (documented in the API schema with the others)."""
        return {
            "accept_computed": forms.BooleanField(
                required=False,
                initial=False,
                label=_("采用计算数"),
                help_text=_("删除与计算数不一致的上报数"),
            )
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.node is None and self.has_changed() and not cleaned.get("name"):
            self.add_error("name", _("请填写新增项目的名称。"))
        return cleaned

    @property
    def cells_html(self) -> SafeString:
        name = self.node.line.name if self.node else str(_("新增项目"))
        return mark_safe("".join(cell.td_html(name) for cell in self.cells()))  # noqa: S308

    def cells(self) -> list[Cell]:
        figures = self.node.figures if self.node else {}
        differences = self.node.stated_differences() if self.node else {}
        cells = []
        for column in DISPLAY_COLUMNS:
            dom_id = f"id_{self.prefix}-{column}"
            if column == "remark" and "accept_computed" in self.fields:
                cells.append(
                    Cell(column, dom_id, field=self[column], extra=self["accept_computed"])
                )
            elif column in self.fields:
                cells.append(Cell(column, dom_id, field=self[column]))
            elif column in COMPUTED_COLUMNS or (self.node and column in MONEY_COLUMNS):
                cells.append(
                    Cell(column, dom_id, value=figures.get(column), stated=differences.get(column))
                )
            else:
                cells.append(Cell(column, dom_id))
        return cells


def _formset(form: type[forms.ModelForm], extra: int, *, can_delete: bool) -> type[FundLineFormSet]:
    return forms.modelformset_factory(  # type: ignore[return-value]
        FundLine,
        form=form,
        formset=FundLineFormSet,
        extra=extra,
        can_delete=can_delete,
    )


StructureFormSet = _formset(StructureForm, 1, can_delete=True)
FiguresFormSet = _formset(FiguresForm, 1, can_delete=False)


def _build(formset_class: type[FundLineFormSet]) -> Any:
    def build_form(
        evaluation: Evaluation, data: QueryDict | None = None, files: Any = None, *, prefix: str
    ) -> FundLineFormSet:
        return formset_class(data, files, prefix=prefix, tree=FundTree.of(evaluation))

    return build_form


def save_lines(evaluation: Evaluation, formset: FundLineFormSet) -> None:
    """Save changed lines, file new ones last among their siblings, delete the removed ones."""
    orders = dict(
        FundLine.objects.filter(evaluation=evaluation)
        .values("parent_id")
        .annotate(last=Max("order"))
        .values_list("parent_id", "last")
    )
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        line = form.save(commit=False)
        if "parent" in form.cleaned_data:
            line.parent_id = form.cleaned_data["parent"]
        if line.pk is None or {"name", "parent", "order"} & set(form.changed_data):
            formset.structure_changed = True
        if line.pk is None:
            line.evaluation = evaluation
            if "order" not in form.changed_data:
                line.order = orders.get(line.parent_id, -1) + 1
                orders[line.parent_id] = line.order
            line.save()
        else:
            # Structure and figures are two sections over the same rows: each writes its own.
            owned = owned_fields(form)
            if form.cleaned_data.get("accept_computed"):
                line.stated = {}
                owned.append("stated")
            save_owned(line, owned)
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
            formset.structure_changed = True


def _line_row(index: int, node: FundNode) -> dict[str, Any]:
    line = node.line
    row: dict[str, Any] = {
        "index": index,
        "label": line.name,
        "anchor": f"{index}-{'remark' if node.is_parent else 'budget_initial'}",
        "depth": node.depth,
        "is_parent": node.is_parent,
        **{column: _short(figure) for column, figure in node.figures.items()},
    }
    for column in MONEY_COLUMNS:
        row[f"children_{column}"] = _short(node.children_sum(column))
        row[f"stated_{column}"] = _short(line.stated_figure(column))
    if not node.is_parent:
        for column in DETAIL_COLUMNS:
            row[column] = getattr(line, column) or None
        row["city_transfer_doc_given"] = Decimal(bool(line.city_transfer_doc_no))
        row["superior_transfer_doc_given"] = Decimal(bool(line.superior_transfer_doc_no))
    return row


def _short(value: Decimal | None) -> Decimal | None:
    """At the money precision, so messages show every amount alike (1000.00, 150.77)."""
    return None if value is None else value.quantize(Decimal("0.0001"))


def _stated_row(index: int, node: FundNode, column: str, *, computed: Decimal) -> dict[str, Any]:
    text = f"{node.line.name}」的「{column_label(column)}"
    if not node.is_parent and column in FORMULAS:
        text += f"（= {FORMULAS[column]}）"
    return {
        "label": text,
        "anchor": f"{index}-{column}",
        "stated": _short(node.line.stated_figure(column)),
        "computed": _short(computed),
    }


def fund_values(evaluation: Evaluation) -> dict[str, Any]:
    """Rows for the rules (each line, its stated figures) and the totals the metrics read."""
    tree = FundTree.of(evaluation)
    lines, parents_stated, formulas_stated = [], [], []
    for index, node in enumerate(tree.nodes):
        lines.append(_line_row(index, node))
        for column in MONEY_COLUMNS:
            if node.line.stated_figure(column) is None:
                continue
            if node.is_parent:
                total = node.figures[column]  # a parent's figure is its children's sum
                parents_stated.append(_stated_row(index, node, column, computed=total))
            elif column in COMPUTED_COLUMNS:
                figure = node.figures[column]
                formulas_stated.append(_stated_row(index, node, column, computed=figure))
    values: dict[str, Any] = {
        "fund_lines": lines,
        "fund_leaves": [row for row in lines if not row["is_parent"]],
        "fund_parents_stated": parents_stated,
        "fund_formulas_stated": formulas_stated,
    }
    values.update(_budget_totals(tree))
    return values


def fund_inputs(evaluation: Evaluation) -> dict[str, Any]:
    """Only the totals the data dictionary names (for scoring many evaluations)."""
    return _budget_totals(FundTree.of(evaluation))


def _budget_totals(tree: FundTree) -> dict[str, Any]:
    if not tree.nodes:
        return {}
    return {
        "budget_initial": tree.totals["budget_initial"],
        "budget_full_year": tree.totals["budget_subtotal"],
        "budget_executed": tree.totals["spent_subtotal"],
    }


register(
    Section(
        key="funds.structure",
        title=str(_("项目结构")),
        table=TABLE.slug,
        build_form=_build(StructureFormSet),
        save=save_lines,
        values=lambda evaluation: {},
        template="evaluations/sections/_funds_structure.html",
        live_template="evaluations/sections/_funds_live.html",
        applies_to=guangdong,
    )
)

register(
    Section(
        key="funds.figures",
        title=str(_("资金数据")),
        table=TABLE.slug,
        build_form=_build(FiguresFormSet),
        save=save_lines,
        values=fund_values,
        inputs=fund_inputs,
        template="evaluations/sections/_funds_figures.html",
        live_template="evaluations/sections/_funds_live.html",
        applies_to=guangdong,
    )
)
