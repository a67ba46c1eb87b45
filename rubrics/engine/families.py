"""First-level names (一级指标) as tables write them, matched to a rubric's families.

「产出指标（50分）」, 「產出指標」, 「一、产出指标」 and 「产出」 are all 产出指标: points in brackets,
enumerations and spaces go, traditional characters become simplified, and a trailing 「指标」 is
optional on either side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TypeVar

from rubrics.engine.targets import normalise

V = TypeVar("V")

_BRACKETED = re.compile(r"\([^()]*\)")
_LEADING = re.compile(r"^(?:\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+[、.]|\d+[、.])")
_POINTS = re.compile(r"\d+(?:\.\d+)?分$")


@lru_cache(maxsize=4096)
def family_key(name: str) -> str:
    """The key two spellings of one 一级指标 share: 「產出指標（50分）」 → 「产出」."""
    text = _LEADING.sub("", normalise(name))
    previous = None
    while previous != text:
        previous, text = text, _BRACKETED.sub("", text)
    text = _POINTS.sub("", text)
    return text.removesuffix("指标") or text


class FamilyIndex(Mapping[str, V]):
    """A mapping looked up by 一级指标 as written; iterates over the rubric's own names."""

    def __init__(self, entries: Mapping[str, V]) -> None:
        self._names = dict(entries)
        self._by_key = {family_key(name): value for name, value in entries.items()}

    def __getitem__(self, name: str) -> V:
        return self._by_key[family_key(name)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and family_key(name) in self._by_key
