"""Reading targets and actuals as people write them: 「≥95%」「2.5万人次」「3个月内」「年底前」「达标」.

`read(text)` gives a Reading: what kind of value it is (a number, a percentage, a measure with a
unit, a duration, a deadline, words, or text that cannot be read), its comparator, figure, scale
word and unit, and notes saying how it was read. `reconcile(target, actual)` brings two readings
to one unit, or says why they cannot be compared (口径不一致). Nothing here raises on text.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal, NamedTuple

from rubrics.engine import vocabulary
from rubrics.engine.metrics import written
from rubrics.engine.vocabulary import Completion, Direction

__all__ = [
    "Comparator",
    "Comparison",
    "Completion",
    "Direction",
    "Mismatch",
    "Quantity",
    "Reading",
    "achieved",
    "compare",
    "completion_of",
    "direction_for",
    "normalise",
    "parse_quantity",
    "ratio",
    "read",
    "reconcile",
]

Comparator = Literal[">=", ">", "<=", "<", "="]
Kind = Literal[
    "number",
    "percent",
    "measure",
    "duration",
    "deadline",
    "range",
    "qualitative",
    "unreadable",
    "empty",
]
QUANTITATIVE = frozenset({"number", "percent", "measure", "duration", "deadline"})
ONE = Decimal(1)
HUNDRED = Decimal(100)
# Readings are remembered (tables repeat 「100%」「完成」「≥95%」 thousands of times), short texts only.
CACHE_SIZE = 65_536
CACHED_LENGTH = 200
# A figure is looked for in texts up to this long; longer ones are sentences, read as words (and
# no pattern ever runs over a page of text).
FIGURE_LENGTH = 120

# --- the words around a figure ----------------------------------------------------------------

_COMPARATOR_WORDS: dict[str, Comparator] = {
    "大于或等于": ">=",
    "小于或等于": "<=",
    "大于等于": ">=",
    "小于等于": "<=",
    "不得低于": ">=",
    "不得少于": ">=",
    "不得超过": "<=",
    "不得高于": "<=",
    "不低于": ">=",
    "不少于": ">=",
    "不小于": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不大于": "<=",
    "不超": "<=",
    "至少": ">=",
    "最少": ">=",
    "最低": ">=",
    "最多": "<=",
    "最高": "<=",
    "提高到": ">=",
    "提高至": ">=",
    "提升到": ">=",
    "提升至": ">=",
    "增加到": ">=",
    "增加至": ">=",
    "增至": ">=",
    "降低到": "<=",
    "降低至": "<=",
    "下降到": "<=",
    "下降至": "<=",
    "压减至": "<=",
    "降至": "<=",
    "控制在": "<=",
    "达到": ">=",
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "多于": ">",
    "小于": "<",
    "低于": "<",
    "少于": "<",
    "等于": "=",
    "达": ">=",
    "超": ">",
    "逾": ">",
    ">=": ">=",
    "=>": ">=",
    "<=": "<=",
    "=<": "<=",
    "≥": ">=",
    "≤": "<=",
    "⩾": ">=",
    "⩽": "<=",
    "≮": ">=",
    "≯": "<=",
    ">": ">",
    "<": "<",
    "=": "=",
}
_SUFFIX_WORDS: dict[str, Comparator | None] = {
    "及以上": ">=",
    "或以上": ">=",
    "以上": ">=",
    "及以下": "<=",
    "或以下": "<=",
    "以下": "<=",
    "以内": "<=",
    "之内": "<=",
    "内": "<=",
    "左右": None,
    "上下": None,
}
_APPROXIMATE = ("约为", "约计", "大约", "接近", "将近", "约", "近", "左右", "上下")
_LEAD_WORDS = (
    *_APPROXIMATE,
    "共计",
    "合计",
    "总计",
    "累计",
    "共",
    "全年",
    "年度",
    "本年",
    "当年",
    "每年",
    "年均",
    "平均",
    "人均",
    "完成",
    "实现",
    "保持",
    "确保",
    "力争",
    "预计",
    "计划",
    "为",
    "在",
)
_TAIL_WORDS = ("完成", "办结", "到位", "兑付", "拨付", "发放", "建成", "实施", "落实", "以上")
_CHANGE_WORDS = {
    "下降": "降幅",
    "降低": "降幅",
    "减少": "降幅",
    "压减": "降幅",
    "缩减": "降幅",
    "缩短": "降幅",
    "下滑": "降幅",
    "回落": "降幅",
    "增长": "增幅",
    "增加": "增幅",
    "提高": "增幅",
    "提升": "增幅",
    "上升": "增幅",
}
_PERCENT_UNITS = {"个百分点": "百分点", "百分点": "百分点", "百分比": "%", "%": "%", "‰": "‰"}
# A lone Latin letter right before the figure: a comparator the scan read as a letter (「W 100%」).
_STRAY_LETTER = re.compile(r"(?:^|[^A-Za-z])([A-Za-z])$")
_CHANGE = re.compile(f"(?:{'|'.join(_CHANGE_WORDS)})$")
_RANKS = frozenset({"第", "前", "排名第", "排名前"})
_INCLUSIVE = frozenset({"含", "含本数", "含本值", "包含", "含此数"})


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first (so that 「不低于」 wins over 「低于」)."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_NUMBER = r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?"
_A_NUMBER = re.compile(_NUMBER)
_ANY_NUMBER = re.compile(r"\d")
_HEAD = re.compile(
    rf"^(?P<label>.*?)(?P<pre>(?:{_alternation(_LEAD_WORDS)})*)"
    rf"(?P<cmp>{_alternation(_COMPARATOR_WORDS)})?(?P<post>(?:{_alternation(_LEAD_WORDS)})*)$"
)
_TAIL_REST = re.compile(
    rf"^(?P<suffix>{_alternation(_SUFFIX_WORDS)})?(?P<rest>.*?)(?P<suffix2>{_alternation(_SUFFIX_WORDS)})?$"
)
_UNKNOWN_UNIT = re.compile(
    rf"^(?!{_alternation(_SUFFIX_WORDS)})(?P<unit>(?:[^\W\d_]|/){{1,6}}?)(?=(?:{_alternation(_SUFFIX_WORDS)}|{_alternation(_TAIL_WORDS)})|$)"
)
_RANGE = re.compile(rf"^\D*?{_NUMBER}\D{{0,4}}?(?:-|~|至|到|—){_NUMBER}\D*$|^±{_NUMBER}\D*$")
_DEADLINE = re.compile(
    r"^(?:在|于|截至|截止|到|至|预计|计划|力争|确保|按期|按时)*"
    r"(?:(?P<year>\d{4})年)?"
    r"(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号])?(?P<part>底|末|份|中旬|上旬|下旬|初)?"
    r"|(?P<word>年底|年末|年内|年度内|年中|上半年|下半年|全年|第?[一二三四1-4]季度末?))"
    r"(?P<before>前|之前|以前|内|止|为止)?(?:完成|办结|建成|实施|到位|落实|结束|兑付)?$"
)
_DATE = re.compile(
    r"^(?P<year>(?:19|20)\d\d)[-./](?P<month>1[0-2]|0?[1-9])(?:[-./](?P<day>\d{1,2}))?"
    r"(?P<before>前|之前|以前)?$"
)
_YEAR_ONLY = re.compile(r"^(?P<year>\d{4})年(?P<word>底|末|内)?(?P<before>前|之前|以前)?$")
_CHINESE_NUMERAL = re.compile(
    r"(?<![第])(?P<numeral>[零〇一二两三四五六七八九十百千]+)"
    r"(?=个月|个工作日|工作日|天|日|小时|周|年|个|次|人|项|家|批|场|期|篇|名|所|座)"
)
_NUMERAL_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_NUMERAL_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000}

# Scanned tables: letters that stand where a digit belongs (「第O份」, 「1O0%」), replacement and
# private-use characters, and the usual mojibake.
_OCR_DIGIT = re.compile(
    r"(?<![A-Za-z])[OoIl|](?=\d)|(?<=\d)[OoIl|](?![A-Za-z])|第[OoIl|](?![A-Za-z])"
    r"|^[OoIl]+(?=[个次份人项件%]|$)"
)
_GARBAGE = re.compile(
    "[\ufffd\u25a0-\u25ff\ue000-\uf8ff\x00-\x08\x0b-\x1f\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]|锟斤拷|烫烫烫|屯屯屯"
)
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_CIRCLED = re.compile("[\u2460-\u24ff\u2776-\u2793]")
_SPACES = re.compile(r"\s+")
_SYMBOLS = str.maketrans(
    {
        "═": "=",
        "≧": "≥",
        "≦": "≤",
        "−": "-",
        "–": "-",
        "～": "~",
        "〜": "~",
        "“": "",
        "”": "",
        "‘": "",
        "’": "",
        "「": "",
        "」": "",
        "『": "",
        "』": "",
        "《": "",
        "》": "",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "[": "(",
        "]": ")",
    }
)
# Unit symbols NFKC would turn into a letter and a digit (㎡ → m2): written out first.
_UNIT_SYMBOLS = {
    "km²": "平方公里",
    "m²": "平方米",
    "m³": "立方米",
    "㎢": "平方公里",
    "㎡": "平方米",
}
_UNIT_SYMBOLS |= {
    "㎥": "立方米",
    "㎞": "公里",
    "㎏": "千克",
    "㎎": "毫克",
    "㎝": "厘米",
    "㎜": "毫米",
}
_UNIT_SYMBOL = re.compile("|".join(map(re.escape, sorted(_UNIT_SYMBOLS, key=len, reverse=True))))
# A figure needing no cleaning: plain comparator, digits, then ideographs or a percent sign.
_SIMPLE = re.compile(
    r"^(?P<head>[≥≤<>=]{0,2})(?P<number>\d+(?:\.\d+)?)(?P<tail>[%‰\u4e00-\u9fff]{0,8})$"
)
_SPECIAL = re.compile(f"{_UNIT_SYMBOL.pattern}|{_CIRCLED.pattern}|{_INVISIBLE.pattern}")
_EDGE_MARKS = frozenset("；;，,、:：.。!！?？")
_BRACKETS = re.compile(r"\(([^()]*)\)")
_EDGE_PUNCTUATION = re.compile(r"^[；;，,、:：.。]+|[。；;，,、.!！?？:：]+$")
_ENUMERATION = re.compile(r"^(?:\(?\d{1,2}[)、](?=\D)|\d{1,2}\.(?=\D)|[一二三四五六七八九十]+、)")


# --- readings ---------------------------------------------------------------------------------


class Reading(NamedTuple):
    """A target or an actual as read: its kind, comparator, figure, scale word and unit.

    A tuple (made by `_reading`, which works out `value` and `quantitative` once): a list of
    thousands of rows reads thousands of texts, and each reading is shared by every row that
    writes its text alike.
    """

    text: str
    kind: Kind
    comparator: Comparator | None = None
    comparator_word: str = ""
    number: Decimal | None = None
    scale: Decimal = ONE
    scale_word: str = ""
    unit: str = ""
    notes: tuple[str, ...] = ()
    reason: str = ""
    change: str = ""
    year: int | None = None
    # The figure in its base unit: 「2.5万」 → 25000, 「95%」 → 0.95, 「≤5‰」 → 0.005.
    value: Decimal | None = None
    quantitative: bool = False
    # The figure as written, for the working: 「87.53」 of 「87.53%」.
    figure: str = ""

    @property
    def written_unit(self) -> str:
        return f"{self.scale_word}{self.unit}"


def _reading(
    text: str,
    kind: Kind,
    *,
    comparator: Comparator | None = None,
    comparator_word: str = "",
    number: Decimal | None = None,
    scale: Decimal = ONE,
    scale_word: str = "",
    unit: str = "",
    notes: tuple[str, ...] = (),
    reason: str = "",
    change: str = "",
    year: int | None = None,
    figure: str = "",
) -> Reading:
    """A Reading with its value worked out."""
    value = None
    if number is not None:
        value = number * scale
        if unit == "‰":
            value /= 1000
        elif kind == "percent":
            value /= HUNDRED
    return Reading(
        text,
        kind,
        comparator,
        comparator_word,
        number,
        scale,
        scale_word,
        unit,
        notes,
        reason,
        change,
        year,
        value,
        kind in QUANTITATIVE,
        figure,
    )


def read(text: object) -> Reading:
    """Read a target or an actual as written; never raises."""
    if text is None:
        return _reading("", "empty")
    raw = text if isinstance(text, str) else str(text)
    return _read_cached(raw) if len(raw) <= CACHED_LENGTH else _read(raw)


def _read(raw: str) -> Reading:
    return _plain_figure(raw) or _read_any(raw)


def _plain_figure(raw: str) -> Reading | None:
    """The common case, read in one step: 「≥95%」「87.53%」「320个」「≤5万元」 — a figure with
    a plain comparator before it and ideographs after it, nothing to clean. Anything else
    (and any text that might be a date) takes the full path, which reads it the same way."""
    simple = _SIMPLE.match(raw)
    if simple is None:
        return None
    tail, written = simple.group("tail"), simple.group("number")
    if _not_simple_tail().search(tail) or (len(written) > 5 and written[4] == "."):
        return None
    return _figure_of(raw, simple.group("head"), written, tail)


@lru_cache(maxsize=1)
def _not_simple_tail() -> re.Pattern[str]:
    """Characters after a figure that need the full path: traditional ones (to be simplified)
    and those of dates and deadlines."""
    characters = "".join(chr(code) for code in vocabulary.traditional())
    return re.compile(f"[{re.escape(characters)}年月季]")


def _read_any(raw: str) -> Reading:
    body, notes = _clean(raw)
    if not body:
        return _reading(raw, "empty", notes=notes)
    garbled = _garbled(body)
    if garbled:
        return _reading(raw, "unreadable", reason=garbled)
    body, inclusive, bracket_notes = _annotations(body)
    notes += bracket_notes
    if not body:
        return _reading(raw, "qualitative", reason="只有括号内的说明", notes=notes)
    reading = None
    if len(body) <= FIGURE_LENGTH:
        reading = _deadline(raw, body) or _figure(raw, body) or _spelt(raw, body)
    if reading is None:
        reason = "含多个数字" if len(re.findall(_NUMBER, body)) > 1 else "没有可比较的数字"
        kind: Kind = "range" if _RANGE.match(body) else "qualitative"
        return _reading(raw, kind, reason="区间" if kind == "range" else reason, notes=notes)
    if inclusive and reading.comparator in (">", "<"):
        reading = reading._replace(comparator=">=" if reading.comparator == ">" else "<=")
    return reading._replace(notes=notes + reading.notes) if notes else reading


_read_cached = lru_cache(maxsize=CACHE_SIZE)(_read)


def normalise(text: str) -> str:
    """Full-width to ASCII (NFKC), traditional to simplified, no spaces or invisible characters."""
    return _clean(text)[0]


def _clean(raw: str) -> tuple[str, tuple[str, ...]]:
    text = raw
    notes: tuple[str, ...] = ()
    if _SPECIAL.search(text):  # rare: unit symbols, enumerations in circles, invisible characters
        text = _UNIT_SYMBOL.sub(lambda found: _UNIT_SYMBOLS[found.group(0)], _CIRCLED.sub("", text))
        stripped = _INVISIBLE.sub("", text)
        if stripped != text:
            notes = ("已去除不可见字符",)
        text = stripped
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = "".join(text.translate(_SYMBOLS).split()).translate(vocabulary.traditional())
    if text and (text[0] in _EDGE_MARKS or text[-1] in _EDGE_MARKS or text[0].isdigit()):
        text = _EDGE_PUNCTUATION.sub("", _ENUMERATION.sub("", text))
    elif text and text[0] in "一二三四五六七八九十(":
        text = _ENUMERATION.sub("", text)
    return text, notes


def _garbled(body: str) -> str:
    """Why the text looks garbled (a scan read wrongly), or ""."""
    found = _GARBAGE.search(body)
    if found:
        return f"含乱码字符「{found.group(0)}」"
    found = _OCR_DIGIT.search(body)
    if found:
        return f"「{found.group(0)}」处的字母像是识别错的数字"
    return ""


def _annotations(body: str) -> tuple[str, bool, tuple[str, ...]]:
    """Take out bracketed notes: 「（含）」 makes ＞/＜ inclusive, others are shown as not counted."""
    if "(" not in body and ")" not in body:
        return body, False, ()
    inclusive = False
    notes: list[str] = []

    def drop(match: re.Match[str]) -> str:
        nonlocal inclusive
        content = match.group(1)
        if content in _INCLUSIVE:
            inclusive = True
        elif content:
            notes.append(f"括号内「{content}」作说明，未参与比较")
        return ""

    previous = None
    while previous != body:
        previous, body = body, _BRACKETS.sub(drop, body)
    body = _EDGE_PUNCTUATION.sub("", body.replace("(", "").replace(")", ""))
    return body, inclusive, tuple(notes)


# --- a figure with its words ------------------------------------------------------------------


def _figure(raw: str, body: str) -> Reading | None:
    """One number with what comes before it (comparator, words) and after it (unit, 以上 …)."""
    found = _A_NUMBER.search(body)
    if found is None:
        return None
    head, tail = body[: found.start()], body[found.end() :]
    if _ANY_NUMBER.search(tail):
        return None
    return _figure_of(raw, head, found.group(0), tail)


def _figure_of(raw: str, head: str, written: str, tail: str) -> Reading | None:
    shape = _shape(head, tail)
    if shape is None:
        return None
    if shape.unreadable:
        return _reading(raw, "unreadable", reason=shape.unreadable)
    number = Decimal(written.replace(",", ""))
    notes = (*shape.notes, f"「约」数，按 {written} 计") if shape.approximate else shape.notes
    return _reading(
        raw,
        shape.kind,
        comparator=shape.comparator,
        comparator_word=shape.comparator_word,
        number=number,
        scale=shape.scale,
        scale_word=shape.scale_word,
        unit=shape.unit,
        notes=notes,
        change=shape.change,
        figure=written.replace(",", ""),
    )


class _Shape(NamedTuple):
    """What surrounds a figure, whatever the figure: read once per way of writing it."""

    kind: Kind = "number"
    comparator: Comparator | None = None
    comparator_word: str = ""
    scale: Decimal = ONE
    scale_word: str = ""
    unit: str = ""
    notes: tuple[str, ...] = ()
    change: str = ""
    approximate: bool = False
    unreadable: str = ""


@lru_cache(maxsize=CACHE_SIZE)
def _shape(head_text: str, tail_text: str) -> _Shape | None:
    """The words before and after a figure; None when they make it a rank (「第3名」)."""
    head = _HEAD.match(head_text)
    if head is None:  # the pattern matches any text without digits
        return None
    label, comparator_word = head.group("label"), head.group("cmp") or ""
    notes: list[str] = []
    change = ""
    changed = _CHANGE.search(label) if label else None
    if changed:
        word = changed.group(0)
        label, change = label[: changed.start()], _CHANGE_WORDS[word]
        notes.append(f"「{word}」：按{change}读")
    if label in _RANKS:
        return None
    stray = label if len(label) == 1 else _stray_letter(label)
    if stray:
        return _Shape(unreadable=f"数字前的「{stray}」无法识别")
    if label:
        notes.append(f"「{label}」作说明，按其后的数字读")
    leads = head.group("pre") + head.group("post")
    approximate = bool(leads) and any(word in leads for word in _APPROXIMATE)
    scale_word, scale, unit, suffix_word, rest = _tail(tail_text)
    if rest and not _plain_words(rest):
        return _Shape(unreadable=f"数字后的「{rest}」无法识别")
    comparator = _COMPARATOR_WORDS.get(comparator_word)
    suffix = _SUFFIX_WORDS.get(suffix_word) if suffix_word else None
    if suffix_word in ("左右", "上下"):
        approximate = True
    if comparator and suffix and comparator != suffix:
        return _Shape(unreadable=f"比较符矛盾（「{comparator_word}」与「{suffix_word}」）")
    if rest:
        notes.append(f"其后「{rest}」作说明")
    return _Shape(
        _kind_of(unit),
        comparator or suffix,
        comparator_word or suffix_word,
        scale,
        scale_word,
        unit,
        tuple(notes),
        change,
        approximate,
    )


def _stray_letter(label: str) -> str:
    found = _STRAY_LETTER.search(label)
    return found.group(1) if found else ""


def _tail(tail: str) -> tuple[str, Decimal, str, str, str]:
    """(scale word, scale, unit, suffix word, rest) of what follows a number."""
    found = _tail_pattern().match(tail)
    assert found is not None  # noqa: S101 (every group is optional)
    percent = found.group("percent")
    if percent:
        return "", ONE, _PERCENT_UNITS[percent], *_suffix_and_rest(tail[found.end() :])
    scale_word = found.group("scale") or ""
    scale = vocabulary.units().scale_of[scale_word] if scale_word else ONE
    unit = found.group("unit") or found.group("scaled_unit") or ""
    rest = tail[found.end() :]
    if not unit:
        unknown = _UNKNOWN_UNIT.match(rest)
        unit = unknown.group("unit") if unknown else ""
        rest = rest[len(unit) :]
    return scale_word, scale, unit, *_suffix_and_rest(rest)


@lru_cache(maxsize=1)
def _tail_pattern() -> re.Pattern[str]:
    """Percent words, else a known unit (「千克」 before the scale word 「千」), else a scale word and
    perhaps a known unit: one pattern built from `data/units.yaml`."""
    units = vocabulary.units()
    known = _alternation(units.known)
    scales = _alternation(word for word, _ in units.scales)
    return re.compile(
        rf"^(?:(?P<percent>{_alternation(_PERCENT_UNITS)})|(?P<unit>{known})"
        rf"|(?P<scale>{scales})(?P<scaled_unit>{known})?)?"
    )


def _suffix_and_rest(text: str) -> tuple[str, str]:
    found = _TAIL_REST.match(text)
    if found is None:  # the pattern matches any text
        return "", text
    suffix = found.group("suffix") or found.group("suffix2") or ""
    rest = found.group("rest")
    if found.group("suffix") and found.group("suffix2"):
        rest += found.group("suffix2")
    return suffix, "" if rest in _TAIL_WORDS else rest


def _plain_words(text: str) -> bool:
    """Words only (no symbols left over): 「家企业」 is a description, 「%%」 is not."""
    return all(unicodedata.category(char).startswith("L") for char in text)


def _kind_of(unit: str) -> Kind:
    if unit in ("%", "‰", "百分点"):
        return "percent"
    if not unit:
        return "number"
    units = vocabulary.units()
    group = units.size.get(unit)
    if group and group[0] in units.durations:
        return "duration"
    return "measure"


def _spelt(raw: str, body: str) -> Reading | None:
    """Small numbers in Chinese characters before a unit: 「三个月内」, 「两个工作日」."""
    if _ANY_NUMBER.search(body):
        return None
    found = _CHINESE_NUMERAL.search(body)
    if found is None:
        return None
    value = _numeral(found.group("numeral"))
    if value is None:
        return None
    digits = body[: found.start()] + str(value) + body[found.end() :]
    reading = _figure(raw, digits)
    if reading is None or reading.kind == "unreadable" or reading.notes:
        return None
    return reading._replace(notes=(f"「{found.group('numeral')}」按 {value} 读",))


def _numeral(text: str) -> int | None:
    total, current = 0, 0
    for char in text:
        if char in _NUMERAL_DIGITS:
            current = _NUMERAL_DIGITS[char]
        elif char in _NUMERAL_UNITS:
            total += (current or 1) * _NUMERAL_UNITS[char]
            current = 0
    total += current
    return total or None


# --- deadlines --------------------------------------------------------------------------------

_WORD_DATES = {
    "年底": (12, 31),
    "年末": (12, 31),
    "年内": (12, 31),
    "年度内": (12, 31),
    "全年": (12, 31),
    "下半年": (12, 31),
    "年中": (6, 30),
    "上半年": (6, 30),
}
_PART_DAYS = {"上旬": 10, "中旬": 20, "初": 5}


def _deadline(raw: str, body: str) -> Reading | None:
    """「年底前」「2021年12月31日前完成」「6月底」「2022.11」 as a month and day (and year)."""
    if "年" in body or "月" in body or "季度" in body:
        found = _DEADLINE.match(body) or _YEAR_ONLY.match(body)
    elif len(body) >= 6 and body[:4].isdigit() and body[4] in ".-/":
        found = _DATE.match(body)
    else:
        return None
    if found is None:
        return None
    parts = found.groupdict()
    year = int(parts["year"]) if parts.get("year") else None
    month, day = _month_and_day(parts)
    if not 1 <= month <= 12:
        return _reading(raw, "unreadable", reason=f"日期「{body}」不存在")
    # A month without a day is its last day (of a common year when the year is not given).
    last = calendar.monthrange(year or 2001, month)[1]
    day = min(day, last) if not parts.get("day") else day
    if not 1 <= day <= last:
        return _reading(raw, "unreadable", reason=f"日期「{body}」不存在")
    before = parts.get("before") or ""
    by_word = parts.get("word") in ("年内", "年度内", "内")
    comparator: Comparator | None = "<=" if before or by_word else None
    return _reading(
        raw,
        "deadline",
        comparator=comparator,
        comparator_word=before or (parts.get("word") or ""),
        number=Decimal(month * 100 + day),
        year=year,
    )


def _month_and_day(parts: dict[str, str | None]) -> tuple[int, int]:
    word = parts.get("word")
    if word in ("底", "末", "内", None) and not parts.get("month"):
        return 12, 31
    if word:
        if word in _WORD_DATES:
            return _WORD_DATES[word]
        quarter = _numeral(word.strip("第季度末")) or int(re.sub(r"\D", "", word) or 4)
        return quarter * 3, 31
    month = int(parts["month"] or 12)
    if parts.get("day"):
        return month, int(parts["day"] or 31)
    return month, _PART_DAYS.get(parts.get("part") or "", 31)


def deadline_text(value: Decimal, year: int | None = None) -> str:
    """「12月31日」 (with the year when known) for a deadline's number."""
    month, day = divmod(int(value), 100)
    return f"{year}年{month}月{day}日" if year else f"{month}月{day}日"


