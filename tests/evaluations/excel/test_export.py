"""Excel export: every table as a sheet laid out like the official one, values as data."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from evaluations.models import FundLine, OverallTargets, UnitInfo
from tests.conftest import Cast
from tests.evaluations.excel.helpers import (
    BASIC,
    FUNDS,
    HYPERLINK,
    cell_of,
    demo,
    download,
    in_scope,
    set_cell,
    upload,
    urls,
)
from tests.factories import project_of


def test_the_workbook_is_laid_out_like_the_official_tables(demo_data: None) -> None:
    evaluation, client = demo("湛江市商务局", 2019)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, evaluation)))
    assert workbook.sheetnames == [
        BASIC,
        FUNDS,
        "固定资产情况表",
        "绩效目标申报情况汇总表",
        "自评报告",
        "评分表",
        "_meta",
    ]
    assert workbook["_meta"].sheet_state == "hidden"
    assert all(sheet.protection.sheet for sheet in workbook.worksheets)
    assert workbook.security.lockStructure
    basic = workbook[BASIC]
    header = next(row for row in basic.iter_rows() if row[0].value == "编制数")
    assert [cell.value for cell in header[:3]] == ["编制数", 61, "人"]
    assert not header[1].protection.locked and header[0].protection.locked
    funds = workbook[FUNDS]
    heading = next(row for row in funds.iter_rows() if row[0].value == "资金数据")[0].row + 1
    labels = [cell.value for cell in funds[heading]]
    column = labels.index("部门年初预算数")
    parent = next(
        row
        for row in funds.iter_rows()
        if row[0].value == "一、财政拨款资金" and row[0].row > heading
    )
    total = parent[column]
    # A parent's figure is its children's sum, written as a plain locked number, not a formula.
    assert total.value == pytest.approx(5085.71) and total.data_type == "n"
    assert total.protection.locked and total.number_format == "0.00"
    leaf = next(
        row for row in funds.iter_rows() if row[0].value == "1. 基本支出" and row[0].row > heading
    )
    assert leaf[column].value == pytest.approx(1351.21) and not leaf[column].protection.locked
    meta = workbook["_meta"]
    assert meta["B2"].value == evaluation.pk and meta["B3"].value == "zhanjiang-commerce"
    keys = {row[0].value: row[1].value for row in meta.iter_rows(min_row=6)}
    assert keys["basic.staffing"] == 0 and "funds.figures" in keys and "scores.verified" in keys


def test_money_keeps_its_stored_precision(cast: Cast) -> None:
    with in_scope(cast.evaluation_a):
        FundLine.objects.create(
            evaluation=cast.evaluation_a, name="政府采购", budget_initial=Decimal("769.1121")
        )
    data = download(cast.client_for("filler_a"), cast.evaluation_a)
    sheet, coordinate = cell_of(data, cast.evaluation_a, "funds.figures", "budget_initial")
    cell = openpyxl.load_workbook(io.BytesIO(data))[sheet][coordinate]
    assert cell.value == pytest.approx(769.1121) and cell.number_format == "0.00"


def test_projects_get_a_sheet_each_with_unique_short_titles(cast: Cast) -> None:
    long_name = "岳阳市城陵矶综合保税区跨境电子商务产业园区建设与运营扶持专项资金项目"
    project_of(cast.evaluation_a, name=long_name)
    project_of(cast.evaluation_a, name=long_name)
    workbook = openpyxl.load_workbook(
        io.BytesIO(download(cast.client_for("reviewer"), cast.evaluation_a))
    )
    projects = [title for title in workbook.sheetnames if title.startswith("项目：")]
    assert len(projects) == 2 and len(set(projects)) == 2
    assert all(len(title) <= 31 for title in projects)
    assert projects[0] == f"项目：{long_name}"[:31]


def test_a_formula_looking_text_stays_text_both_ways(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    with in_scope(evaluation):
        FundLine.objects.create(evaluation=evaluation, name="基本支出", remark=HYPERLINK)
    data = download(client, evaluation)
    remark = cell_of(data, evaluation, "funds.figures", "remark")
    cell = openpyxl.load_workbook(io.BytesIO(data))[remark[0]][remark[1]]
    assert cell.value == HYPERLINK and cell.data_type == "s"
    sheet_xml = b"".join(
        zipfile.ZipFile(io.BytesIO(data)).read(name)
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if name.startswith("xl/worksheets/")
    )
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    contact = cell_of(data, evaluation, "basic.unit", "contact_name")
    data = set_cell(data, contact, "@SUM(1)")  # typed as text in a text cell
    measures = cell_of(data, evaluation, "basic.targets", "measures")
    data = set_cell(data, measures, HYPERLINK)
    # The funds figures are saved again from the file: the remark goes back in as the same text.
    data = set_cell(data, cell_of(data, evaluation, "funds.figures", "budget_initial"), 3)
    assert upload(client, evaluation, data).status_code == 302
    with in_scope(evaluation):
        assert list(FundLine.objects.values_list("remark", "budget_initial")) == [
            (HYPERLINK, Decimal(3))
        ]
        assert UnitInfo.objects.get().contact_name == "@SUM(1)"
        assert OverallTargets.objects.get().measures == HYPERLINK
    exported = openpyxl.load_workbook(io.BytesIO(download(client, evaluation)))
    assert exported[measures[0]][measures[1]].data_type == "s"


@pytest.mark.parametrize(
    "text", ["+86 759 3388123", "-SUM(1,2)", '+HYPERLINK("http://example.com/steal","点此")', "-"]
)
def test_a_text_starting_with_plus_or_minus_stays_text_and_a_negative_number_a_number(
    cast: Cast, text: str
) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    with in_scope(evaluation):
        FundLine.objects.create(
            evaluation=evaluation, name="基本支出", remark=text, adjustment=Decimal("-12.5")
        )
        UnitInfo.objects.create(evaluation=evaluation, contact_phone=text)
    data = download(client, evaluation)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    remark = cell_of(data, evaluation, "funds.figures", "remark")
    phone = cell_of(data, evaluation, "basic.unit", "contact_phone")
    adjustment = cell_of(data, evaluation, "funds.figures", "adjustment")
    for place in (remark, phone):
        cell = workbook[place[0]][place[1]]
        # Text, and marked so that Excel keeps it text when the user edits the cell.
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), place
    money = workbook[adjustment[0]][adjustment[1]]
    assert money.value == pytest.approx(-12.5) and money.data_type == "n"
    assert not money.quotePrefix
    sheet_xml = b"".join(
        zipfile.ZipFile(io.BytesIO(data)).read(name)
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if name.startswith("xl/worksheets/")
    )
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    # Back in: the texts as typed, the negative amounts as numbers (one typed in as a number).
    contact = cell_of(data, evaluation, "basic.unit", "contact_name")
    data = set_cell(data, contact, f"{text}王五")
    data = set_cell(data, cell_of(data, evaluation, "funds.figures", "carryover_prior"), -3)
    assert upload(client, evaluation, data).status_code == 302
    with in_scope(evaluation):
        assert list(FundLine.objects.values_list("remark", "adjustment", "carryover_prior")) == [
            (text, Decimal("-12.5"), Decimal(-3))
        ]
        unit = UnitInfo.objects.get()
        assert (unit.contact_phone, unit.contact_name) == (text, f"{text}王五")


def test_the_overview_offers_download_and_upload(cast: Cast) -> None:
    download_url, import_url = urls(cast.evaluation_a)
    overview = reverse(
        "department:evaluation",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
    )
    page = cast.client_for("filler_a").get(overview).content.decode()
    assert download_url in page and import_url in page and 'accept=".xlsx' in page
    page = cast.client_for("reviewer").get(overview).content.decode()
    assert download_url in page and import_url not in page
