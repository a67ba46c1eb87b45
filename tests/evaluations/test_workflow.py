"""The workflow's transitions through the service: submit, return, approve, publish, reopen,
withdraw — what each refuses, what it records, and two reviewers approving at once."""

import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from departments.roles import Role
from evaluations.models import (
    Campaign,
    Evaluation,
    IndicatorScore,
    RevenueAndProcurement,
    ReviewComment,
    Submission,
    Transition,
    WarningExplanation,
    WorkCompletion,
)
from evaluations.scoring.department import evaluation_scoring
from evaluations.selectors.snapshots import canonical_sha256, evaluation_snapshot
from evaluations.services import workflow as services
from evaluations.services.workflow import (
    CommentInput,
    StateMoved,
    StepBlocked,
    evaluation_transition,
)
from evaluations.workflow import fillable
from tests.completion import complete
from tests.conftest import Cast

HEAD = frozenset({Role.DEPARTMENT_HEAD})
REVIEWER = frozenset({Role.REVIEWER})
ADMIN = frozenset({Role.BUREAU_ADMIN})
FILLER = frozenset({Role.FILLER})


@contextmanager
def within(evaluation: Evaluation) -> Iterator[None]:
    department = evaluation.department
    with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
        yield


def fresh(evaluation: Evaluation) -> Evaluation:
    with scopes_disabled():
        return Evaluation.objects.select_related("campaign", "department").get(pk=evaluation.pk)


def put_in(evaluation: Evaluation, state: str) -> Evaluation:
    """Arrange: the evaluation in a state, as earlier steps would have left it."""
    with scopes_disabled():
        Evaluation.objects.filter(pk=evaluation.pk).update(state=state)
    return fresh(evaluation)


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


@pytest.fixture
def demo(db: None) -> Evaluation:
    """湛江市商务局 2019 of the demo data, completed by its filler: ready to be submitted."""
    call_command("load_demo", publish=False, verbosity=0)
    with scopes_disabled():
        evaluation = Evaluation.objects.get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )
    with within(evaluation):
        complete(evaluation.pk, user("zhanjiang-filler"))
    return fresh(evaluation)


def step(evaluation: Evaluation, name: str, by: str, roles: frozenset[Role], **kw: Any) -> Any:
    with within(evaluation):
        return evaluation_transition(
            evaluation=fresh(evaluation), name=name, by=user(by), roles=roles, **kw
        )


def submit(evaluation: Evaluation) -> Transition:
    return step(evaluation, "submit", "zhanjiang-department-head", HEAD)


def give_back(evaluation: Evaluation, **kw: Any) -> Transition:
    return step(evaluation, "return", "zhanjiang-reviewer", REVIEWER, **{"reason": "请核对", **kw})


def verify_scores(evaluation: Evaluation, score: Decimal = Decimal("0.5")) -> None:
    with within(evaluation):
        IndicatorScore.objects.update_or_create(
            evaluation=evaluation, indicator_code="1.1.1", defaults={"verified": score}
        )


# --- submit ------------------------------------------------------------------------------------


def test_it_refuses_a_submission_while_errors_remain(cast: Cast) -> None:
    with within(cast.evaluation_a), pytest.raises(StepBlocked) as blocked:
        evaluation_transition(
            evaluation=cast.evaluation_a, name="submit", by=cast.users["head_a"], roles=HEAD
        )
    kinds = {blocker["kind"] for blocker in blocked.value.blockers}
    assert "error" in kinds
    assert {"section": "basic.staffing", "field": "staff_authorized"}.items() <= next(
        b for b in blocked.value.blockers if b.get("field") == "staff_authorized"
    ).items()
    assert fresh(cast.evaluation_a).state == Evaluation.State.DRAFT
    with scopes_disabled():
        assert not Transition.objects.exists()


def test_it_refuses_a_submission_with_a_warning_unexplained(demo: Evaluation) -> None:
    with within(demo):
        explanation = WarningExplanation.objects.filter(evaluation=demo).first()
        assert explanation is not None
        code = explanation.code
        explanation.delete()
    with pytest.raises(StepBlocked) as blocked:
        submit(demo)
    assert [(b["kind"], b["code"]) for b in blocked.value.blockers] == [("unexplained", code)]
    assert fresh(demo).state == Evaluation.State.DRAFT


def test_a_submission_freezes_what_was_submitted_with_its_sha256(demo: Evaluation) -> None:
    transition = submit(demo)
    evaluation = fresh(demo)
    assert evaluation.state == Evaluation.State.SUBMITTED
    assert evaluation.submitted_at is not None
    assert evaluation.submitted_at == evaluation.first_submitted_at
    with within(demo):
        submission = Submission.objects.get(evaluation=demo)
        snapshot = evaluation_snapshot(evaluation)
    assert submission.number == 1 and submission.transition == transition
    assert submission.sha256 == canonical_sha256(submission.content)
    assert submission.content == snapshot
    assert len(submission.sha256) == 64


