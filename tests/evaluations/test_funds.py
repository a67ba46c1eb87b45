"""财政资金情况表: the tree's computations, its rules on seed 001, autosave and a flat query count."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluations.demo.figures.funds import LINES_2019, enter_lines
from evaluations.models import Evaluation, FundLine
from evaluations.models.funds import FundTree
from evaluations.selectors.checks import evaluation_violations
from evaluations.selectors.evaluations import evaluation_metrics, evaluation_values
from evaluations.tables.registry import section_for
from tests.conftest import Cast

HTMX = {"HTTP_HX_REQUEST": "true"}
FIGURES = "funds.figures"
STRUCTURE = "funds.structure"


def in_scope(cast: Cast) -> Any:
    return scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk)


def save_url(cast: Cast, key: str) -> str:
    return reverse(
        "department:section_save",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key},
    )


def table_url(cast: Cast) -> str:
    return reverse(
        "department:evaluation_table",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "table": "funds"},
    )


def line(pk: int, name: str, parent: int | None = None, **figures: str) -> FundLine:
    return FundLine(
        pk=pk,
        name=name,
        parent_id=parent,
        order=pk,
        **{column: Decimal(value) for column, value in figures.items()},
    )


def small_tree(evaluation: Evaluation) -> dict[str, FundLine]:
    """财政拨款资金 › 项目支出 › two projects, and 基本支出 under 财政拨款资金."""
    make = FundLine.objects.create
    root = make(evaluation=evaluation, name="一、财政拨款资金", order=0)
    basic = make(evaluation=evaluation, name="1. 基本支出", parent=root, order=0)
    projects = make(evaluation=evaluation, name="2. 项目支出", parent=root, order=1)
    fair = make(
        evaluation=evaluation,
        name="广交会业务工作经费",
        parent=projects,
        order=0,
        carryover_prior=Decimal("0.47"),
        budget_initial=Decimal(30),
        city_spent_own=Decimal(30),
        carryover_spent_own=Decimal("0.47"),
    )
    return {"root": root, "basic": basic, "projects": projects, "fair": fair}


def posted(formset: Any, **changes: str) -> dict[str, str]:
    """What a browser posts for `formset` as rendered, with some fields changed."""
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(formset.total_form_count()),
        f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = "" if value is None else str(value)
    data.update(changes)
    return data


def figures_form(cast: Cast) -> Any:
    with in_scope(cast):
        section = section_for(cast.evaluation_a, FIGURES)
        assert section is not None
        formset = section.form(cast.evaluation_a)
        assert formset.forms  # built inside the scope
        return formset


def violations(cast: Cast) -> list[Any]:
    with in_scope(cast):
        values = evaluation_values(cast.evaluation_a)
        return [
            v
            for v in evaluation_violations(cast.evaluation_a, values)
            if v.section.startswith("funds")
        ]


# Computations


def test_it_computes_the_adjusted_budget_and_the_subtotals_of_a_leaf() -> None:
    tree = FundTree(
        [
            line(
                1,
                "水博会经费",
                carryover_prior="2",
                budget_initial="300",
                adjustment="-300",
                other_special="10",
                superior_amount="5",
                city_spent_own="8",
                superior_spent_transfer="4",
            )
        ]
    )
    figures = tree.nodes[0].figures
    assert figures["adjusted_budget"] == Decimal(10)  # 300 − 300 + 10
    assert figures["budget_subtotal"] == Decimal(17)  # 2 + 10 + 5
    assert figures["spent_subtotal"] == Decimal(12)


def test_parents_are_the_sums_of_their_children_whatever_they_typed() -> None:
    tree = FundTree(
        [
            line(1, "一、财政拨款资金", budget_initial="9999"),
            line(2, "2. 项目支出", parent=1),
            line(3, "广交会业务工作经费", parent=2, budget_initial="30", city_spent_own="30.47"),
            line(4, "外商投诉中心业务费", parent=2, budget_initial="3", adjustment="-1"),
            line(5, "1. 基本支出", parent=1, budget_initial="1351.21"),
        ]
    )
    assert [(n.line.name, n.depth) for n in tree.nodes] == [
        ("一、财政拨款资金", 0),
        ("2. 项目支出", 1),
        ("广交会业务工作经费", 2),
        ("外商投诉中心业务费", 2),
        ("1. 基本支出", 1),
    ]
    root, projects = tree.nodes[0], tree.nodes[1]
    assert projects.figures["budget_initial"] == Decimal(33)
    assert projects.figures["adjusted_budget"] == Decimal(32)
    assert root.figures["budget_initial"] == Decimal("1384.21")  # not the 9999 typed on it
    assert root.figures["spent_subtotal"] == Decimal("30.47")
    assert tree.totals["adjusted_budget"] == Decimal("1383.21")


def test_stated_figures_that_differ_are_kept_apart() -> None:
    basic = line(1, "1. 基本支出", budget_initial="1351.21")
    basic.stated = {"adjusted_budget": "1575.57", "spent_subtotal": "0"}
    node = FundTree([basic]).nodes[0]
    assert node.stated_differences() == {"adjusted_budget": Decimal("1575.57")}


# Rules on the seed (湛江市商务局 2019, seed 001)


@pytest.fixture
def seed_lines(cast: Cast) -> list[FundLine]:
    with in_scope(cast):
        return enter_lines(cast.evaluation_a, LINES_2019)


def test_the_seed_is_entered_line_by_line(cast: Cast, seed_lines: list[FundLine]) -> None:
    assert len(seed_lines) == 24
    with in_scope(cast):
        tree = FundTree.of(cast.evaluation_a)
    depths = [node.depth for node in tree.nodes]
    assert depths == [0, 1, 2, 2] + [3] * 20
    basic = tree.nodes[2]
    assert basic.line.remark.startswith("此结转资金主要是12月份公用经费")
    assert basic.figures["adjusted_budget"] == Decimal("1351.21")
    assert basic.stated_differences() == {"adjusted_budget": Decimal("1575.57")}


def test_the_seed_inconsistencies_are_flagged_with_their_numbers(
    cast: Cast, seed_lines: list[FundLine]
) -> None:
    found = violations(cast)
    messages = {(v.code, v.field): v.message for v in found}
    formula = messages[("funds.stated_equals_formula", "2-adjusted_budget")]
    assert "「1. 基本支出」" in formula and "上报数 1575.57 与计算数 1351.21" in formula
    for index, stated, computed in [
        (18, "1000.00", "150.77"),  # 扶持外贸进出口专项资金: 小计 vs 市级本级支出
        (19, "135.00", "50.00"),  # 现代服务业发展专项资金
        (23, "150.00", "15.00"),  # 外贸转型升级示范基地建设专项资金
    ]:
        message = messages[("funds.stated_equals_formula", f"{index}-spent_subtotal")]
        assert f"上报数 {stated} 与计算数 {computed}" in message
    sums = {
        "1-adjusted_budget": ("(一) 市级财政预算安排", "2975.21", "2581.71"),
        "1-budget_initial": ("(一) 市级财政预算安排", "5615.71", "5085.71"),
        "1-other_special": ("(一) 市级财政预算安排", "169.14", "0.00"),
        "3-budget_initial": ("2. 项目支出", "4264.50", "3734.50"),
        "3-adjustment": ("2. 项目支出", "-3034.00", "-2504.00"),
        "3-spent_subtotal": ("2. 项目支出", "1294.81", "2495.14"),
        "3-city_spent_own": ("2. 项目支出", "1275.77", "2489.10"),
        "0-carryover_prior": ("一、财政拨款资金", "71.59", "42.73"),
        "0-spent_subtotal": ("一、财政拨款资金", "6394.82", "4018.93"),
        "0-balance": ("一、财政拨款资金", "88.47", "212.34"),
    }
    for anchor, (name, stated, children) in sums.items():
        message = messages[("funds.parent_equals_children", anchor)]
        assert f"「{name}」" in message and f"上报数 {stated} 与下级项目合计 {children}" in message
    balance = messages[("funds.balance_equals_rest", "2-balance")]
    assert "结转结余资金 88.47" in balance and "-135.89" in balance  # 36.69 + 1351.21 − 1523.79
    over = messages[("funds.spending_within_available", "15-spent_subtotal")]
    assert "「水博会经费」预算支出 300.00 超过可用资金 0.00" in over
    counts: dict[str, int] = {}
    for violation in found:
        counts[violation.code] = counts.get(violation.code, 0) + 1
    assert counts == {
        "funds.parent_equals_children": 22,
        "funds.stated_equals_formula": 4,
        "funds.balance_equals_rest": 10,
        "funds.spending_within_available": 10,
    }
    assert all(v.field for v in found)


def test_the_totals_feed_the_budget_execution_rate(cast: Cast, seed_lines: list[FundLine]) -> None:
    with in_scope(cast):
        values = evaluation_values(cast.evaluation_a)
    assert values["budget_initial"] == Decimal("5085.71")
    assert values["budget_full_year"] == Decimal("2624.44")  # 上年结转 42.73 + 调整预算数 2581.71
    assert values["budget_executed"] == Decimal("4018.93")
    rates = {metric.key: metric.display for metric in evaluation_metrics(values)}
    assert rates["budget_execution_rate"] == "153.13%"


def test_a_transfer_needs_its_document_number_and_a_date_in_the_fiscal_year(cast: Cast) -> None:
    with in_scope(cast):
        FundLine.objects.create(
            evaluation=cast.evaluation_a,
            name="跨境电商发展专项资金",
            budget_initial=Decimal(200),
            city_spent_transfer=Decimal(200),
            balance=Decimal(0),
            city_transfer_on="2020-01-15",
            superior_received_on="2019-03-01",
        )
    found = {v.code: v for v in violations(cast)}
    assert found["funds.city_transfer_document"].field == "0-city_transfer_doc_no"
    assert "「跨境电商发展专项资金」" in found["funds.city_transfer_document"].message
    assert "2020-01-15 晚于评价年度" in found["funds.city_transfer_until"].message
    assert found["funds.city_transfer_until"].field == "0-city_transfer_on"
    assert set(found) == {"funds.city_transfer_document", "funds.city_transfer_until"}


# Autosave through the generic view


def test_autosave_stores_a_leaf_figure_and_refreshes_the_computed_cells(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    formset = figures_form(cast)
    fair = next(f for f in formset.forms if f.instance.pk == lines["fair"].pk)
    data = posted(formset, **{fair.add_prefix("adjustment"): "-10", "based_on": "0"})
    response = cast.client_for("filler_a").post(save_url(cast, FIGURES), data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    with in_scope(cast):
        assert FundLine.objects.get(pk=lines["fair"].pk).adjustment == Decimal(-10)
    # 部门调整预算数 of the project (30 − 10) and of its parents, re-rendered out of band.
    assert f'id="id_{fair.prefix}-adjusted_budget" class="figure" hx-swap-oob="true">20.00' in body
    assert (
        'id="id_funds-figures-total-adjusted_budget" class="figure" hx-swap-oob="true">20.00'
        in (body)
    )
    assert 'id="funds-figures-table"' not in body  # the table itself is not swapped
    assert "未保存" not in body  # a valid formset's errors, a list of empty dicts, are no error


def test_autosave_adds_a_project_line_under_the_chosen_parent(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    formset = figures_form(cast)
    new = formset.forms[-1]
    assert new.instance.pk is None and "parent" in new.fields
    data = posted(
        formset,
        based_on="0",
        **{
            new.add_prefix("name"): "口岸单位工作经费",
            new.add_prefix("parent"): str(lines["projects"].pk),
            new.add_prefix("budget_initial"): "270",
            new.add_prefix("city_spent_own"): "270",
        },
    )
    response = cast.client_for("filler_a").post(save_url(cast, FIGURES), data, **HTMX)
    assert response.status_code == 200
    with in_scope(cast):
        added = FundLine.objects.get(name="口岸单位工作经费")
        assert (added.parent_id, added.order, added.budget_initial) == (
            lines["projects"].pk,
            1,
            Decimal(270),
        )
        tree = FundTree.of(cast.evaluation_a)
    assert tree.totals["budget_initial"] == Decimal(300)
    body = response.content.decode()
    # New rows shift the indices: both tables are re-rendered, with a fresh empty row.
    assert 'id="funds-figures-table" hx-swap-oob="true"' in body
    assert 'id="funds-structure-table" hx-swap-oob="true"' in body
    assert 'name="funds-figures-INITIAL_FORMS" value="5"' in body


def test_a_new_line_without_a_name_is_refused(cast: Cast) -> None:
    with in_scope(cast):
        small_tree(cast.evaluation_a)
    formset = figures_form(cast)
    new = formset.forms[-1]
    data = posted(formset, based_on="0", **{new.add_prefix("budget_initial"): "5"})
    response = cast.client_for("filler_a").post(save_url(cast, FIGURES), data, **HTMX)
    assert response.status_code == 422
    assert "请填写新增项目的名称" in response.content.decode()


def test_parent_lines_have_no_inputs_for_figures(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    formset = figures_form(cast)
    forms = {form.instance.pk: form for form in formset.forms}
    assert set(forms[lines["projects"].pk].fields) == {"id", "remark"}
    assert "budget_initial" in forms[lines["fair"].pk].fields


def test_two_clients_saving_the_figures_conflict(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    formset = figures_form(cast)
    fair = next(f for f in formset.forms if f.instance.pk == lines["fair"].pk)
    first, second = cast.client_for("filler_a"), cast.client_for("filler_a")
    mine = posted(formset, based_on="0", **{fair.add_prefix("budget_initial"): "35"})
    theirs = posted(formset, based_on="0", **{fair.add_prefix("budget_initial"): "40"})
    assert first.post(save_url(cast, FIGURES), mine, **HTMX).status_code == 200
    response = second.post(save_url(cast, FIGURES), theirs, **HTMX)
    assert response.status_code == 409
    body = response.content.decode().replace("\n", "").replace("  ", "")
    assert "他人已修改此栏目" in body
    assert "部门年初预算数</td><td>35.00</td><td>40</td>" in body
    with in_scope(cast):
        assert FundLine.objects.get(pk=lines["fair"].pk).budget_initial == Decimal(35)


# Structure


def structure_form(cast: Cast) -> Any:
    with in_scope(cast):
        section = section_for(cast.evaluation_a, STRUCTURE)
        assert section is not None
        formset = section.form(cast.evaluation_a)
        assert formset.forms  # built inside the scope
        return formset


def test_lines_are_renamed_moved_and_removed(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    formset = structure_form(cast)
    forms = {form.instance.pk: form for form in formset.forms}
    basic, fair = forms[lines["basic"].pk], forms[lines["fair"].pk]
    projects = forms[lines["projects"].pk]
    data = posted(
        formset,
        based_on="0",
        **{
            basic.add_prefix("name"): "1. 基本支出（人员经费）",
            fair.add_prefix("parent"): str(lines["root"].pk),
            projects.add_prefix("DELETE"): "on",
        },
    )
    response = cast.client_for("filler_a").post(save_url(cast, STRUCTURE), data, **HTMX)
    assert response.status_code == 200
    with in_scope(cast):
        tree = FundTree.of(cast.evaluation_a)
    assert [(n.line.name, n.depth) for n in tree.nodes] == [
        ("一、财政拨款资金", 0),
        ("1. 基本支出（人员经费）", 1),
        ("广交会业务工作经费", 1),
    ]


def test_a_line_cannot_be_moved_under_its_own_descendant(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    formset = structure_form(cast)
    root = next(f for f in formset.forms if f.instance.pk == lines["root"].pk)
    data = posted(formset, based_on="0", **{root.add_prefix("parent"): str(lines["projects"].pk)})
    response = cast.client_for("filler_a").post(save_url(cast, STRUCTURE), data, **HTMX)
    assert response.status_code == 422
    assert "不能把项目放在它自己或它的下级项目之下" in response.content.decode()


# The page


def test_the_table_page_shows_grouped_headers_and_stated_figures(
    cast: Cast, seed_lines: list[FundLine]
) -> None:
    body = cast.client_for("filler_a").get(table_url(cast)).content.decode()
    assert "<caption>单位：万元</caption>" in body
    assert '<th scope="colgroup" colspan="11">财政下达预算情况</th>' in body
    assert '<th scope="colgroup" colspan="4">市级年度预算支出</th>' in body
    # 1. 基本支出: computed 调整预算数 with the department's differing figure beside it.
    assert (
        'id="id_funds-figures-2-adjusted_budget" class="figure">1351.21'
        '<small class="stated">上报 1575.57</small>'
    ) in body


def add_projects(evaluation: Evaluation, count: int) -> None:
    """一、财政拨款资金 ›（一）市级财政预算安排 › 2. 项目支出 › count − 3 projects."""
    root = FundLine.objects.create(evaluation=evaluation, name="一、财政拨款资金")
    city = FundLine.objects.create(evaluation=evaluation, name="(一) 市级财政预算安排", parent=root)
    projects = FundLine.objects.create(evaluation=evaluation, name="2. 项目支出", parent=city)
    FundLine.objects.bulk_create(
        FundLine(
            evaluation=evaluation,
            parent=projects,
            order=n,
            name=f"项目{n}",
            budget_initial=Decimal(n),
            city_spent_own=Decimal(n),
            stated={"adjusted_budget": "1"},
        )
        for n in range(count - 3)
    )


def page_queries(cast: Cast, count: int) -> int:
    with in_scope(cast):
        FundLine.objects.filter(evaluation=cast.evaluation_a).delete()
        add_projects(cast.evaluation_a, count)
    client = cast.client_for("filler_a")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(table_url(cast))
    assert response.status_code == 200
    assert response.content.decode().count('class="figure"') > count
    return len(queries)


def test_the_page_runs_as_many_queries_for_300_lines_as_for_5(cast: Cast) -> None:
    assert page_queries(cast, 5) == page_queries(cast, 300)


def test_load_demo_enters_the_2019_funds_table_once(db: None) -> None:
    call_command("load_demo", publish=False)
    call_command("load_demo", publish=False)  # does not enter the lines twice
    with scopes_disabled():
        zhanjiang = FundLine.objects.filter(evaluation__department__slug="zhanjiang-commerce")
        assert set(zhanjiang.values_list("evaluation__campaign__fiscal_year", flat=True)) == {2019}
        assert zhanjiang.count() == 24
        basic = zhanjiang.get(name="1. 基本支出")
        assert basic.stated == {"adjusted_budget": "1575.57", "spent_subtotal": "1523.79"}
        assert (basic.budget_initial, basic.balance) == (Decimal("1351.21"), Decimal("88.47"))


def test_a_disputed_stated_figure_is_corrected_by_taking_the_computed_one(
    cast: Cast, seed_lines: list[FundLine]
) -> None:
    formset = figures_form(cast)
    root = formset.forms[0]  # 一、财政拨款资金: a parent, typed in the published table
    assert "accept_computed" in root.fields
    assert 'name="funds-figures-0-accept_computed"' in root.cells_html
    plain = formset.forms[4]  # a project whose figures agree with the computation
    assert "accept_computed" not in plain.fields
    disputed = {v.field for v in violations(cast) if v.field.startswith("0-")}
    assert disputed

    response = cast.client_for("filler_a").post(
        save_url(cast, FIGURES),
        {"based_on": "0", **posted(formset, **{"funds-figures-0-accept_computed": "on"})},
        **HTMX,
    )

    assert response.status_code == 200
    assert not {v.field for v in violations(cast) if v.field.startswith("0-")}
    with scopes_disabled():
        assert FundLine.objects.get(pk=seed_lines[0].pk).stated == {}
        # The other lines keep what they stated.
        assert FundLine.objects.get(pk=seed_lines[2].pk).stated