# --- two readings side by side ----------------------------------------------------------------


class Comparison(NamedTuple):
    """A target and an actual brought to the same unit, ready for scoring (a tuple: thousands of
    rows make one each)."""

    target: Decimal
    actual: Decimal
    unit: str = ""
    kind: Kind = "number"
    notes: tuple[str, ...] = ()
    shown_scale: Decimal = ONE
    shown_word: str = ""
    # (target, actual) as the working shows them, when both were written alike: 「87.53%」.
    shown: tuple[str, str] | None = None


class Mismatch(NamedTuple):
    """Why two readings cannot be compared (口径不一致)."""

    reason: str


def reconcile(target: Reading, actual: Reading) -> Comparison | Mismatch:
    """Bring target and actual to one unit, saying how; or say why they cannot be compared."""
    if not (target.quantitative and actual.quantitative):
        return Mismatch("指标值或完成值不是数字")
    if (
        target.kind == actual.kind != "deadline"
        and target.unit == actual.unit
        and target.scale == actual.scale
        and target.change == actual.change
    ):
        return _alike(target, actual)
    if target.kind == "deadline" or actual.kind == "deadline":
        return _deadlines(target, actual)
    if target.change != actual.change:
        return Mismatch(f"指标值「{target.text}」与完成值「{actual.text}」一为增减幅度、一为数值")
    if target.kind == "percent" or actual.kind == "percent":
        return _percentages(target, actual)
    return _measures(target, actual)


