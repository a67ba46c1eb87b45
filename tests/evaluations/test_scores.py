"""评分表: self-scores and verified scores beside the engine's, with flags where they differ."""

from decimal import Decimal

from django.urls import reverse
from django_scopes import scope

from evaluations.models import IndicatorScore
from tests.conftest import Cast

HTMX = {"HTTP_HX_REQUEST": "true"}


def save_url(cast: Cast, key: str) -> str:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key}
    return reverse("department:section_save", kwargs=kwargs)


def page(cast: Cast, user: str) -> str:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "table": "scores"}
    return (
        cast.client_for(user)
        .get(reverse("department:evaluation_table", kwargs=kwargs))
        .content.decode()
    )


def scores_of(cast: Cast) -> dict[str, IndicatorScore]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        return {
            row.indicator_code: row
            for row in IndicatorScore.objects.filter(evaluation=cast.evaluation_a)
        }


def test_the_scoring_sheet_lists_every_indicator_of_the_campaign_rubric(cast: Cast) -> None:
    body = page(cast, "filler_a")
    for name in ("预算编制合理性", "整体支出完成率", "政府采购执行率", "工作表现加减分指标"):
        assert name in body
    assert 'name="scores-claimed-score__2_1_4"' in body


def test_a_filler_claims_scores_and_the_engine_checks_them(cast: Cast) -> None:
    response = cast.client_for("filler_a").post(
        save_url(cast, "scores.claimed"),
        {"based_on": "0", "scores-claimed-score__1_1_1": "3", "scores-claimed-score__5": "11"},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    # A judgement item below its weight needs a deduction note: the checks panel says so.
    assert "1.1.1 预算编制合理性」自评得分低于分值，请填写扣分说明" in body
    # 11 bonus points claimed while no commendation is entered: the rule gives 0, flagged.
    assert "自评加减分 11 分，按规则为 0 分" in body
    assert scores_of(cast)["1.1.1"].claimed == 3


def test_a_claim_above_the_weight_is_refused(cast: Cast) -> None:
    response = cast.client_for("filler_a").post(
        save_url(cast, "scores.claimed"),
        {"based_on": "0", "scores-claimed-score__1_1_1": "5"},
        **HTMX,
    )
    assert response.status_code == 422
    assert not scores_of(cast)


def test_the_reviewer_verifies_and_sees_the_same_sheet(cast: Cast) -> None:
    cast.client_for("filler_a").post(
        save_url(cast, "scores.claimed"),
        {"based_on": "0", "scores-claimed-score__1_1_1": "4"},
        **HTMX,
    )
    response = cast.client_for("reviewer").post(
        save_url(cast, "scores.verified"),
        {
            "based_on": "0",
            "scores-verified-score__1_1_1": "3",
            "scores-verified-note__1_1_1": "缺少依据",
        },
        **HTMX,
    )
    assert response.status_code == 200
    row = scores_of(cast)["1.1.1"]
    assert (row.claimed, row.verified, row.verification_note) == (4, 3, "缺少依据")
    body = page(cast, "reviewer")
    assert 'name="scores-verified-score__1_1_1"' in body and "缺少依据" in body


def test_each_side_writes_only_its_own_column(cast: Cast) -> None:
    filler_on_verified = cast.client_for("filler_a").post(
        save_url(cast, "scores.verified"), {"based_on": "0", "scores-verified-score__1_1_1": "4"}
    )
    reviewer_on_claimed = cast.client_for("reviewer").post(
        save_url(cast, "scores.claimed"), {"based_on": "0", "scores-claimed-score__1_1_1": "4"}
    )
    assert filler_on_verified.status_code == 403
    assert reviewer_on_claimed.status_code == 403
    assert not scores_of(cast)


def test_the_demo_scoring_sheet_flags_the_seeds_claims_and_follows_the_data(db: None) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django_scopes import scopes_disabled

    from evaluations.models import Evaluation, RevenueAndProcurement

    call_command("load_demo")
    with scopes_disabled():
        evaluation = Evaluation.objects.get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )
        reviewer = evaluation.department.jurisdiction.memberships.get(role="reviewer").user
    client = Client()
    client.force_login(reviewer)
    url = reverse(
        "department:evaluation_table",
        kwargs={"department": "zhanjiang-commerce", "pk": evaluation.pk, "table": "scores"},
    )
    body = client.get(url).content.decode()
    # Seed 001 claims 4 for 政府采购执行率: 4 × 613.0894 / 769.1121 = 3.19.
    assert "613.0894 ÷ 769.1121 = 79.71%" in body
    assert "自评 4 分，按规则计算为 3.19 分" in body
    # 11 commendations claimed as 11 points; the rule caps the bonus at 3.
    assert "自评加减分 11 分，按规则为 +3 分" in body
    # The data changes, the score follows: procurement as planned gives full marks.
    with scopes_disabled():
        RevenueAndProcurement.objects.filter(evaluation=evaluation).update(
            procurement_actual=Decimal("769.1121")
        )
    body = client.get(url).content.decode()
    assert "769.1121 ÷ 769.1121 = 100.00%" in body
    assert "自评 4 分，按规则计算为 3.19 分" not in body
