"""修改对比: two versions of an evaluation compared field by field, and the page that shows it."""

import copy
from typing import Any

import pytest
from django.urls import reverse
from django.utils.timezone import now
from django_scopes import scope

from evaluations.models import (
    Evaluation,
    FundLine,
    ReviewComment,
    SectionState,
    Submission,
    Transition,
)
from evaluations.selectors.changes import (
    ADDED,
    CHANGED,
    REMOVED,
    FieldChange,
    SectionChanges,
    changes_since_submission,
    snapshot_changes,
    submission_changes,
)
from evaluations.selectors.evaluations import evaluation_with_parts
from evaluations.selectors.snapshots import canonical_sha256, evaluation_snapshot
from tests.conftest import Cast
from tests.evaluations.helpers_tables import save
from tests.factories import project_of

MEMBERS = ("filler_a", "head_a", "reviewer", "bureau_admin")


def in_scope(cast: Cast) -> Any:
    return scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk)


def snapshot(cast: Cast) -> dict[str, Any]:
    with in_scope(cast):
        evaluation = evaluation_with_parts(pk=cast.evaluation_a.pk)
        assert evaluation is not None
        return evaluation_snapshot(evaluation)


def submit(cast: Cast, content: dict[str, Any]) -> Submission:
    """A submission of evaluation A holding `content`, as the submit step freezes it."""
    with in_scope(cast):
        number = Submission.objects.filter(evaluation=cast.evaluation_a).count() + 1
        transition = Transition.objects.create(
            evaluation=cast.evaluation_a,
            name="submit",
            from_state="draft",
            to_state="submitted",
            actor=cast.users["head_a"],
        )
        Evaluation.objects.filter(pk=cast.evaluation_a.pk).update(
            state="submitted", submitted_at=now(), first_submitted_at=now()
        )
        return Submission.objects.create(
            evaluation=cast.evaluation_a,
            number=number,
            transition=transition,
            content=content,
            sha256=canonical_sha256(content),
        )


def give_back(cast: Cast, **comment: Any) -> None:
    """The reviewer returns evaluation A (with a comment, if given): its filler may edit again."""
    with in_scope(cast):
        transition = Transition.objects.create(
            evaluation=cast.evaluation_a,
            name="return",
            from_state="submitted",
            to_state="returned",
            actor=cast.users["reviewer"],
            reason="请核实",
        )
        if comment:
            ReviewComment.objects.create(
                evaluation=cast.evaluation_a, transition=transition, **comment
            )
        Evaluation.objects.filter(pk=cast.evaluation_a.pk).update(state="returned")


def write(cast: Cast, key: str, data: dict[str, str]) -> None:
    """Save a section of evaluation A as its filler, based on its current version."""
    with in_scope(cast):
        state = SectionState.objects.filter(evaluation=cast.evaluation_a, key=key).first()
    response = save(cast, key, {"based_on": str(state.version if state else 0), **data})
    assert response.status_code == 200


def staffing(cast: Cast, authorized: str, actual: str) -> None:
    write(
        cast,
        "basic.staffing",
        {"basic-staffing-staff_authorized": authorized, "basic-staffing-staff_actual": actual},
    )


def changes_of(cast: Cast, before: dict[str, Any], after: dict[str, Any]) -> list[SectionChanges]:
    with in_scope(cast):
        return snapshot_changes(evaluation=cast.evaluation_a, before=before, after=after)


def only(sections: list[SectionChanges], key: str) -> list[FieldChange]:
    return next(section.changes for section in sections if section.key == key)


def page(cast: Cast, role: str, query: str = "") -> Any:
    url = reverse(
        "department:evaluation_changes",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
    )
    return cast.client_for(role).get(url + query)


# --- the comparison ------------------------------------------------------------------------------


def test_it_names_a_changed_figure_by_its_label_with_both_values(cast: Cast) -> None:
    staffing(cast, "61", "55")
    before = snapshot(cast)
    staffing(cast, "61", "57")

    sections = changes_of(cast, before, snapshot(cast))

    assert [section.key for section in sections] == ["basic.staffing"]
    assert only(sections, "basic.staffing") == [
        FieldChange(None, "实有在职人数", "55", "57", CHANGED, "staff_actual")
    ]
    assert sections[0].title == "人员情况"
    assert (sections[0].url or "").endswith("/tables/basic/#basic-staffing")


def test_it_takes_numbers_written_differently_and_empty_values_as_unchanged(cast: Cast) -> None:
    write(
        cast,
        "basic.project_targets",
        {"basic-project-targets-due_amount": "3954", "basic-project-targets-due_count": "14"},
    )
    after = snapshot(cast)
    data = after["sections"]["basic.project_targets"]["data"]
    assert data["due_amount"] == "3954.00"
    before = copy.deepcopy(after)
    old = before["sections"]["basic.project_targets"]["data"]
    old["due_amount"] = "3954"  # as another version may have written it
    old["due_count"] = "14.0"
    old["declared_amount"] = "" if data["declared_amount"] is None else None

    assert changes_of(cast, before, after) == []

    old["due_amount"] = "3945"
    assert [c.field for c in only(changes_of(cast, before, after), "basic.project_targets")] == [
        "due_amount"
    ]


