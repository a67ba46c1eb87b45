"""Excel round trip: download every table as an .xlsx, upload it back all or nothing."""

import io
import json
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from departments.roles import Role
from evaluations.api.views import form_data
from evaluations.excel import export as excel
from evaluations.models import (
    Disclosures,
    Evaluation,
    FixedAssetLine,
    FundLine,
    OverallTargets,
    SectionState,
    Staffing,
    UnitInfo,
)
from evaluations.selectors.evaluations import evaluation_values, section_versions
from evaluations.services.sections import section_save
from evaluations.tables.registry import scoped_sections, section_for, sections_for
from tests.conftest import Cast
from tests.factories import project_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASIC = "整体绩效自评基础数据表"
FUNDS = "整体绩效自评基础数据表（财政资金情况）"
HYPERLINK = '=HYPERLINK("http://example.com/steal","点此")'


def in_scope(evaluation: Evaluation) -> Any:
    return scope(
        jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
    )


def urls(evaluation: Evaluation) -> tuple[str, str]:
    kwargs = {"department": evaluation.department.slug, "pk": evaluation.pk}
    return (
        reverse("department:evaluation_excel", kwargs=kwargs),
        reverse("department:evaluation_excel_import", kwargs=kwargs),
    )


def download(client: Client, evaluation: Evaluation) -> bytes:
    response = client.get(urls(evaluation)[0])
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def upload(client: Client, evaluation: Evaluation, data: bytes, name: str = "自评.xlsx") -> Any:
    return client.post(urls(evaluation)[1], {"file": SimpleUploadedFile(name, data, XLSX)})


def edited(data: bytes, change: Callable[[Any], None]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def cell_of(data: bytes, evaluation: Evaluation, key: str, name: str, row: int = 0) -> Any:
    """(sheet title, coordinate) where the export wrote field `name` of section `key`."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    with in_scope(evaluation):
        layout = next(
            layout for layout in excel.read_meta(workbook, evaluation) if layout["key"] == key
        )
    if layout["kind"] == "rows":
        return layout["sheet"], f"{layout['columns'][name]}{layout['first_row'] + row}"
    return layout["sheet"], layout["cells"][name]


def set_cell(data: bytes, place: tuple[str, str], value: Any, *, as_text: bool = True) -> bytes:
    def change(workbook: Any) -> None:
        cell = workbook[place[0]][place[1]]
        cell.value = value
        if as_text and isinstance(value, str):
            cell.data_type = "s"

    return edited(data, change)


def snapshot(evaluation: Evaluation) -> tuple[dict[str, Any], dict[str, Any]]:
    with in_scope(evaluation):
        sections = [*sections_for(evaluation), *scoped_sections(evaluation)]
        return (
            evaluation_values(evaluation),
            {section.key: form_data(section.form(evaluation)) for section in sections},
        )


def stripped(value: Any) -> Any:
    """Strings without surrounding whitespace, mappings without blank values."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {key: stripped(item) for key, item in value.items() if item not in (None, "")}
    if isinstance(value, list | tuple):
        return [stripped(item) for item in value]
    return value


def versions(evaluation: Evaluation) -> dict[str, int]:
    with in_scope(evaluation):
        return section_versions(
            evaluation, [*sections_for(evaluation), *scoped_sections(evaluation)]
        )


def demo(department: str, year: int) -> tuple[Evaluation, Client]:
    call_command("load_demo")
    with scopes_disabled():
        evaluation = Evaluation.objects.select_related("department", "campaign").get(
            department__name=department, campaign__fiscal_year=year
        )
    filler = get_user_model().objects.get(
        username=f"{evaluation.department.slug.split('-')[0]}-filler"
    )
    client = Client()
    client.force_login(filler)
    return evaluation, client


DEMOS = [
    ("湛江市商务局", 2019),
    ("湛江市商务局", 2017),
    ("岳阳市商务局", 2023),
    ("江门市商务局", 2022),  # a project evaluation (seed 004)
]


@pytest.mark.parametrize(("department", "year"), DEMOS)
def test_a_demo_evaluation_comes_back_identical(db: None, department: str, year: int) -> None:
    evaluation, client = demo(department, year)
    before, saved_versions = snapshot(evaluation), versions(evaluation)
    response = upload(client, evaluation, download(client, evaluation))
    assert response.status_code == 302, response.content.decode()
    assert snapshot(evaluation) == before
    assert versions(evaluation) == saved_versions  # nothing changed, so nothing was saved


@pytest.mark.parametrize(("department", "year"), DEMOS)
def test_every_section_saved_from_the_file_keeps_its_data(
    db: None, department: str, year: int
) -> None:
    """Not only "no change detected": each section's form, bound to the file, saves the same data."""
    evaluation, client = demo(department, year)
    before = snapshot(evaluation)
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, evaluation)))
    user = get_user_model().objects.get(
        username=f"{evaluation.department.slug.split('-')[0]}-filler"
    )
    with in_scope(evaluation):
        layouts = excel.read_meta(workbook, evaluation)
        for layout in layouts:
            section = section_for(evaluation, layout["key"])
            assert section is not None
            posted, problems = excel.posted_data(
                section, section.form(evaluation), workbook[layout["sheet"]], layout
            )
            form = section.form(evaluation, posted)
            assert not problems and form.is_valid(), (layout["key"], form.errors)
            section_save(
                evaluation=evaluation,
                section=section,
                form=form,
                based_on=layout["version"],
                by=user,
            )
    # Forms strip surrounding whitespace on every save (a chapter's final newline goes), and
    # saving a section never filled in stores its row, whose values are all blank.
    assert stripped(snapshot(evaluation)) == stripped(before)
    assert len(layouts) == len(versions(evaluation))


