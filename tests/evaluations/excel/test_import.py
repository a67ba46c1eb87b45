"""Excel import: a workbook exported from the platform, streamed back all or nothing."""

import io
import json
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from departments.roles import Role
from evaluations.api.views import form_data
from evaluations.excel import imports, safety
from evaluations.models import (
    Disclosures,
    Evaluation,
    FixedAssetLine,
    FundLine,
    SectionState,
    Staffing,
    UnitInfo,
)
from evaluations.selectors.evaluations import evaluation_values, section_versions
from evaluations.services.sections import section_save
from evaluations.tables.registry import scoped_sections, section_for, sections_for
from tests.conftest import Cast
from tests.evaluations.excel.files import sheet_xml, with_extra_sheet, with_rows_below
from tests.evaluations.excel.helpers import (
    BASIC,
    FUNDS,
    cell_of,
    demo,
    download,
    edited,
    in_scope,
    layout_of,
    set_cell,
    upload,
    urls,
)


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


DEMOS = [
    ("湛江市商务局", 2019),
    ("湛江市商务局", 2017),
    ("岳阳市商务局", 2023),
    ("江门市商务局", 2022),  # a project evaluation (seed 004)
]


@pytest.mark.parametrize(("department", "year"), DEMOS)
def test_a_demo_evaluation_comes_back_identical(
    demo_data: None, department: str, year: int
) -> None:
    evaluation, client = demo(department, year)
    before, saved_versions = snapshot(evaluation), versions(evaluation)
    response = upload(client, evaluation, download(client, evaluation))
    assert response.status_code == 302, response.content.decode()
    assert snapshot(evaluation) == before
    assert versions(evaluation) == saved_versions  # nothing changed, so nothing was saved


def section_editable_states(evaluation: Any, key: str) -> frozenset[str]:
    section = section_for(evaluation, key)
    assert section is not None
    return section.editable_states