def _alike(target: Reading, actual: Reading) -> Comparison:
    """Both sides written alike (the common case): nothing to reconcile or to say, and the
    figures are shown as written."""
    assert target.value is not None and actual.value is not None  # noqa: S101 (quantitative)
    percent = target.kind == "percent"
    kind = target.kind if target.unit or percent else "number"
    after = target.unit if percent else target.scale_word
    shown = (
        f"{target.figure or _plain(target.number)}{after}",
        f"{actual.figure or _plain(actual.number)}{after}",
    )
    return Comparison(
        target.value,
        actual.value,
        target.unit,
        kind,
        (),
        target.scale,
        target.scale_word,
        shown,
    )


def _deadlines(target: Reading, actual: Reading) -> Comparison | Mismatch:
    if target.kind != actual.kind:
        dated, other = (target, actual) if target.kind == "deadline" else (actual, target)
        return Mismatch(f"「{dated.text}」是时间节点，「{other.text}」不是时间")
    both_years = target.year is not None and actual.year is not None
    return Comparison(_day(target, both_years), _day(actual, both_years), kind="deadline")


def _day(reading: Reading, with_year: bool) -> Decimal:
    """A deadline as one number (month × 100 + day, and year × 10000 when both sides give one)."""
    number = reading.number or Decimal(0)
    return number + Decimal((reading.year or 0) * 10000) if with_year else number