def test_it_shows_an_added_fund_line_as_added_named_in_both_fund_sections(cast: Cast) -> None:
    root = FundLine.objects.create(evaluation=cast.evaluation_a, name="一、财政拨款资金", order=0)
    FundLine.objects.create(
        evaluation=cast.evaluation_a, name="1. 基本支出", parent=root, order=0, budget_initial=100
    )
    before = snapshot(cast)
    FundLine.objects.create(
        evaluation=cast.evaluation_a, name="2. 广交会经费", parent=root, order=1, budget_initial=30
    )

    sections = changes_of(cast, before, snapshot(cast))

    structure = only(sections, "funds.structure")
    assert {(c.row, c.label, c.new, c.kind) for c in structure} >= {
        ("2. 广交会经费", "项目", "2. 广交会经费", ADDED),
        ("2. 广交会经费", "上级项目", "一、财政拨款资金", ADDED),
    }
    figures = only(sections, "funds.figures")
    # The figures rows carry no name: the structure's, found by the line's id.
    assert ("2. 广交会经费", "部门年初预算数", "", "30.00", ADDED) in {
        (c.row, c.label, c.old, c.new, c.kind) for c in figures
    }
    assert all(c.row == "2. 广交会经费" for c in structure + figures)


def test_it_matches_rows_by_id_so_a_removed_line_is_removed_not_shifted(cast: Cast) -> None:
    root = FundLine.objects.create(evaluation=cast.evaluation_a, name="一、财政拨款资金", order=0)
    first = FundLine.objects.create(evaluation=cast.evaluation_a, name="甲", parent=root, order=0)
    FundLine.objects.create(evaluation=cast.evaluation_a, name="乙", parent=root, order=1)
    before = snapshot(cast)
    first.delete()

    structure = only(changes_of(cast, before, snapshot(cast)), "funds.structure")

    assert {c.row for c in structure} == {"甲"}
    assert {c.kind for c in structure} == {REMOVED}


def test_it_compares_rows_without_ids_by_position(cast: Cast) -> None:
    before = snapshot(cast)
    after = copy.deepcopy(before)
    rows = after["sections"]["assets.lines"]["data"]["rows"]
    rows.insert(0, {**rows[0], "name": "房屋", "quantity": 2, "amount": "100.00"})

    lines = only(changes_of(cast, before, after), "assets.lines")

    assert {(c.row, c.label, c.new, c.kind) for c in lines} == {
        ("房屋", "项目名称", "房屋", ADDED),
        ("房屋", "数量", "2", ADDED),
        ("房屋", "金额", "100.00", ADDED),
    }


def test_it_compares_the_live_data_with_the_latest_submission(cast: Cast) -> None:
    staffing(cast, "61", "55")
    submit(cast, snapshot(cast))
    give_back(cast)
    staffing(cast, "60", "55")

    with in_scope(cast):
        since = changes_since_submission(evaluation=cast.evaluation_a)
        first = submission_changes(evaluation=cast.evaluation_a, number=1)

    assert since is not None and (since.before, since.after, since.count) == (1, None, 1)
    assert only(since.sections, "basic.staffing")[0].new == "60"
    assert first is None  # nothing before the first submission


def test_it_compares_a_submission_with_the_one_before(cast: Cast) -> None:
    staffing(cast, "61", "55")
    submit(cast, snapshot(cast))
    give_back(cast)
    staffing(cast, "61", "57")
    submit(cast, snapshot(cast))
    give_back(cast)
    staffing(cast, "70", "70")  # the live data does not enter a comparison of submissions

    with in_scope(cast):
        second = submission_changes(evaluation=cast.evaluation_a, number=2)

    assert second is not None and (second.before, second.after) == (1, 2)
    assert only(second.sections, "basic.staffing") == [
        FieldChange(None, "实有在职人数", "55", "57", CHANGED, "staff_actual")
    ]


def test_it_puts_a_comment_on_a_row_beside_that_row_s_change(cast: Cast) -> None:
    root = FundLine.objects.create(evaluation=cast.evaluation_a, name="一、财政拨款资金", order=0)
    lines = [
        FundLine.objects.create(
            evaluation=cast.evaluation_a, name=name, parent=root, order=n, budget_initial=10
        )
        for n, name in enumerate(["甲", "乙"])
    ]
    submit(cast, snapshot(cast))
    with in_scope(cast):
        rows = Submission.objects.get(evaluation=cast.evaluation_a).content["sections"]
    index = [row.get("id") for row in rows["funds.figures"]["data"]["rows"]].index(lines[1].pk)
    give_back(cast, section="funds.figures", row=index, field="budget_initial", text="乙的预算有误")
    with in_scope(cast):
        FundLine.objects.filter(pk__in=[line.pk for line in lines]).update(budget_initial=12)

    with in_scope(cast):
        since = changes_since_submission(evaluation=cast.evaluation_a)

    assert since is not None
    figures = only(since.sections, "funds.figures")
    assert {(c.row, c.comments) for c in figures if c.field == "budget_initial"} == {
        ("甲", ()),
        ("乙", ("乙的预算有误",)),
    }