def test_a_submission_locks_the_filler_out(demo: Evaluation) -> None:
    submit(demo)
    assert not fillable(fresh(demo), FILLER)


# --- return --------------------------------------------------------------------------------------


def test_a_return_needs_a_reason(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    with within(evaluation), pytest.raises(StepBlocked) as blocked:
        evaluation_transition(
            evaluation=evaluation, name="return", by=cast.users["reviewer"], roles=REVIEWER
        )
    assert [b["kind"] for b in blocked.value.blockers] == ["reason"]
    assert fresh(evaluation).state == Evaluation.State.SUBMITTED


def test_a_return_stores_its_comments_on_sections_rows_and_fields(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    comments = [
        CommentInput(section="basic.staffing", field="staff_actual", text="实有人数与决算不符"),
        CommentInput(section="funds.figures", row=0, field="budget", text="请核对年初预算"),
    ]
    with within(evaluation):
        transition = evaluation_transition(
            evaluation=evaluation,
            name="return",
            by=cast.users["reviewer"],
            roles=REVIEWER,
            reason="数据有误",
            comments=comments,
        )
        stored = list(
            ReviewComment.objects.filter(transition=transition)
            .order_by("pk")
            .values_list("section", "row", "field", "text")
        )
    assert stored == [
        ("basic.staffing", None, "staff_actual", "实有人数与决算不符"),
        ("funds.figures", 0, "budget", "请核对年初预算"),
    ]
    assert fresh(evaluation).state == Evaluation.State.RETURNED
    assert transition.reason == "数据有误"


def test_a_comment_on_no_section_of_the_evaluation_is_refused(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    with within(evaluation), pytest.raises(StepBlocked) as blocked:
        evaluation_transition(
            evaluation=evaluation,
            name="return",
            by=cast.users["reviewer"],
            roles=REVIEWER,
            reason="数据有误",
            comments=[CommentInput(section="nowhere", text="?")],
        )
    assert [b["kind"] for b in blocked.value.blockers] == ["comments"]
    with scopes_disabled():
        assert not ReviewComment.objects.exists()


def test_a_resubmission_is_submission_number_2(demo: Evaluation) -> None:
    first = submit(demo)
    give_back(demo)
    assert fillable(fresh(demo), FILLER)
    submit(demo)
    with within(demo):
        numbers = list(
            Submission.objects.filter(evaluation=demo).order_by("number").values_list("number")
        )
    assert numbers == [(1,), (2,)]
    evaluation = fresh(demo)
    assert evaluation.first_submitted_at is not None and evaluation.submitted_at is not None
    assert evaluation.first_submitted_at < evaluation.submitted_at
    assert first.name == "submit"


# --- approve, publish, withdraw, reopen --------------------------------------------------------


def test_approval_needs_verified_scores(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    with within(evaluation), pytest.raises(StepBlocked) as blocked:
        evaluation_transition(
            evaluation=evaluation, name="approve", by=cast.users["reviewer"], roles=REVIEWER
        )
    assert [(b["kind"], b["section"]) for b in blocked.value.blockers] == [
        ("verified", "scores.verified")
    ]
    verify_scores(evaluation)
    with within(evaluation):
        evaluation_transition(
            evaluation=fresh(evaluation), name="approve", by=cast.users["reviewer"], roles=REVIEWER
        )
    approved = fresh(evaluation)
    assert approved.state == Evaluation.State.APPROVED and approved.approved_at is not None


def test_publishing_records_the_state_and_the_time(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.APPROVED)
    with within(evaluation):
        evaluation_transition(
            evaluation=evaluation, name="publish", by=cast.users["reviewer"], roles=REVIEWER
        )
    published = fresh(evaluation)
    assert published.state == Evaluation.State.PUBLISHED and published.published_at is not None


def test_a_withdrawal_keeps_its_public_reason(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.PUBLISHED)
    with within(evaluation), pytest.raises(StepBlocked):
        evaluation_transition(
            evaluation=evaluation, name="withdraw", by=cast.users["bureau_admin"], roles=ADMIN
        )
    with within(evaluation):
        evaluation_transition(
            evaluation=evaluation,
            name="withdraw",
            by=cast.users["bureau_admin"],
            roles=ADMIN,
            reason="数据需更正后重新公开",
        )
    withdrawn = fresh(evaluation)
    assert withdrawn.state == Evaluation.State.APPROVED
    assert withdrawn.withdrawal_reason == "数据需更正后重新公开"
    assert withdrawn.published_at is None


def test_a_reopening_after_the_campaign_closed_unlocks_the_evaluation(cast: Cast) -> None:
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(status=Campaign.Status.CLOSED)
    evaluation = fresh(cast.evaluation_a)
    assert not fillable(evaluation, FILLER)
    with within(evaluation):
        evaluation_transition(
            evaluation=evaluation,
            name="reopen",
            by=cast.users["bureau_admin"],
            roles=ADMIN,
            reason="系统故障未能按时填报",
        )
    reopened = fresh(evaluation)
    assert reopened.state == Evaluation.State.RETURNED and reopened.unlocked
    assert fillable(reopened, FILLER)


def test_a_role_without_the_step_is_refused(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    with within(evaluation), pytest.raises(services.StepRefused):
        evaluation_transition(
            evaluation=evaluation, name="approve", by=cast.users["head_a"], roles=HEAD
        )


# --- deadlines and the rubric ------------------------------------------------------------------


def due(evaluation: Evaluation, days_from_today: int) -> None:
    with scopes_disabled():
        Campaign.objects.filter(pk=evaluation.campaign_id).update(
            due_on=timezone.localdate() + datetime.timedelta(days=days_from_today)
        )


def item(evaluation: Evaluation, code: str) -> Any:
    with within(evaluation):
        scoring = evaluation_scoring(fresh(evaluation))
    assert scoring is not None
    _, result = scoring
    return next(i for i in result.items if i.code == code)


def test_a_late_submission_is_accepted_and_marked(demo: Evaluation) -> None:
    due(demo, -1)
    transition = submit(demo)
    assert transition.late
    evaluation = fresh(demo)
    assert evaluation.state == Evaluation.State.SUBMITTED and evaluation.submitted_late


def test_timeliness_is_scored_from_the_first_submission(demo: Evaluation) -> None:
    assert item(demo, "3.2.2").score is None  # not submitted: 缺少数据
    due(demo, 1)
    submit(demo)
    assert item(demo, "3.2.2").score == Decimal(1)
    give_back(demo)
    # Arrange the calendar: that first submission was three days ago, and the deadline passed
    # yesterday, while the evaluation was back with the department.
    with scopes_disabled():
        Evaluation.objects.filter(pk=demo.pk).update(
            first_submitted_at=timezone.now() - datetime.timedelta(days=3)
        )
    due(demo, -1)
    assert submit(demo).late
    assert fresh(demo).submitted_late
    assert item(demo, "3.2.2").score == Decimal(1)


def test_a_late_first_submission_scores_no_timeliness(demo: Evaluation) -> None:
    due(demo, -1)
    submit(demo)
    assert item(demo, "3.2.2").score == Decimal(0)


def test_the_deviation_rule_reads_the_verified_scores(demo: Evaluation) -> None:
    # The two inputs the demo's figures lack (上年末存量资金, 重点工作), as a filler would give them,
    # so that every other indicator is scored and only the verified scores are missing.
    with within(demo):
        RevenueAndProcurement.objects.filter(evaluation=demo).update(stock_funds_prev=Decimal(10))
        WorkCompletion.objects.filter(evaluation=demo).update(key_tasks_total=8, key_tasks_done=8)
        complete(demo.pk, user("zhanjiang-filler"))
    submit(demo)
    before = item(demo, "3.2.3")
    assert before.score == Decimal(1)  # the self-scores stand: no gap, no deduction
    with within(demo):
        scoring = evaluation_scoring(fresh(demo))
        assert scoring is not None
        # The reviewer gives 0 where the department gave itself points by judgement.
        for each in scoring[1].items:
            if each.code != "3.2.3" and each.claimed:
                IndicatorScore.objects.filter(evaluation=demo, indicator_code=each.code).update(
                    verified=Decimal(0)
                )
    after = item(demo, "3.2.3")
    assert after.score is not None and after.score < before.score
    assert "核查总分" in after.explanation and after.explanation != before.explanation


# --- two reviewers at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_approve_once(cast: Cast, monkeypatch: Any) -> None:
    """Both pass the checks, then both wait at the barrier before the conditional UPDATE: one
    moves the state, the other finds it moved and is told who approved."""
    second = get_user_model().objects.create_user(
        username="reviewer-2", password="x", last_name="黄", first_name="海燕"
    )
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    verify_scores(evaluation)
    barrier = threading.Barrier(2)
    changes_of = services._changes

    def after_checks(*args: Any) -> dict[str, Any]:
        barrier.wait(timeout=10)
        return changes_of(*args)

    monkeypatch.setattr(services, "_changes", after_checks)
    outcomes: dict[str, Any] = {}

    def approve(who: Any) -> None:
        try:
            with within(evaluation):
                outcomes[who.username] = evaluation_transition(
                    evaluation=fresh(evaluation), name="approve", by=who, roles=REVIEWER
                )
        except BaseException as error:  # reported by the main thread
            outcomes[who.username] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(who,)) for who in (cast.users["reviewer"], second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    done = [o for o in outcomes.values() if isinstance(o, Transition)]
    moved = [o for o in outcomes.values() if isinstance(o, StateMoved)]
    assert len(done) == 1 and len(moved) == 1, outcomes
    with scopes_disabled():
        assert Transition.objects.filter(evaluation=evaluation, name="approve").count() == 1
    winner = done[0].actor
    name = f"{winner.last_name}{winner.first_name}" or winner.username
    assert moved[0].message.startswith(f"{name} 已于 ")
    assert "执行「审核通过」" in moved[0].message
    assert fresh(evaluation).state == Evaluation.State.APPROVED