def _percentages(target: Reading, actual: Reading) -> Comparison | Mismatch:
    notes: list[str] = []
    values = []
    for side, reading, other in (("指标值", target, actual), ("完成值", actual, target)):
        if reading.kind == "percent":
            values.append(reading.value)
            continue
        as_percent = _as_percent(reading)
        if as_percent is None:
            return Mismatch(
                f"{side}「{reading.text}」不是百分数，无法确定能否与「{other.text}」比较"
            )
        notes.append(f"{side}「{reading.text}」按 {_plain(reading.number)}% 读（另一方为百分数）")
        values.append(as_percent)
    target_value, actual_value = values
    assert target_value is not None and actual_value is not None  # noqa: S101 (percent readings)
    return Comparison(target_value, actual_value, "%", "percent", tuple(notes))


def _as_percent(reading: Reading) -> Decimal | None:
    """A plain number read as a percentage: between 1 and 100 (or 0) only, else ambiguous."""
    if reading.kind != "number" or reading.scale != ONE or reading.number is None:
        return None
    number = reading.number
    if number == 0 or ONE < abs(number) <= HUNDRED:
        return number / HUNDRED
    return None


def _measures(target: Reading, actual: Reading) -> Comparison | Mismatch:
    units = vocabulary.units()
    target_unit = target.unit or actual.unit
    actual_unit = actual.unit or target.unit
    factor_t, factor_a = ONE, ONE
    notes: list[str] = []
    if target_unit != actual_unit:
        group_t, group_a = units.size.get(target_unit), units.size.get(actual_unit)
        if group_t is None or group_a is None or group_t[0] != group_a[0]:
            return Mismatch(f"单位不同（「{target.written_unit}」与「{actual.written_unit}」）")
        factor_t, factor_a = group_t[1], group_a[1]
        notes.append(f"「{target_unit}」与「{actual_unit}」换算为同一单位比较")
    scale_t, scale_a = _scales(target, actual)
    for side, reading, unit, scale, other in (
        ("指标值", target, target_unit, scale_t, actual),
        ("完成值", actual, actual_unit, scale_a, target),
    ):
        note = _bare_note(reading, unit, scale, other)
        if note:
            notes.append(f"{side}「{reading.text}」{note}")
    assert target.number is not None and actual.number is not None  # noqa: S101 (quantitative)
    kind: Kind = "duration" if "duration" in (target.kind, actual.kind) else "measure"
    base = min((target_unit, actual_unit), key=lambda u: units.size.get(u, ("", ONE))[1])
    shown_scale, shown_word = _shown_scale(target, actual, scale_t, scale_a)
    return Comparison(
        target.number * scale_t * factor_t,
        actual.number * scale_a * factor_a,
        base,
        kind if base else "number",
        tuple(notes),
        shown_scale,
        shown_word,
    )