def test_it_shows_a_project_added_as_new_sections(cast: Cast) -> None:
    before = snapshot(cast)
    project_of(cast.evaluation_a, name="会展经费")

    sections = changes_of(cast, before, snapshot(cast))

    added = [section for section in sections if section.key.startswith("project.")]
    assert added and {section.kind for section in added} == {ADDED}
    assert all("会展经费" in section.title for section in added)
    assert ("项目支出名称", "会展经费") in {(c.label, c.new) for s in added for c in s.changes}


def test_it_names_the_fields_of_a_deleted_project_by_a_remaining_one_s_form(cast: Cast) -> None:
    gone = project_of(cast.evaluation_a, name="会展经费")
    project_of(cast.evaluation_a, name="招商经费")
    before = snapshot(cast)
    with in_scope(cast):
        gone.delete()

    sections = changes_of(cast, before, snapshot(cast))

    removed = [section for section in sections if section.kind == REMOVED]
    assert removed and all("会展经费" in section.title for section in removed)
    assert all(section.url is None for section in removed)
    assert ("项目支出名称", "会展经费", "") in {
        (c.label, c.old, c.new) for s in removed for c in s.changes
    }


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBERS)
def test_it_shows_the_reviewer_the_latest_submission_against_the_previous(
    cast: Cast, role: str
) -> None:
    staffing(cast, "61", "55")
    submit(cast, snapshot(cast))
    give_back(cast)
    staffing(cast, "61", "57")
    submit(cast, snapshot(cast))

    response = page(cast, role)

    assert response.status_code == 200
    html = response.content.decode()
    assert "第 2 次提交与第 1 次提交相比" in html
    assert "共 1 处修改" in html
    assert "实有在职人数" in html
    assert "<del>55</del>" in html and "<ins>57</ins>" in html
    assert 'href="/d/jia-commerce/evaluations/' in html and "#basic-staffing" in html
    assert "整体绩效自评基础数据表 ›" in html  # the section's table above its title
    assert 'aria-current="page">修改对比</a>' in html  # the evaluation's tab


def test_it_shows_the_filler_the_changes_since_the_return_with_the_comment(cast: Cast) -> None:
    staffing(cast, "61", "55")
    submit(cast, snapshot(cast))
    give_back(cast, section="basic.staffing", field="staff_actual", text="实有人数与名册不符")
    staffing(cast, "61", "54")

    html = page(cast, "filler_a").content.decode()

    assert "当前填报内容与第 1 次提交相比" in html
    assert "<del>55</del>" in html and "<ins>54</ins>" in html
    # Beside the change: in the same row of the table.
    row = html[html.index("<ins>54</ins>") :]
    assert "实有人数与名册不符" in row[: row.index("</tr>")]


def test_it_lists_comments_on_sections_left_unchanged(cast: Cast) -> None:
    staffing(cast, "61", "55")
    submit(cast, snapshot(cast))
    give_back(cast, section="basic.staffing", field="staff_actual", text="实有人数与名册不符")

    html = page(cast, "filler_a").content.decode()

    assert "与上次提交相比没有修改" in html
    assert "退回意见所在栏目没有修改" in html and "实有人数与名册不符" in html


def test_it_compares_the_versions_chosen(cast: Cast) -> None:
    staffing(cast, "61", "55")
    submit(cast, snapshot(cast))
    give_back(cast)
    staffing(cast, "61", "57")
    submit(cast, snapshot(cast))
    give_back(cast)
    staffing(cast, "61", "59")

    html = page(cast, "reviewer", "?from=1&to=current").content.decode()

    assert "当前填报内容与第 1 次提交相比" in html
    assert "<del>55</del>" in html and "<ins>59</ins>" in html
    assert '<option value="1" selected>' in html
    assert '<option value="current" selected>' in html


@pytest.mark.parametrize("query", ["?from=9&to=1", "?from=abc", "?from=1&to=²", "?from=&to="])
def test_it_falls_back_to_the_default_on_versions_that_do_not_exist(cast: Cast, query: str) -> None:
    staffing(cast, "61", "55")
    submit(cast, snapshot(cast))
    give_back(cast)
    staffing(cast, "61", "57")
    submit(cast, snapshot(cast))

    response = page(cast, "reviewer", query)

    assert response.status_code == 200
    html = response.content.decode()
    assert "所选的版本不存在" in html
    assert "第 2 次提交与第 1 次提交相比" in html


def test_it_says_when_there_is_nothing_to_compare(cast: Cast) -> None:
    assert "此自评尚未提交过" in page(cast, "reviewer").content.decode()
    submit(cast, snapshot(cast))
    assert "只有一次提交" in page(cast, "reviewer").content.decode()


def test_it_checks_ownership(cast: Cast) -> None:
    assert page(cast, "filler_b").status_code == 404
    assert page(cast, "outsider").status_code == 404
    # Department A's address with department B's evaluation: not found either.
    url = reverse(
        "department:evaluation_changes",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_b.pk},
    )
    assert cast.client_for("filler_a").get(url).status_code == 404
