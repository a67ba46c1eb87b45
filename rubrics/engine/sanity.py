"""What the inputs say that no rule checks but a reader would: negative amounts, empty entries in
lists, and a project's sources of money that do not add up to its total row. Each is a warning
naming the input; nothing here refuses a request or changes a score."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rubrics.engine.metrics import INPUTS, as_decimal, label_of, plain

FUNDS_AMOUNTS = ("budget_initial", "budget_full_year", "budget_executed")
LISTS = ("commendations", "accountability_findings", "disclosures")
# The sources the tables name (`evaluations.tables.projects.SOURCES`), in the sheet's words.
SOURCE_NAMES = {"current": "当年财政拨款", "carryover": "上年结转", "other": "其他资金"}


def sanity_warnings(inputs: Mapping[str, Any]) -> list[str]:
    """Every warning about the inputs themselves, in the data dictionary's words."""
    return [*_negative_amounts(inputs), *_empty_entries(inputs), *_funds_by_source(inputs)]


def _negative_amounts(inputs: Mapping[str, Any]) -> list[str]:
    return [
        f"{label_of(key)}为负数 {plain(value)}，请核对"
        for key, spec in INPUTS.items()
        if spec.kind == "amount" and isinstance(value := inputs.get(key), Decimal) and value < 0
    ]


def _empty_entries(inputs: Mapping[str, Any]) -> list[str]:
    return [
        f"{label_of(key)}第 {index} 项为空（null），未计入"
        for key in LISTS
        if isinstance(inputs.get(key), list)
        for index, entry in enumerate(inputs[key], start=1)
        if entry is None
    ]


def _funds_by_source(inputs: Mapping[str, Any]) -> list[str]:
    """The total row (年度资金总额) against the sum of the rows by source, amount by amount."""
    sources = _sources(inputs.get("funds_by_source"))
    if not sources:
        return []
    found = []
    for key in FUNDS_AMOUNTS:
        total = inputs.get(key)
        amounts, unreadable = _amounts(sources, key)
        found += [
            f"分资金来源的{label_of(key)}中「{name}」无法读取为数字，未计入合计"
            for name in unreadable
        ]
        if not isinstance(total, Decimal) or not amounts:
            continue
        added = sum(amounts.values(), Decimal(0))
        if added != total:
            parts = " + ".join(f"{name} {plain(value)}" for name, value in amounts.items())
            found.append(
                f"分资金来源的{label_of(key)}合计 {plain(added)}（{parts}），"
                f"与年度资金总额 {plain(total)} 不一致"
            )
    return found


def _sources(raw: Any) -> list[tuple[str, Mapping[str, Any]]]:
    """`funds_by_source` as (source name, amounts): a list of objects, or an object by source."""
    if isinstance(raw, Mapping):
        return [(str(name), entry) for name, entry in raw.items() if isinstance(entry, Mapping)]
    if isinstance(raw, list):
        return [
            (_source_name(entry.get("source"), index), entry)
            for index, entry in enumerate(raw, start=1)
            if isinstance(entry, Mapping)
        ]
    return []


def _amounts(
    sources: list[tuple[str, Mapping[str, Any]]], key: str
) -> tuple[dict[str, Decimal], list[str]]:
    amounts: dict[str, Decimal] = {}
    unreadable: list[str] = []
    for name, entry in sources:
        value = entry.get(key)
        if value is None or value == "":
            continue
        try:
            amounts[name] = as_decimal(value)
        except ValueError:
            unreadable.append(name)
    return amounts, unreadable


def _source_name(source: Any, index: int) -> str:
    if source is None or source == "":
        return f"第 {index} 项"
    return SOURCE_NAMES.get(str(source), str(source))
