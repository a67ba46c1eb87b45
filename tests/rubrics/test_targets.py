"""Targets and actuals as people write them."""

from decimal import Decimal as D

import pytest

from rubrics.engine.targets import (
    Quantity,
    compare,
    completion_of,
    direction_for,
    parse_quantity,
    ratio,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("≥20", D(20), "", ">="),
        ("95%以上", D("0.95"), "%", ">="),
        ("8094万美元", D(8094), "万美元", None),
        ("≥8000", D(8000), "", ">="),
        ("9.5", D("9.5"), "", None),
        ("≤5%", D("0.05"), "%", "<="),
        ("不超过3天", D(3), "天", "<="),
        ("＞２０％", D("0.2"), "%", ">"),
        ("8,094 万元", D(8094), "万元", None),
        ("控制在80万元以内", D(80), "万元", "<="),
        ("-5%", D("-0.05"), "%", None),
        ("100%", D(1), "%", None),
        ("7500头", D(7500), "头", None),
    ],
)
def test_it_reads_quantities(text: str, value: D, unit: str, comparator: str | None) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.value, quantity.unit, quantity.comparator) == (value, unit, comparator)


@pytest.mark.parametrize(
    "text",
    [
        "≤预算",
        "年底前",
        "完成",
        "全省平均水平",
        "控制在预算内",
        "完成对外投资710万美元",
        "改革试点任务实施率达到100%。",
        "10-20",
        "≥20以下",
        "",
        None,
    ],
)
def test_it_leaves_qualitative_text_alone(text: str | None) -> None:
    assert parse_quantity(text) is None


def test_direction_comes_from_the_row_then_the_comparator() -> None:
    at_most = parse_quantity("≤5%")
    plain = parse_quantity("95%")
    assert at_most is not None and plain is not None
    assert direction_for(at_most, None) == "lower"
    assert direction_for(at_most, "higher") == "higher"
    assert direction_for(plain, None) == "higher"


def pair(target: str, actual: str) -> tuple[Quantity, Quantity]:
    t, a = parse_quantity(target), parse_quantity(actual)
    assert t is not None and a is not None
    return t, a


def test_it_brings_both_sides_to_one_unit() -> None:
    # 0.8亿美元 = 8000万美元 = 80,000,000 美元
    comparison = compare(*pair("≥0.8亿美元", "8094万美元"))
    assert comparison is not None
    assert (comparison.target, comparison.actual) == (D("80000000.0"), D(80940000))
    # a bare number takes the other side's unit
    comparison = compare(*pair("≥8000", "8094万美元"))
    assert comparison is not None and (comparison.target, comparison.actual) == (8000, 8094)


def test_units_that_cannot_be_reconciled_give_no_comparison() -> None:
    assert compare(*pair("≥20个", "24吨")) is None
    assert compare(*pair("≥95%", "0.96万元")) is None


@pytest.mark.parametrize(
    ("target", "actual", "direction", "expected"),
    [
        ("≥200", "150", "higher", D("0.75")),
        ("≥200", "250", "higher", D(1)),
        ("≤80", "100", "lower", D("0.8")),
        ("≤80", "0", "lower", D(1)),
        ("≥0", "-3", "higher", D(0)),
        ("≥-5%", "-10%", "higher", D(0)),
    ],
)
def test_ratio_is_the_share_of_the_target_reached(
    target: str, actual: str, direction: str, expected: D
) -> None:
    comparison = compare(*pair(target, actual))
    assert comparison is not None
    assert ratio(comparison, direction) == expected


@pytest.mark.parametrize(
    ("text", "completion"),
    [
        ("完成", "achieved"),
        ("完成对外投资710万美元", "achieved"),
        ("基本完成", "partial"),
        ("部分达成", "partial"),
        ("未完成", "missed"),
        ("未达到预期", "missed"),
        ("进一步提升", None),
        (None, None),
    ],
)
def test_it_reads_how_a_qualitative_actual_went(text: str | None, completion: str | None) -> None:
    assert completion_of(text) == completion