def _scales(target: Reading, actual: Reading) -> tuple[Decimal, Decimal]:
    """Each side's scale; a bare figure beside a 「万」 one takes the scale that puts it nearer
    the other side (「≥8000」 beside 「8094万美元」 is 8000万; 「20000」 beside 「2.5万」 is 20000)."""
    bare, scaled = _bare_and_scaled(target, actual)
    if bare is None or scaled is None:
        return target.scale, actual.scale
    assert bare.number is not None and scaled.number is not None  # noqa: S101 (quantitative)
    other = scaled.number * scaled.scale
    if _distance(bare.number * scaled.scale, other) >= _distance(bare.number, other):
        return target.scale, actual.scale
    if bare is target:
        return scaled.scale, actual.scale
    return target.scale, scaled.scale


def _bare_note(reading: Reading, unit: str, scale: Decimal, other: Reading) -> str:
    """How a figure written without a unit was read beside the other side."""
    if reading.unit:
        return ""
    number = _plain(reading.number)
    if scale != reading.scale:
        return f"未写“{other.scale_word}”，与「{other.text}」同级，按 {number}{other.scale_word}{unit} 读"
    if other.scale_word and not reading.scale_word:
        return f"未写“{other.scale_word}”，按 {number}{unit} 读"
    if unit:
        return f"未写单位，按 {number}{reading.scale_word}{unit} 读"
    return ""


