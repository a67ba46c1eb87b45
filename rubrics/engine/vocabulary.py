"""The words the engine reads tables with, kept as data in `rubrics/engine/data/*.yaml`: units,
scale words, traditional characters, directions by name and achievement words.

Loaded once per process on first use (the files are part of the package, read without Django).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"

Direction = Literal["higher", "lower"]
Completion = Literal["achieved", "partial", "missed"]


@dataclass(frozen=True)
class DirectionWord:
    """A word that, found in an indicator's name (or unit, or 二级指标), tells its direction."""

    word: str
    direction: Direction


@dataclass(frozen=True)
class Units:
    """Units by group with their size in the group's smallest unit, and the scale words."""

    size: dict[str, tuple[str, Decimal]]  # unit → (group, size)
    durations: frozenset[str]  # groups of time
    known: tuple[str, ...]  # every unit the reader knows, longest first
    scales: tuple[tuple[str, Decimal], ...]  # longest first
    scale_of: dict[str, Decimal]


# libyaml's loader when PyYAML was built with it (the pure-Python one is ten times slower).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(name: str) -> Any:
    return yaml.load((DATA_DIR / name).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)


@cache
def units() -> Units:
    data = _load("units.yaml")
    size = {
        unit: (group, Decimal(str(factor)))
        for group, members in data["groups"].items()
        for unit, factor in members.items()
    }
    known = sorted({*size, *data["known"]}, key=len, reverse=True)
    scales = sorted(
        ((word, Decimal(str(factor))) for word, factor in data["scales"].items()),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    return Units(size, frozenset(data["durations"]), tuple(known), tuple(scales), dict(scales))


@cache
def traditional() -> dict[int, str]:
    """Traditional → simplified, as a `str.translate` table."""
    return {ord(old): new for old, new in _load("characters.yaml")["traditional"].items()}


@cache
def direction_words() -> dict[str, tuple[DirectionWord, ...]]:
    """`names`, `units` and `level2`: the direction words of each, in the order they are tried."""
    data = _load("directions.yaml")
    return {
        section: tuple(DirectionWord(str(e["word"]), e["direction"]) for e in data[section])
        for section in ("names", "units", "level2")
    }


@cache
def achievement_words() -> dict[str, tuple[str, ...]]:
    """`intents`, `missed`, `partial`, `achieved` and `negations`, each longest first."""
    data = _load("achievement.yaml")
    return {
        key: tuple(sorted((str(word) for word in data[key]), key=len, reverse=True))
        for key in ("intents", "missed", "partial", "achieved", "negations")
    }
