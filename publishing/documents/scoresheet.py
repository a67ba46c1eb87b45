"""The scoring sheet (评分表) as printed: the engine's items under their 一级/二级/三级 headings.

The rubric engine scores; this module only lays its result out as the seeds' sheet does, each
heading cell spanning the rows below it, with the department's and the reviewer's notes beside.
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
    rowspan: int = 1


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


def _path(definition: RubricDefinition, item: ItemResult) -> list[HeadCell]:
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
    """Give each row the heading cells it starts; a heading repeated below grows its rowspan."""
    open_cells: dict[int, HeadCell] = {}
    for row, path in zip(rows, paths, strict=True):
        path[-1].colspan = LEVELS - len(path) + 1
        for depth, cell in enumerate(path):
            above = open_cells.get(depth)
            is_last = depth == len(path) - 1
            if not is_last and above is not None and above.key == cell.key:
                above.rowspan += 1
                continue
            row.heads.append(cell)
            open_cells[depth] = cell
            for deeper in [d for d in open_cells if d > depth]:
                del open_cells[deeper]


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
        paths.append(_path(definition, item))
    _merge(rows, paths)
    return ScoreSheet(
        title=result.rubric_title,
        rows=rows,
        result=result,
        total_weight=definition.total,
        level1=[subtotal for subtotal in result.subtotals if subtotal.level == 1],
    )