def _shown_scale(
    target: Reading, actual: Reading, scale_t: Decimal, scale_a: Decimal
) -> tuple[Decimal, str]:
    """Figures are shown in the scale word both sides share (8094万 ≥ 8000万), else as they are."""
    if scale_t == scale_a and scale_t != ONE:
        return scale_t, target.scale_word or actual.scale_word
    return ONE, ""


def _bare_and_scaled(target: Reading, actual: Reading) -> tuple[Reading | None, Reading | None]:
    if target.scale == actual.scale:
        return None, None
    for bare, scaled in ((target, actual), (actual, target)):
        if bare.scale == ONE and not bare.unit and scaled.scale != ONE:
            return bare, scaled
    return None, None


def _distance(a: Decimal, b: Decimal) -> float:
    """How far apart two figures are, in orders of magnitude (infinite when one is not positive)."""
    if a <= 0 or b <= 0:
        return math.inf
    return abs(math.log10(a) - math.log10(b))


def _plain(value: Decimal | None) -> str:
    return "" if value is None else written(value)


# --- how a qualitative actual went ------------------------------------------------------------


def completion_of(text: str | None) -> Completion | None:
    """「完成」「达标」「显著提升」 achieved, 「基本完成」 partial, 「未完成」「不达标」 missed."""
    if not text:
        return None
    raw = str(text)
    return _completion_cached(raw) if len(raw) <= CACHED_LENGTH else _completion(raw)


