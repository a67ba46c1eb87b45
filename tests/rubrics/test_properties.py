"""Properties that hold for any inputs and claims, on every rubric of the library."""

import datetime as dt
import re
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rubrics.engine.metrics import INPUTS
from rubrics.engine.rules import BandsRule, BonusPenaltyRule
from rubrics.engine.scoring import score
from rubrics.engine.targets import parse_quantity, read
from rubrics.library_files import library

RUBRICS = sorted(library())

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2)
counts = st.integers(min_value=0, max_value=500).map(D)
ratios = st.decimals(min_value=0, max_value=2, places=4)
moments = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2021, 12, 31))
matters = st.lists(st.fixed_dictionaries({"title": st.sampled_from("甲乙丙丁戊己")}), max_size=8)
tallies = st.one_of(st.integers(min_value=0, max_value=20), matters)

TARGETS = ["≥{n}", "≤{n}", "{n}%以上", "{n}万元", "{n}", "完成", "年底前", "≤预算", "不低于{n}个"]
ACTUALS = ["{n}", "{n}%", "{n}万元", "{n}个", "完成", "部分完成", "未完成", "提升"]


def written(template: str, number: D) -> str:
    return template.format(n=number)


rows = st.lists(
    st.fixed_dictionaries(
        {
            "level1": st.sampled_from(["产出指标", "效益指标", "满意度指标", "成本指标"]),
            "level2": st.just(""),
            "name": st.text(alphabet="指标甲乙丙", min_size=1, max_size=4),
            "target": st.builds(written, st.sampled_from(TARGETS), amounts),
            "actual": st.builds(written, st.sampled_from(ACTUALS), amounts),
            "weight": st.integers(min_value=0, max_value=30).map(D),
            "direction": st.sampled_from([None, "higher", "lower"]),
            "claimed": st.one_of(st.none(), st.decimals(min_value=-10, max_value=50, places=2)),
            "verified": st.none(),
        }
    ),
    max_size=12,
)


def value_for(key: str) -> st.SearchStrategy[Any]:
    kind = INPUTS[key].kind
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "amount": amounts,
        "count": counts,
        "ratio": ratios,
        "datetime": moments,
        "count_or_list": tallies,
        "rows": rows,
    }
    return strategies.get(kind, st.none())


@st.composite
def evaluations(draw: st.DrawFn) -> tuple[str, dict[str, Any], dict[str, D]]:
    """A library rubric, some of the inputs (others missing) and claims, any of them odd."""
    rubric = library()[draw(st.sampled_from(RUBRICS))]
    keys = draw(st.sets(st.sampled_from(sorted(INPUTS))))
    inputs = {key: draw(value_for(key)) for key in keys}
    names = [node.name for node in rubric.nodes] + ["总分", "工作表现加减分指标"]
    claimed = draw(
        st.dictionaries(st.sampled_from(names), st.decimals(min_value=-20, max_value=200, places=2))
    )
    return rubric.id, inputs, claimed


@settings(max_examples=300, deadline=None)
@given(evaluations())
def test_every_item_stays_within_its_weight_and_the_total_within_the_sheet(
    evaluation: tuple[str, dict[str, Any], dict[str, D]],
) -> None:
    rubric_id, inputs, claimed = evaluation
    rubric = library()[rubric_id]
    result = score(rubric, inputs, claimed)
    for item in result.items:
        if item.score is not None and item.weight is not None:
            assert 0 <= item.score <= item.weight, item
    for subtotal in result.subtotals:
        assert 0 <= subtotal.score <= subtotal.weight, subtotal
    assert 0 <= result.total <= rubric.total
    assert result.grade == rubric.grade_for(result.total)


def bands_rules() -> list[BandsRule]:
    return [
        leaf.rule
        for rubric in library().values()
        for leaf in rubric.leaves
        if isinstance(leaf.rule, BandsRule)
    ]


@given(
    st.sampled_from(bands_rules()),
    st.decimals(min_value=-2, max_value=3, places=4),
    st.decimals(min_value=-2, max_value=3, places=4),
)
def test_bands_are_monotonic(rule: BandsRule, a: D, b: D) -> None:
    low, high = sorted((a, b))
    low_points, high_points = rule.points_for(low)[0], rule.points_for(high)[0]
    if rule.direction == "higher":
        assert low_points <= high_points
    else:
        assert low_points >= high_points


@given(tallies, tallies)
def test_bonus_and_penalty_never_exceed_their_caps(commendations: Any, findings: Any) -> None:
    rubric = library()["zhanjiang-2019-department"]
    rule = rubric.adjustments.rule if rubric.adjustments else None
    assert isinstance(rule, BonusPenaltyRule) and rule.bonus and rule.penalty
    inputs = {"commendations": commendations, "accountability_findings": findings}
    result = score(rubric, inputs)
    assert 0 <= result.bonus <= rule.bonus.cap
    assert 0 <= result.penalty <= rule.penalty.cap
    assert result.total >= 0


@given(
    st.decimals(min_value=0, max_value=10_000_000, places=2),
    st.sampled_from(["≥{n}", "{n}以上", "≤{n}", "不超过{n}", "{n}"]),
    st.sampled_from(["", "万元", "个", "%"]),
)
def test_written_numbers_read_back(number: D, template: str, unit: str) -> None:
    # A bare 「2022.11」 is a month in these tables (a deadline), not two thousand and odd.
    assume(unit or not MONTH.match(f"{number}"))
    quantity = parse_quantity(template.format(n=f"{number}{unit}"))
    assert quantity is not None
    assert quantity.value == (number / 100 if unit == "%" else number)


MONTH = re.compile(r"^(19|20)\d\d\.(0[1-9]|1[0-2])$")


@pytest.mark.parametrize("written", ["2022.11", "1931.01"])
def test_a_bare_year_and_month_reads_as_a_deadline(written: str) -> None:
    assert parse_quantity(written) is None
    assert read(written).kind == "deadline"