@pytest.mark.parametrize(("department", "year"), DEMOS)
def test_every_section_saved_from_the_file_keeps_its_data(
    demo_data: None, department: str, year: int
) -> None:
    """Not only "no change detected": each section's form, bound to the file, saves the same data."""
    evaluation, client = demo(department, year)
    before = snapshot(evaluation)
    data = download(client, evaluation)
    user = get_user_model().objects.get(
        username=f"{evaluation.department.slug.split('-')[0]}-filler"
    )
    with in_scope(evaluation):
        contents = imports.read_workbook(data, evaluation, name="自评.xlsx")
        # 核查得分 is the reviewer's, entered once the evaluation is submitted: not a draft's.
        layouts = [
            layout
            for layout in contents.layouts
            if evaluation.state in section_editable_states(evaluation, layout["key"])
        ]
        for layout in layouts:
            section = section_for(evaluation, layout["key"])
            assert section is not None
            posted, problems = imports.posted_data(
                section, section.form(evaluation), contents.sheets[layout["sheet"]], layout
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
    assert len(contents.layouts) == len(versions(evaluation))


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


def test_a_stale_export_after_a_funds_line_was_added_is_refused_not_an_error(cast: Cast) -> None:
    """Someone else adds a line from their own download; the older file then changes a figure."""
    evaluation = cast.evaluation_a
    with in_scope(evaluation):
        FundLine.objects.create(evaluation=evaluation, name="基本支出", order=0)
    mine, theirs = cast.client_for("filler_a"), cast.client_for("filler_a")
    stale = download(mine, evaluation)
    fresh = download(theirs, evaluation)
    fresh = set_cell(
        fresh, cell_of(fresh, evaluation, "funds.structure", "name", row=1), "项目支出"
    )
    assert upload(theirs, evaluation, fresh).status_code == 302
    with in_scope(evaluation):
        assert FundLine.objects.filter(name="项目支出").exists()
    stale = set_cell(stale, cell_of(stale, evaluation, "funds.figures", "budget_initial"), 7)
    response = upload(mine, evaluation, stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "以下栏目已被他人修改" in page and "未导入任何数据" in page
    assert "他人新增的行：（空） → 项目支出" in page
    with in_scope(evaluation):
        assert list(FundLine.objects.values_list("name", "budget_initial")) == [
            ("基本支出", None),
            ("项目支出", None),
        ]


def test_the_workbook_is_streamed_and_only_the_named_sheets_are_read(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    evaluation = cast.evaluation_a
    data = download(client, evaluation)
    data = set_cell(data, cell_of(data, evaluation, "basic.staffing", "staff_actual"), 55)
    # A sheet the user added, whose XML breaks after its first rows: parsing it would fail.
    broken = with_extra_sheet(data, sheet_xml(10, 5, body="<unclosed>"))
    with pytest.raises(Exception, match=r"mismatched tag|Opening and ending tag mismatch"):
        openpyxl.load_workbook(io.BytesIO(broken))  # expat's words, or lxml's
    with imports.opened(broken, name="x") as workbook:
        assert all(isinstance(sheet, ReadOnlyWorksheet) for sheet in workbook.worksheets)
    assert upload(client, evaluation, broken).status_code == 302
    with in_scope(evaluation):
        assert Staffing.objects.get().staff_actual == 55


def test_a_workbook_at_the_cell_limit_is_read_in_little_memory(cast: Cast) -> None:
    evaluation = cast.evaluation_a
    data = download(cast.client_for("filler_a"), evaluation)
    # 90,000 figures, under the real limit, pasted below the funds table, which is read.
    sheet = layout_of(data, evaluation, "funds.figures")["sheet"]
    number = openpyxl.load_workbook(io.BytesIO(data)).sheetnames.index(sheet) + 1
    heavy = with_rows_below(data, number, rows=3_000, columns=30)
    safety.check_xlsx(heavy, name="x.xlsx")
    tracemalloc.start()
    try:
        with in_scope(evaluation):
            contents = imports.read_workbook(heavy, evaluation, name="x.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert contents.sheets[sheet].cells  # the funds table was read
    assert peak < 8 * 1024 * 1024, peak  # openpyxl loading it whole takes some 33 MB


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
    with in_scope(cast.evaluation_a):
        contents = imports.read_workbook(set_cell(data, place, 3), cast.evaluation_a, name="x")
        plan = imports.import_plan(cast.evaluation_a, contents, roles=frozenset({Role.REVIEWER}))
        assert [str(p) for p in plan.problems] == [
            f"{BASIC}!A11 「人员情况」不能由您修改，请恢复原值。"
        ]
        changes = imports.import_plan(cast.evaluation_a, contents, roles=roles).changes
        assert [change.key for change in changes] == ["basic.staffing"]


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


WIDE = {get_column_letter(column): get_column_letter(column) for column in range(1, 31)}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda layout: json.dumps({**layout, "count": 10**9}),
        lambda layout: json.dumps({**layout, "columns": {"name": "A0; DROP"}}),
        lambda layout: json.dumps({**layout, "first_row": 0}),
        lambda layout: json.dumps({**layout, "kind": "macro"}),
        # More cells than a file can hold: 5,000 rows of 30 columns.
        lambda layout: json.dumps({**layout, "count": 5_000, "columns": WIDE}),
        # Nested deeper than a parser's recursion.
        lambda layout: json.dumps(layout)[:-1] + ', "x": ' + "[" * 5_000 + "]" * 5_000 + "}",
        # Longer than any export's layouts, in text that compresses like real text.
        lambda layout: json.dumps({**layout, "x": "".join(map(str, range(200_000)))}),
    ],
)
def test_a_tampered_meta_sheet_is_refused(cast: Cast, tamper: Callable[[Any], str]) -> None:
    client = cast.client_for("filler_a")
    data = download(client, cast.evaluation_a)

    def change(workbook: Any) -> None:
        meta = workbook["_meta"]
        row = next(row for row in meta.iter_rows(min_row=6) if row[0].value == "funds.figures")
        row[2].value = tamper(json.loads(row[2].value))

    response = upload(client, cast.evaluation_a, edited(data, change))
    assert response.status_code == 400
    assert "_meta 工作表已损坏" in response.content.decode()


def test_a_sheet_whose_sections_name_no_cell_is_read_as_empty(cast: Cast) -> None:
    data = download(cast.client_for("filler_a"), cast.evaluation_a)

    def change(workbook: Any) -> None:
        for row in workbook["_meta"].iter_rows(min_row=6):
            layout = json.loads(row[2].value)
            if layout["sheet"] == "固定资产情况表":
                emptied = {"count": 0, "hidden": []} if layout["kind"] == "rows" else {"cells": {}}
                row[2].value = json.dumps({**layout, **emptied})

    with in_scope(cast.evaluation_a):
        contents = imports.read_workbook(edited(data, change), cast.evaluation_a, name="x")
    assert contents.sheets["固定资产情况表"].cells == {}


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
