"""The scoring sheet (评分表) as printed: the engine's items under their 一级/二级/三级 headings.

The rubric engine scores; this module only lays its result out as the seeds' sheet does, with the
department's and the reviewer's notes beside.

Every row carries its own 一级/二级 heading cells instead of one cell spanning the group: the
sheet runs over several landscape pages, and a spanning cell is printed only where its group
begins, so the rows continued on the next page would stand under no indicator at all. The
first row of a group shows the heading with its weight; the rows that continue it repeat the
name in a lighter small type, so that the eye still finds where a group begins, every page
names the indicator of each of its rows (as a spreadsheet's merged column is printed again on
the page it continues to), and a screen reader finds every row's headers in the row itself.
The lines between the rows stay: a page ends on a closed table.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from evaluations.models import Evaluation, IndicatorScore
from evaluations.models.parts import rows_of
from rubrics.engine.definition import Indicator
from rubrics.engine.definition import Rubric as RubricDefinition
from rubrics.engine.scoring import ItemResult, Result, Subtotal

LEVELS = 3  # 一级、二级、三级指标


@dataclass
class HeadCell:
    """A heading cell of the sheet's left columns, spanning the rows of its indicators."""

    key: str
    label: str
    weight: Decimal | None
    colspan: int = 1
    continued: bool = False  # the same heading as the row above: the group goes on


@dataclass
class SheetRow:
    item: ItemResult
    description: str
    criteria: str
    note: str
    verification_note: str
    heads: list[HeadCell] = field(default_factory=list)  # the heading cells starting here


@dataclass(frozen=True)
class ScoreSheet:
    title: str
    rows: list[SheetRow]
    result: Result
    total_weight: Decimal
    level1: list[Subtotal]


def headings(definition: RubricDefinition, item: ItemResult) -> list[HeadCell]:
    """The headings above an item, outermost first, the item itself last."""
    if item.parent:  # a row the department declared under one of the sheet's indicators
        owner = definition.indicator(item.parent)
        return [
            HeadCell(owner.code, owner.name, owner.weight),
            HeadCell(f"{owner.code}/{item.group}", item.group, None),
            HeadCell(item.code, item.name, item.weight),
        ]
    parts = item.code.split(".")
    path = []
    for depth in range(1, len(parts) + 1):
        node = _node(definition, ".".join(parts[:depth]))
        if node is not None:
            path.append(HeadCell(node.code, node.name, node.weight))
    return path or [HeadCell(item.code, item.name, item.weight)]


def _node(definition: RubricDefinition, code: str) -> Indicator | None:
    if definition.adjustments is not None and definition.adjustments.code == code:
        return definition.adjustments
    try:
        return definition.indicator(code)
    except KeyError:
        return None


def _leaf(definition: RubricDefinition, item: ItemResult) -> Indicator | None:
    return None if item.parent else _node(definition, item.code)


def _merge(rows: list[SheetRow], paths: list[list[HeadCell]]) -> None:
    """Give each row all its heading cells, marking those that continue the row above's."""
    above: list[HeadCell] = []
    for row, path in zip(rows, paths, strict=True):
        path[-1].colspan = LEVELS - len(path) + 1
        for depth, cell in enumerate(path[:-1]):
            previous = above[depth] if depth < len(above) - 1 else None
            if (
                previous is not None
                and previous.key == cell.key
                and (depth == 0 or path[depth - 1].continued)
            ):
                cell.continued = True
        row.heads = path
        above = path


def score_sheet(evaluation: Evaluation, definition: RubricDefinition, result: Result) -> ScoreSheet:
    """The evaluation's scoring sheet laid out for print, with the notes each score carries."""
    notes = {row.indicator_code: row for row in rows_of(evaluation, IndicatorScore)}
    rows, paths = [], []
    for item in result.items:
        leaf = _leaf(definition, item)
        score = notes.get(item.code)
        rows.append(
            SheetRow(
                item=item,
                description=leaf.description if leaf else "",
                criteria=leaf.criteria if leaf else "",
                note=score.deduction_note if score else "",
                verification_note=score.verification_note if score else "",
            )
        )
        paths.append(headings(definition, item))
    _merge(rows, paths)
    return ScoreSheet(
        title=result.rubric_title,
        rows=rows,
        result=result,
        total_weight=definition.total,
        level1=[subtotal for subtotal in result.subtotals if subtotal.level == 1],
    )
