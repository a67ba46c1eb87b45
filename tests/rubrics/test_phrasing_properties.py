"""Properties of the reader on generated phrasings: a figure written with any comparator, lead
word, scale word, unit, annotation, full-width digits or invisible characters reads back as that
figure; no text of any kind makes it raise; both sides compare alike whichever is the target."""

from decimal import Decimal as D
from typing import get_args

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rubrics.engine import vocabulary
from rubrics.engine.targets import Comparison, Kind, Mismatch, completion_of, read, reconcile

PREFIXES = {
    "": None,
    "≥": ">=",
    "≤": "<=",
    ">": ">",
    "<": "<",
    "=": "=",
    "≧": ">=",
    "≦": "<=",
    "═": "=",
    ">=": ">=",
    "<=": "<=",
    "不低于": ">=",
    "不少于": ">=",
    "不超过": "<=",
    "达到": ">=",
    "大于": ">",
    "小于": "<",
}
SUFFIXES = {"": None, "以上": ">=", "及以上": ">=", "以下": "<=", "以内": "<=", "内": "<="}
LEADS = ["", "全年", "累计", "共"]
SCALES = {"": D(1), "万": D(10_000), "萬": D(10_000), "亿": D(100_000_000), "千": D(1000)}
UNITS = ["", "个", "人次", "元", "美元", "家", "天", "个月", "个工作日", "小时", "台套"]
PERCENTS = {"%": D(100), "百分比": D(100), "‰": D(1000)}
ANNOTATIONS = ["", "（含）", "；", "。", "（备注说明）", "(其中市级部分)"]
FULL_WIDTH = str.maketrans("0123456789.%<>=", "０１２３４５６７８９．％＜＞＝")

numbers = st.one_of(
    st.integers(min_value=0, max_value=10**9).map(D),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
)


@st.composite
def phrasings(draw: st.DrawFn) -> tuple[str, D, D, str, str | None]:
    """(text, number, scale, unit, comparator) of a figure written as tables write it."""
    prefix = draw(st.sampled_from(sorted(PREFIXES)))
    suffix = draw(st.sampled_from(sorted(SUFFIXES)))
    comparator = PREFIXES[prefix] or SUFFIXES[suffix]
    assume(not (PREFIXES[prefix] and SUFFIXES[suffix] and PREFIXES[prefix] != SUFFIXES[suffix]))
    number = draw(numbers)
    written = format(number, "f")
    if number == number.to_integral_value() and number >= 1000 and draw(st.booleans()):
        written = f"{int(number):,}"
    percent = draw(st.sampled_from(["", *sorted(PERCENTS)]))
    scale_word = "" if percent else draw(st.sampled_from(sorted(SCALES)))
    unit = percent or draw(st.sampled_from(UNITS))
    if suffix == "内":
        assume(unit in ("天", "个月", "个工作日", "小时"))
    # 「2021.12」 alone is a month of a year, not a figure.
    assume(scale_word or unit or not (D(1900) <= number < D(2100)))
    lead = draw(st.sampled_from(LEADS))
    annotation = draw(st.sampled_from(ANNOTATIONS))
    text = f"{lead}{prefix}{written}{scale_word}{unit}{suffix}{annotation}"
    if annotation == "（含）" and comparator in (">", "<"):
        comparator = f"{comparator}="
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    if draw(st.booleans()):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from(["\u200b", "\ufeff", " ", "\u3000"])) + text[at:]
    shown_unit = {"百分比": "%"}.get(unit, unit)
    return text, number, SCALES[scale_word], shown_unit, comparator


@settings(max_examples=500)
@given(phrasings())
def test_a_figure_reads_back_however_it_is_written(
    phrasing: tuple[str, D, D, str, str | None],
) -> None:
    text, number, scale, unit, comparator = phrasing
    reading = read(text)
    assert reading.number == number, (text, reading)
    assert reading.scale == scale, (text, reading)
    assert reading.unit == unit, (text, reading)
    assert reading.comparator == comparator, (text, reading)
    divisor = PERCENTS.get({"%": "%", "‰": "‰"}.get(unit, ""), D(1))
    assert reading.value == number * scale / divisor


@settings(max_examples=500)
@given(st.text(max_size=40))
def test_no_text_makes_the_reader_raise(text: str) -> None:
    reading = read(text)
    assert reading.kind in get_args(Kind)
    assert reading.kind != "unreadable" or reading.reason
    completion_of(text)


@given(numbers.filter(lambda n: n > 0), st.sampled_from(["万", "亿", "千"]))
def test_a_scale_word_is_worth_its_factor_on_either_side(number: D, word: str) -> None:
    scaled, bare = read(f"{number}{word}元"), read(f"{number * SCALES[word]}元")
    for target, actual in ((scaled, bare), (bare, scaled)):
        found = reconcile(target, actual)
        assert isinstance(found, Comparison) and found.target == found.actual


@given(phrasings(), phrasings())
def test_whether_two_sides_compare_does_not_depend_on_which_is_the_target(
    one: tuple[str, D, D, str, str | None], other: tuple[str, D, D, str, str | None]
) -> None:
    first, second = read(one[0]), read(other[0])
    assert isinstance(reconcile(first, second), Mismatch) == isinstance(
        reconcile(second, first), Mismatch
    )


@given(st.sampled_from(vocabulary.achievement_words()["achieved"]))
def test_an_achievement_word_after_a_negation_is_a_miss(word: str) -> None:
    assert completion_of(word) in ("achieved", "partial")
    for negation in ("未", "没有", "尚未"):
        assert completion_of(f"{negation}{word}") == "missed"
