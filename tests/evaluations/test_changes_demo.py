"""修改对比 through the real workflow on the demo's 湛江市商务局 2019: submitted, returned with a
comment on one figure, corrected by the filler through the write path, submitted again."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from departments.roles import Role
from evaluations.api.views import posted_data
from evaluations.models import Evaluation
from evaluations.selectors.changes import changes_since_submission, submission_changes
from evaluations.selectors.evaluations import evaluation_with_parts
from evaluations.selectors.snapshots import form_data
from evaluations.services.sections import Outcome, section_submit, section_version
from evaluations.services.workflow import CommentInput, evaluation_transition
from evaluations.tables.registry import section_for
from tests.completion import complete

COMMENT = "三公经费实际支出与决算不符，请核实。"


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def in_scope(evaluation: Evaluation) -> Any:
    department = evaluation.department
    return scope(jurisdiction=department.jurisdiction_id, department=department.pk)


def loaded(pk: int) -> Evaluation:
    evaluation = evaluation_with_parts(pk=pk)
    assert evaluation is not None
    return evaluation


def step(evaluation: Evaluation, name: str, by: str, role: Role, **kw: Any) -> None:
    with in_scope(evaluation):
        evaluation_transition(
            evaluation=loaded(evaluation.pk), name=name, by=user(by), roles=frozenset({role}), **kw
        )


def correct_spending(evaluation: Evaluation, actual: str) -> None:
    """The filler types a new 三公经费实际支出数 and explains the warning it raises."""
    filler = user("zhanjiang-filler")
    with in_scope(evaluation):
        current = loaded(evaluation.pk)
        section = section_for(current, "basic.spending")
        assert section is not None
        form = section.form(current)
        data = {**form_data(form), "three_public_actual": actual}
        done = section_submit(
            evaluation=current,
            section=section,
            data=posted_data(section, form, data),
            based_on=section_version(evaluation=current, key=section.key).version,
            by=filler,
            roles=frozenset({Role.FILLER}),
        )
        assert done.outcome is Outcome.SAVED
        complete(evaluation.pk, filler)


def page(evaluation: Evaluation, username: str) -> str:
    client = Client()
    client.force_login(user(username))
    url = reverse(
        "department:evaluation_changes",
        kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def returned(db: None) -> Evaluation:
    """Submitted once, returned with a comment on 三公经费实际支出数, corrected to 108.50."""
    call_command("load_demo", publish=False, verbosity=0)
    with scopes_disabled():
        evaluation = Evaluation.objects.select_related("department").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )
    with in_scope(evaluation):
        complete(evaluation.pk, user("zhanjiang-filler"))
    step(evaluation, "submit", "zhanjiang-department-head", Role.DEPARTMENT_HEAD)
    comment = CommentInput(section="basic.spending", field="three_public_actual", text=COMMENT)
    step(
        evaluation,
        "return",
        "zhanjiang-reviewer",
        Role.REVIEWER,
        reason="请核实",
        comments=[comment],
    )
    correct_spending(evaluation, "108.50")
    return evaluation


def test_the_filler_sees_the_correction_with_the_comment(returned: Evaluation) -> None:
    with in_scope(returned):
        since = changes_since_submission(evaluation=loaded(returned.pk))

    assert since is not None
    # The frozen snapshot read back from the database differs from the live data only there.
    assert [(s.key, [(c.label, c.old, c.new) for c in s.changes]) for s in since.sections] == [
        ("basic.spending", [("三公经费实际支出数", "109.28", "108.50")])
    ]
    assert since.sections[0].changes[0].comments == (COMMENT,)
    html = page(returned, "zhanjiang-filler")
    assert "<del>109.28</del>" in html and "<ins>108.50</ins>" in html and COMMENT in html


def test_the_reviewer_sees_the_resubmission_against_the_first(returned: Evaluation) -> None:
    step(returned, "submit", "zhanjiang-department-head", Role.DEPARTMENT_HEAD)

    with in_scope(returned):
        second = submission_changes(evaluation=loaded(returned.pk), number=2)

    assert second is not None and second.count == 1
    html = page(returned, "zhanjiang-reviewer")
    assert "第 2 次提交与第 1 次提交相比" in html and "共 1 处修改" in html
    assert "<del>109.28</del>" in html and "<ins>108.50</ins>" in html and COMMENT in html