def _completion(raw: str) -> Completion | None:
    body = normalise(raw)
    words = vocabulary.achievement_words()
    if any(word in body for word in words["intents"]):
        return None
    if any(word in body for word in words["missed"]):
        return "missed"
    if any(word in body for word in words["partial"]):
        return "partial"
    found = False
    for word in words["achieved"]:
        start = body.find(word)
        while start >= 0:
            if _negated(body, start, words["negations"]):
                return "missed"
            found = True
            start = body.find(word, start + 1)
    return "achieved" if found else None


_completion_cached = lru_cache(maxsize=CACHE_SIZE)(_completion)


def _negated(body: str, start: int, negations: tuple[str, ...]) -> bool:
    before = body[:start]
    return any(before.endswith(word) for word in negations)


# --- scoring helpers --------------------------------------------------------------------------


def achieved(comparison: Comparison, direction: Direction) -> bool:
    """Whether the actual meets the target in the direction that counts."""
    if direction == "higher":
        return comparison.actual >= comparison.target
    return comparison.actual <= comparison.target


def ratio(comparison: Comparison, direction: Direction) -> Decimal:
    """Share of the target reached, within [0, 1]: actual/target, or target/actual if lower."""
    if achieved(comparison, direction):
        return Decimal(1)
    numerator, denominator = (
        (comparison.actual, comparison.target)
        if direction == "higher"
        else (comparison.target, comparison.actual)
    )
    # A missed target with a non-positive side has no meaningful proportion: no points.
    if numerator <= 0 or denominator <= 0:
        return Decimal(0)
    return numerator / denominator


