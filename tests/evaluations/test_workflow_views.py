"""The workflow's screens: the panel, the transition buttons and their messages, the return page,
and the reviewer's comments shown at the fields they are about."""

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.models import Evaluation, FundLine, ReviewComment, Transition
from tests.conftest import Cast
from tests.evaluations.test_workflow import (  # noqa: F401 - demo is a fixture
    demo,
    fresh,
    put_in,
    submit,
    verify_scores,
    within,
)


def url(evaluation: Evaluation, view: str, **kwargs: Any) -> str:
    return reverse(
        f"department:{view}",
        kwargs={"department": evaluation.department.slug, "pk": evaluation.pk, **kwargs},
    )


def page(client: Client, evaluation: Evaluation, table: str | None = None) -> str:
    where = (
        url(evaluation, "evaluation_table", table=table) if table else url(evaluation, "evaluation")
    )
    response = client.get(where)
    assert response.status_code == 200
    return response.content.decode()


def demo_client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the panel ------------------------------------------------------------------------------------


def test_the_head_sees_why_submitting_is_not_possible_yet(cast: Cast) -> None:
    html = page(cast.client_for("head_a"), cast.evaluation_a)
    panel = html[html.index('id="workflow"') :]
    assert "提交前须处理" in panel
    assert re.search(r'<button type="button" disabled[^>]*>提交</button>', panel)
    staffing = url(cast.evaluation_a, "evaluation_table", table="basic")
    assert f'href="{staffing}#id_basic-staffing-staff_authorized"' in panel


def test_the_filler_has_no_buttons(cast: Cast) -> None:
    html = page(cast.client_for("filler_a"), cast.evaluation_a, "basic")
    panel = html[
        html.index('id="workflow"') : html.index("</section>", html.index('id="workflow"'))
    ]
    assert "填报中" in panel and "<button" not in panel and "提交前须处理" not in panel