def test_the_workbook_is_laid_out_like_the_official_tables(db: None) -> None:
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


def test_a_changed_cell_is_imported_and_only_its_section_saved(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    data = download(client, cast.evaluation_a)
    data = set_cell(
        data, cell_of(data, cast.evaluation_a, "basic.staffing", "staff_authorized"), 61
    )
    response = upload(client, cast.evaluation_a, data)
    assert response.status_code == 302
    with in_scope(cast.evaluation_a):
        assert Staffing.objects.get().staff_authorized == 61
        assert dict(SectionState.objects.filter(version__gt=0).values_list("key", "version")) == {
            "basic.staffing": 1
        }
    page = client.get(response["Location"]).content.decode()
    assert "已从 Excel 导入，更新了 1 个栏目：人员情况" in page


def test_rows_are_added_and_deleted_through_the_grid(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    with in_scope(cast.evaluation_a):
        FixedAssetLine.objects.create(
            evaluation=cast.evaluation_a, position=1, name="房屋", amount=5
        )
    data = download(client, cast.evaluation_a)
    evaluation = cast.evaluation_a
    data = set_cell(data, cell_of(data, evaluation, "assets.lines", "DELETE", row=0), "是")
    data = set_cell(data, cell_of(data, evaluation, "assets.lines", "name", row=1), "车辆")
    data = set_cell(data, cell_of(data, evaluation, "assets.lines", "amount", row=1), 12.5)
    assert upload(client, evaluation, data).status_code == 302
    with in_scope(evaluation):
        assert list(FixedAssetLine.objects.values_list("name", "amount")) == [
            ("车辆", Decimal("12.50"))
        ]


def test_every_bad_cell_is_reported_with_its_place_and_nothing_is_saved(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    data = download(client, evaluation)
    staff = cell_of(data, evaluation, "basic.staffing", "staff_authorized")
    actual = cell_of(data, evaluation, "basic.staffing", "staff_actual")
    published = cell_of(data, evaluation, "basic.disclosures", "budget_published")
    published_on = cell_of(data, evaluation, "basic.disclosures", "budget_on")
    contact = cell_of(data, evaluation, "basic.unit", "contact_name")
    name = cell_of(data, evaluation, "funds.figures", "name")
    budget = cell_of(data, evaluation, "funds.figures", "budget_initial")
    data = set_cell(data, staff, "六十一")
    data = set_cell(data, actual, "=B13+1", as_text=False)  # a real formula
    data = set_cell(data, published, "也许")
    data = set_cell(data, published_on, "下个月")
    data = set_cell(data, contact, "王五")  # valid, but nothing may be saved
    data = set_cell(data, name, "新项目")
    data = set_cell(data, budget, "一百万")
    response = upload(client, evaluation, data)
    assert response.status_code == 422
    problems = [str(problem) for problem in response.context["result"].problems]
    assert f"{BASIC}!{staff[1]} 编制数：输入整数。" in problems
    assert f"{BASIC}!{actual[1]} 实有在职人数：是公式，请直接填写值。" in problems
    assert f"{BASIC}!{published[1]} 预算是否公开：请填写“是”或“否”，而不是「也许」。" in problems
    assert any(p.startswith(f"{BASIC}!{published_on[1]} 预算公开时间：") for p in problems)
    assert f"{FUNDS}!{budget[1]} 部门年初预算数：输入一个数字。" in problems
    assert len(problems) == 5
    page = response.content.decode()
    assert '<th scope="col">工作表</th>' in page and '<th scope="col">单元格</th>' in page
    assert f'<th scope="row">{budget[1]}</th>' in page
    with in_scope(evaluation):
        assert not SectionState.objects.filter(version__gt=0).exists()
        assert not UnitInfo.objects.exists() and not FundLine.objects.exists()


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
    data = set_cell(data, cell_of(data, evaluation, "funds.figures", "budget_initial"), -3)
    assert upload(client, evaluation, data).status_code == 302
    with in_scope(evaluation):
        assert list(FundLine.objects.values_list("remark", "adjustment", "budget_initial")) == [
            (text, Decimal("-12.5"), Decimal(-3))
        ]
        unit = UnitInfo.objects.get()
        assert (unit.contact_phone, unit.contact_name) == (text, f"{text}王五")


def test_a_stale_export_is_refused_naming_the_section(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    data = download(client, evaluation)
    data = set_cell(data, cell_of(data, evaluation, "basic.unit", "contact_name"), "王五")
    with in_scope(evaluation):
        section = section_for(evaluation, "basic.unit")
        assert section is not None
        form = section.form(evaluation, {"basic-unit-contact_name": "李四"})
        assert form.is_valid()
        section_save(
            evaluation=evaluation, section=section, form=form, based_on=0, by=cast.users["head_a"]
        )
    response = upload(client, evaluation, data)
    assert response.status_code == 409
    conflicts = response.context["result"].conflicts
    assert [conflict.title for conflict in conflicts] == ["单位基本情况"]
    assert "王五 → 李四" in response.content.decode()
    with in_scope(evaluation):
        assert UnitInfo.objects.get().contact_name == "李四"


def test_a_version_bump_without_a_change_is_no_conflict(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    data = download(client, evaluation)
    data = set_cell(data, cell_of(data, evaluation, "basic.staffing", "staff_actual"), 55)
    with in_scope(evaluation):
        section = section_for(evaluation, "basic.unit")
        assert section is not None
        form = section.form(evaluation, {})
        assert form.is_valid()
        section_save(
            evaluation=evaluation, section=section, form=form, based_on=0, by=cast.users["head_a"]
        )
    assert upload(client, evaluation, data).status_code == 302
    with in_scope(evaluation):
        assert Staffing.objects.get().staff_actual == 55


def test_a_file_of_another_evaluation_is_refused(cast: Cast) -> None:
    data = download(cast.client_for("filler_b"), cast.evaluation_b)
    response = upload(cast.client_for("filler_a"), cast.evaluation_a, data)
    assert response.status_code == 400
    assert "此文件是另一份自评的表格" in response.content.decode()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zip_of(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {member: source.read(member) for member in source.namelist()}
    return zip_of({**members, name: content})


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>
</worksheet>"""


def refused_files(data: bytes) -> dict[str, tuple[bytes, str]]:
    """name → (content, words the refusal must contain)."""
    return {
        "报告.xlsx": (PDF, "不是 Excel 工作簿（.xlsx）"),
        "说明.xlsx": ("编制数,61\n".encode(), "不是 Excel 工作簿（.xlsx）"),
        "文档.xlsx": (zip_of({"word/document.xml": b"<w/>"}), "不是 Excel 工作簿（.xlsx）"),
        "炸弹.xlsx": (
            with_member(data, "xl/media/zeros.bin", bytes(8 * 1024 * 1024)),
            "解压后过大（疑似压缩炸弹）",
        ),
        "实体.xlsx": (
            with_member(data, "xl/worksheets/sheet1.xml", ENTITY_BOMB),
            "含有 XML 文档类型或实体声明（xl/worksheets/sheet1.xml）",
        ),
        "空.xlsx": (b"", "是空文件"),
    }


@pytest.mark.parametrize(
    "name", ["报告.xlsx", "说明.xlsx", "文档.xlsx", "炸弹.xlsx", "实体.xlsx", "空.xlsx"]
)
def test_unsafe_or_foreign_files_are_refused_before_parsing(cast: Cast, name: str) -> None:
    client = cast.client_for("filler_a")
    data = download(client, cast.evaluation_a)
    content, words = refused_files(data)[name]
    response = upload(client, cast.evaluation_a, content, name=name)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and f"文件「{name}」" in page
    with in_scope(cast.evaluation_a):
        assert not SectionState.objects.exists()


def test_a_file_over_the_size_limit_is_refused(cast: Cast, settings: Any) -> None:
    client = cast.client_for("filler_a")
    data = download(client, cast.evaluation_a)
    settings.EXCEL_MAX_BYTES = len(data) - 1
    response = upload(client, cast.evaluation_a, data)
    assert response.status_code == 400
    assert "超过" in response.content.decode() and "的上限，未导入" in response.content.decode()


def test_the_uncompressed_total_is_bounded(cast: Cast, settings: Any) -> None:
    data = download(cast.client_for("filler_a"), cast.evaluation_a)
    settings.EXCEL_MAX_UNCOMPRESSED_BYTES = 10_000
    with pytest.raises(excel.ExcelRefused, match="疑似压缩炸弹"):
        excel.check_xlsx(data, name="x.xlsx")


def test_openpyxl_itself_refuses_xml_entities(cast: Cast) -> None:
    """The second wall, behind the scan for DTDs: openpyxl parses with defusedxml."""
    data = download(cast.client_for("filler_a"), cast.evaluation_a)
    bomb = with_member(data, "xl/worksheets/sheet1.xml", ENTITY_BOMB)
    assert openpyxl.DEFUSEDXML
    with pytest.raises(excel.ExcelRefused, match="含有 XML 实体声明"):
        excel.load(bomb, name="x.xlsx")


def test_only_fillers_import_and_only_while_editable(cast: Cast) -> None:
    data = download(cast.client_for("reviewer"), cast.evaluation_a)
    assert upload(cast.client_for("reviewer"), cast.evaluation_a, data).status_code == 403
    assert upload(cast.client_for("head_a"), cast.evaluation_a, data).status_code == 403
    assert upload(cast.client_for("filler_b"), cast.evaluation_a, data).status_code == 404
    assert cast.client_for("outsider").get(urls(cast.evaluation_a)[0]).status_code == 404
    cast.evaluation_a.state = Evaluation.State.SUBMITTED
    cast.evaluation_a.save()
    assert upload(cast.client_for("filler_a"), cast.evaluation_a, data).status_code == 403


def test_sections_the_filler_may_not_change_are_locked_and_refused(cast: Cast) -> None:
    cast.evaluation_a.state = Evaluation.State.SUBMITTED
    cast.evaluation_a.save()
    data = download(cast.client_for("filler_a"), cast.evaluation_a)
    sheet, coordinate = cell_of(data, cast.evaluation_a, "basic.staffing", "staff_actual")
    assert openpyxl.load_workbook(io.BytesIO(data))[sheet][coordinate].protection.locked
    roles = frozenset({Role.FILLER})
    cast.evaluation_a.state = Evaluation.State.DRAFT
    cast.evaluation_a.save()
    data = download(cast.client_for("filler_a"), cast.evaluation_a)
    place = cell_of(data, cast.evaluation_a, "basic.staffing", "staff_actual")
    workbook = openpyxl.load_workbook(io.BytesIO(set_cell(data, place, 3)))
    with in_scope(cast.evaluation_a):
        plan = excel.import_plan(cast.evaluation_a, workbook, roles=frozenset({Role.REVIEWER}))
        assert [str(p) for p in plan.problems] == [
            f"{BASIC}!A11 「人员情况」不能由您修改，请恢复原值。"
        ]
        assert [
            c.key for c in excel.import_plan(cast.evaluation_a, workbook, roles=roles).changes
        ] == ["basic.staffing"]


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


def test_yes_no_answers_round_trip(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    with in_scope(evaluation):
        Disclosures.objects.create(evaluation=evaluation, budget_published=False)
    data = download(client, evaluation)
    place = cell_of(data, evaluation, "basic.disclosures", "budget_published")
    assert openpyxl.load_workbook(io.BytesIO(data))[place[0]][place[1]].value == "否"
    assert upload(client, evaluation, set_cell(data, place, "是")).status_code == 302
    with in_scope(evaluation):
        assert Disclosures.objects.get().budget_published is True


@pytest.mark.parametrize(
    "tamper",
    [
        lambda layout: layout.update(count=10**9),
        lambda layout: layout.update(columns={"name": "A0; DROP"}),
        lambda layout: layout.update(kind="macro"),
    ],
)
def test_a_tampered_meta_sheet_is_refused(cast: Cast, tamper: Callable[[Any], None]) -> None:
    client = cast.client_for("filler_a")
    data = download(client, cast.evaluation_a)

    def change(workbook: Any) -> None:
        meta = workbook["_meta"]
        row = next(row for row in meta.iter_rows(min_row=6) if row[0].value == "funds.figures")
        layout = json.loads(row[2].value)
        tamper(layout)
        row[2].value = json.dumps(layout)

    response = upload(client, cast.evaluation_a, edited(data, change))
    assert response.status_code == 400
    assert "_meta 工作表已损坏" in response.content.decode()


def test_the_funds_tree_is_rearranged_by_the_labels_of_its_lines(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    with in_scope(evaluation):
        FundLine.objects.create(evaluation=evaluation, name="一、财政拨款资金", order=0)
        FundLine.objects.create(evaluation=evaluation, name="基本支出", order=1)
    data = download(client, evaluation)
    parent = cell_of(data, evaluation, "funds.structure", "parent", row=1)
    moved = set_cell(data, parent, "一、财政拨款资金")
    moved = set_cell(
        moved, cell_of(data, evaluation, "funds.structure", "name", row=1), "1. 基本支出"
    )
    wrong = set_cell(data, parent, "不存在的项目")
    response = upload(client, evaluation, wrong)
    assert [str(p) for p in response.context["result"].problems] == [
        f"{FUNDS}!{parent[1]} 上级项目：「不存在的项目」不是可选项。"
    ]
    assert upload(client, evaluation, moved).status_code == 302
    with in_scope(evaluation):
        line = FundLine.objects.get(name="1. 基本支出")
        assert line.parent is not None and line.parent.name == "一、财政拨款资金"


def test_deleting_a_line_and_changing_another_ones_figures_in_one_file(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    with in_scope(evaluation):
        FundLine.objects.create(evaluation=evaluation, name="基本支出", order=0)
        FundLine.objects.create(evaluation=evaluation, name="项目支出", order=1)
    data = download(client, evaluation)
    data = set_cell(data, cell_of(data, evaluation, "funds.structure", "DELETE", row=0), "是")
    data = set_cell(data, cell_of(data, evaluation, "funds.figures", "budget_initial", row=1), 7)
    response = upload(client, evaluation, data)
    assert response.status_code == 302, response.content.decode()
    with in_scope(evaluation):
        assert list(FundLine.objects.values_list("name", "budget_initial")) == [
            ("项目支出", Decimal(7))
        ]