# --- the plain view of a reading (kept for the tables' own checks) ----------------------------


@dataclass(frozen=True)
class Quantity:
    """A number as written: value in its own unit (percentages as ratios), unit and comparator."""

    value: Decimal
    unit: str
    comparator: Comparator | None
    text: str
    reading: Reading | None = None

    @property
    def direction(self) -> Direction | None:
        """higher for ≥/>, lower for ≤/<, None when the text says neither."""
        if self.comparator in (">=", ">"):
            return "higher"
        if self.comparator in ("<=", "<"):
            return "lower"
        return None


def parse_quantity(text: str | None) -> Quantity | None:
    """「≥20」「95%以上」「8094万美元」 as a Quantity; None for anything that is not a figure."""
    reading = read(text)
    if reading.kind not in ("number", "percent", "measure", "duration") or reading.number is None:
        return None
    value = reading.number / HUNDRED if reading.kind == "percent" else reading.number
    return Quantity(value, reading.written_unit, reading.comparator, str(text), reading)


def compare(target: Quantity, actual: Quantity) -> Comparison | None:
    """Both quantities in one unit; None when they cannot be compared."""
    if target.reading is None or actual.reading is None:
        return None
    found = reconcile(target.reading, actual.reading)
    return found if isinstance(found, Comparison) else None


def direction_for(
    target: Quantity, declared: Direction | None, *, default: Direction = "higher"
) -> Direction:
    """The row's declared direction wins; else the target's comparator; else `default`."""
    return declared or target.direction or default