def test_the_reviewer_of_a_submitted_evaluation_sees_return_and_approve(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    html = page(cast.client_for("reviewer"), evaluation)
    assert f'href="{url(evaluation, "evaluation_return")}"' in html
    assert "审核通过前须处理" in html  # no verified score yet
    assert "#scores-verified" in html


# --- transitions --------------------------------------------------------------------------------


def test_a_step_that_asks_first_shows_the_confirmation(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.APPROVED)
    response = cast.client_for("reviewer").post(
        url(evaluation, "evaluation_transition", name="publish")
    )
    assert response.status_code == 200
    assert "确定要「公开」吗？" in response.content.decode()
    assert fresh(evaluation).state == Evaluation.State.APPROVED


def test_a_blocked_step_lists_every_blocker_with_its_link(cast: Cast) -> None:
    response = cast.client_for("head_a").post(
        url(cast.evaluation_a, "evaluation_transition", name="submit"), {"confirmed": "yes"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "不能执行「提交」" in html
    assert "#id_basic-staffing-staff_actual" in html and "请填写实有在职人数" in html
    assert fresh(cast.evaluation_a).state == Evaluation.State.DRAFT


def test_a_step_done_says_so_and_returns_to_the_page(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.APPROVED)
    back = url(evaluation, "evaluation_table", table="basic")
    response = cast.client_for("reviewer").post(
        url(evaluation, "evaluation_transition", name="publish"),
        {"confirmed": "yes", "next": back},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == back
    assert "已执行「公开」：此自评现为「已公开」。" in messages_of(response)
    assert fresh(evaluation).state == Evaluation.State.PUBLISHED


def test_a_step_someone_else_took_first_says_who(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    verify_scores(evaluation)
    winner = cast.users["reviewer"]
    winner.last_name, winner.first_name = "黄", "海燕"
    winner.save()
    step_url = url(evaluation, "evaluation_transition", name="approve")
    assert cast.client_for("reviewer").post(step_url, {"confirmed": "yes"}).status_code == 302
    response = cast.client_for("reviewer").post(step_url, {"confirmed": "yes"}, follow=True)
    [message] = messages_of(response)
    assert message.startswith("黄海燕 已于 ") and "执行「审核通过」" in message
    with scopes_disabled():
        assert Transition.objects.filter(name="approve").count() == 1


def test_a_withdrawal_without_its_reason_is_refused(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.PUBLISHED)
    response = cast.client_for("bureau_admin").post(
        url(evaluation, "evaluation_transition", name="withdraw"), {"reason": "  "}
    )
    assert response.status_code == 422 and "请填写理由" in response.content.decode()


def test_an_unknown_step_is_not_found(cast: Cast) -> None:
    response = cast.client_for("head_a").post(
        url(cast.evaluation_a, "evaluation_transition", name="vanish")
    )
    assert response.status_code == 404


def test_a_role_without_the_step_is_forbidden(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    response = cast.client_for("filler_a").post(
        url(evaluation, "evaluation_transition", name="approve"), {"confirmed": "yes"}
    )
    assert response.status_code == 403


# --- the return page ---------------------------------------------------------------------------


def test_the_write_link_prefills_one_comment(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    html = page(cast.client_for("reviewer"), evaluation, "basic")
    link = url(evaluation, "evaluation_return") + "?section=basic.staffing&amp;field=staff_actual"
    assert f'href="{link}"' in html
    response = cast.client_for("reviewer").get(link.replace("&amp;", "&"))
    form = response.content.decode()
    assert re.search(r'<option value="basic.staffing" selected>', form)
    assert re.search(r'<option value="basic.staffing\|staff_actual" selected>', form)


def return_data(reason: str, **comment: str) -> dict[str, str]:
    data = {
        "reason": reason,
        "comments-TOTAL_FORMS": "1",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    return {**data, **{f"comments-0-{key}": value for key, value in comment.items()}}


def test_a_return_without_a_reason_keeps_what_was_typed(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    data = return_data(
        "", section="basic.staffing", field="basic.staffing|staff_actual", text="人数不符，请核对"
    )
    response = cast.client_for("reviewer").post(url(evaluation, "evaluation_return"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写退回理由" in html and "人数不符，请核对" in html
    assert re.search(r'<option value="basic.staffing\|staff_actual" selected>', html)
    assert fresh(evaluation).state == Evaluation.State.SUBMITTED


def test_a_comment_on_a_field_of_another_section_is_refused(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    data = return_data(
        "请修改", section="basic.unit", field="basic.staffing|staff_actual", text="?"
    )
    response = cast.client_for("reviewer").post(url(evaluation, "evaluation_return"), data)
    assert response.status_code == 422 and "不属于该栏目" in response.content.decode()


def test_one_more_comment_keeps_the_others(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    data = {**return_data("请修改", section="basic.staffing", text="第一条"), "more": "1"}
    response = cast.client_for("reviewer").post(url(evaluation, "evaluation_return"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "第一条" in html and 'name="comments-1-text"' in html


def test_the_filler_sees_the_comment_at_the_field(cast: Cast) -> None:
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    data = return_data(
        "请核对人员情况",
        section="basic.staffing",
        field="basic.staffing|staff_actual",
        text="实有人数与决算不符",
    )
    response = cast.client_for("reviewer").post(url(evaluation, "evaluation_return"), data)
    assert response.status_code == 302
    with scopes_disabled():
        assert list(ReviewComment.objects.values_list("section", "row", "field")) == [
            ("basic.staffing", None, "staff_actual")
        ]
    html = page(cast.client_for("filler_a"), evaluation, "basic")
    field = re.search(r'<input[^>]*id="id_basic-staffing-staff_actual"[^>]*>', html)
    assert field and 'aria-describedby="id_basic-staffing-staff_actual-review"' in field.group()
    note = html[field.end() : field.end() + 300]
    assert note.lstrip().startswith(
        '<span class="review-note" id="id_basic-staffing-staff_actual-review">'
    )
    assert "实有人数与决算不符" in note
    # The section's header lists it too, and the panel shows the reason.
    section = html[html.index('id="basic-staffing"') : field.start()]
    assert "实有人数与决算不符" in section
    assert "请核对人员情况" in html[html.index('id="workflow"') :]


def test_the_comment_at_a_figure_of_the_funds_table(demo: Evaluation) -> None:  # noqa: F811
    submit(demo)
    with within(demo):
        lines = list(FundLine.objects.filter(evaluation=demo))
    assert lines
    reviewer = demo_client("zhanjiang-reviewer")
    form = reviewer.get(
        url(demo, "evaluation_return") + "?section=funds.figures&row=2&field=budget_initial"
    )
    html = form.content.decode()
    assert re.search(r'<option value="funds.figures\|2" selected>', html)
    data = return_data(
        "请核对年初预算",
        section="funds.figures",
        row="funds.figures|2",
        field="funds.figures|budget_initial",
        text="年初预算与预算批复不一致",
    )
    assert reviewer.post(url(demo, "evaluation_return"), data).status_code == 302
    html = page(demo_client("zhanjiang-filler"), demo, "funds")
    field = re.search(r'<input[^>]*id="id_funds-figures-2-budget_initial"[^>]*>', html)
    assert field, "row 2 has a typed 年初预算"
    assert 'aria-describedby="id_funds-figures-2-budget_initial-review"' in field.group()
    assert "年初预算与预算批复不一致" in html[field.end() : field.end() + 300]
    # Submitted again: the reviewer still sees it, as the last return's comment.
    submit(demo)
    html = page(reviewer, demo, "funds")
    assert "上次退回意见" in html and "年初预算与预算批复不一致" in html
    # … and may write new comments on any line.
    assert url(demo, "evaluation_return") + "?section=funds.figures&amp;row=2" in html


def test_only_a_reviewer_of_a_submitted_evaluation_gets_write_links(cast: Cast) -> None:
    assert "写意见" not in page(cast.client_for("reviewer"), cast.evaluation_a, "basic")
    evaluation = put_in(cast.evaluation_a, Evaluation.State.SUBMITTED)
    assert "写意见" not in page(cast.client_for("head_a"), evaluation, "basic")
    assert "写意见" in page(cast.client_for("reviewer"), evaluation, "basic")


def test_the_comment_at_a_self_score(demo: Evaluation) -> None:  # noqa: F811
    submit(demo)
    data = return_data(
        "请核对自评得分",
        section="scores.claimed",
        field="scores.claimed|score__1_1_1",
        text="自评得分偏高",
    )
    response = demo_client("zhanjiang-reviewer").post(url(demo, "evaluation_return"), data)
    assert response.status_code == 302
    html = page(demo_client("zhanjiang-filler"), demo, "scores")
    field = re.search(r'<input[^>]*id="id_scores-claimed-score__1_1_1"[^>]*>', html)
    assert field and 'aria-describedby="id_scores-claimed-score__1_1_1-review"' in field.group()
    assert "自评得分偏高" in html[field.end() : field.end() + 300]
