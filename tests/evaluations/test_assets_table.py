"""固定资产情况表: any number of rows in 元, a computed 合计, and the basic table's 万元 totals."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from evaluations.models import FixedAssetLine
from tests.conftest import Cast
from tests.evaluations.helpers_tables import messages_of, rows, save, table_url, values_of

PREFIX = "assets-lines"
LINES = [
    {
        "name": "一、土地、房屋及构筑物",
        "quantity": "12",
        "amount": "6665147.92",
        "in_use_amount": "6665147.92",
    },
    {
        "name": "其中：房屋",
        "is_detail": "on",
        "quantity": "12",
        "amount": "6665147.92",
        "in_use_amount": "6665147.92",
    },
    {
        "name": "二、通用设备",
        "quantity": "563",
        "amount": "11472636.1",
        "in_use_amount": "11462636.1",
    },
    {
        "name": "四、家具、用具、装具",
        "quantity": "665",
        "amount": "496105.97",
        "in_use_amount": "496105.97",
    },
    {},  # an untouched blank row is not stored
]


def saved_lines(cast: Cast) -> list[FixedAssetLine]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        return list(FixedAssetLine.objects.filter(evaluation=cast.evaluation_a))


def test_it_saves_the_rows_in_order_and_shows_the_computed_total(cast: Cast) -> None:
    response = save(cast, "assets.lines", rows(PREFIX, LINES))
    assert response.status_code == 200, response.content.decode()
    lines = saved_lines(cast)
    assert [(line.position, line.name, line.is_detail) for line in lines] == [
        (1, "一、土地、房屋及构筑物", False),
        (2, "其中：房屋", True),
        (3, "二、通用设备", False),
        (4, "四、家具、用具、装具", False),
    ]
    body = response.content.decode()
    # 合计 leaves out the 「其中」 line: 6665147.92 + 11472636.10 + 496105.97.
    assert 'id="assets-lines-total-amount" hx-swap-oob="true">18633889.99<' in body
    assert 'id="assets-lines-total-quantity" hx-swap-oob="true">1240<' in body
    assert 'id="assets-lines-0-in-use-share" hx-swap-oob="true">35.77%<' in body


def test_a_row_marked_for_deletion_is_removed(cast: Cast) -> None:
    save(cast, "assets.lines", rows(PREFIX, LINES))
    kept = [*LINES[:2], {**LINES[2], "DELETE": "on"}, LINES[3]]
    response = save(cast, "assets.lines", {**rows(PREFIX, kept, initial=4), "based_on": "1"})
    assert response.status_code == 200
    assert [line.name for line in saved_lines(cast)] == [
        "一、土地、房屋及构筑物",
        "其中：房屋",
        "四、家具、用具、装具",
    ]


def test_it_supplies_the_basic_tables_totals_in_wan_yuan_only_when_those_are_empty(
    cast: Cast,
) -> None:
    save(cast, "assets.lines", rows(PREFIX, LINES))
    values = values_of(cast)
    assert values["fixed_assets_total"] == Decimal("1863.388999")
    assert values["fixed_assets_in_use"] == Decimal("1862.388999")
    save(
        cast,
        "basic.assets",
        {"basic-assets-fixed_assets_total": "1900", "basic-assets-fixed_assets_in_use": "1800"},
    )
    values = values_of(cast)
    assert (values["fixed_assets_total"], values["fixed_assets_in_use"]) == (
        Decimal("1900"),
        Decimal("1800"),
    )


def test_it_flags_rows_whose_parts_do_not_add_up_and_a_stated_total_that_differs(
    cast: Cast,
) -> None:
    lines = [*LINES[:3], {"name": "四、家具", "amount": "100", "in_use_amount": "120"}]
    save(cast, "assets.lines", rows(PREFIX, lines))
    save(cast, "assets.stated", {"assets-stated-amount_stated": "18137884"})
    found = messages_of(cast)
    assert "「四、家具」在用资产 120.00 元超过金额 100.00 元。" in found
    assert (
        "「二、通用设备」金额 11472636.10 元与在用资产 + 闲置资产 11462636.10 元不符，"
        "请说明差额（如被盗、待报废）。" in found
    )
    assert "填报的合计金额 18137884.00 元与各类资产金额之和 18137884.02 元不符。" in found


def make_lines(cast: Cast, count: int) -> None:
    FixedAssetLine.objects.bulk_create(
        FixedAssetLine(
            evaluation=cast.evaluation_a,
            position=position,
            name=f"类别{position}",
            amount=Decimal(position),
            in_use_amount=Decimal(position),
        )
        for position in range(1, count + 1)
    )


def queries_for_page(cast: Cast, table: str) -> int:
    client = cast.client_for("filler_a")
    with CaptureQueriesContext(connection) as context:
        assert client.get(table_url(cast, table)).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("table", ["assets", "basic"])
def test_the_page_runs_as_many_queries_for_50_rows_as_for_5(cast: Cast, table: str) -> None:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        make_lines(cast, 5)
    few = queries_for_page(cast, table)
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        FixedAssetLine.objects.filter(evaluation=cast.evaluation_a).delete()
        make_lines(cast, 50)
    assert queries_for_page(cast, table) == few


def test_the_basic_tables_utilization_follows_the_asset_table_when_its_totals_are_empty(
    cast: Cast,
) -> None:
    save(cast, "assets.lines", rows(PREFIX, LINES))
    body = cast.client_for("filler_a").get(table_url(cast, "basic")).content.decode()
    shown = body[body.index('id="basic-assets-utilization"') :][:400]
    assert "99.95%" in shown and "按固定资产情况表合计换算" in shown


def test_two_people_saving_the_rows_at_once_get_a_conflict(cast: Cast) -> None:
    assert save(cast, "assets.lines", rows(PREFIX, LINES[:1])).status_code == 200
    response = save(cast, "assets.lines", rows(PREFIX, LINES[:2]))
    assert response.status_code == 409
    assert "行数" in response.content.decode()
    assert len(saved_lines(cast)) == 1
