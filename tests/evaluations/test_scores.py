"""评分表: self-scores and verified scores beside the engine's, with flags where they differ."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from departments.models import Department
from evaluations.models import (
    AssetManagement,
    Campaign,
    Evaluation,
    FundLine,
    IndicatorScore,
    RevenueAndProcurement,
)
from evaluations.scoring.department import campaign_averages, campaign_scorings, evaluation_scoring
from rubrics.engine.metrics import points_fixed
from rubrics.services import campaign_rubrics_pin
from tests.conftest import Cast

CASE = Path(__file__).resolve().parents[1] / "rubrics" / "cases" / "zhanjiang-2019.json"

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
    with scopes_disabled():  # verified scores are entered once the evaluation is submitted
        Evaluation.objects.filter(pk=cast.evaluation_a.pk).update(state=Evaluation.State.SUBMITTED)
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


def demo_sheet() -> tuple[Client, str, Evaluation]:
    """湛江市商务局 2019 (seed 001) as its reviewer sees it: client, scoring page URL, evaluation."""
    call_command("load_demo", publish=False, stdout=StringIO())
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
    return client, url, evaluation


def test_the_demo_scoring_sheet_flags_the_seeds_claims_and_follows_the_data(db: None) -> None:
    client, url, evaluation = demo_sheet()
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


def test_the_demo_sheet_writes_its_working_as_the_score_command_does(db: None) -> None:
    client, url, _ = demo_sheet()
    body = client.get(url).content.decode()
    # Stored as 4165.9300, 75.8700 and 4186.8100; written as people (and the command) write them.
    working = "4165.93 ÷ (75.87 + 4186.81) = 97.73%"
    assert working in body
    assert "4165.9300" not in body
    out = StringIO()
    call_command("score", "zhanjiang-2019-department", str(CASE), "--format", "table", stdout=out)
    assert working in out.getvalue()


def subtotal_row(body: str, code: str) -> str:
    start = body.index(f'id="row-sub_{code}"')
    return body[start : body.index("</tr>", start)]


def test_the_sheet_shows_each_level_one_subtotal(db: None) -> None:
    client, url, evaluation = demo_sheet()
    body = client.get(url).content.decode()
    with scope(jurisdiction=evaluation.department.jurisdiction_id, department=None):
        computed = evaluation_scoring(Evaluation.objects.get(pk=evaluation.pk))
    assert computed is not None
    result = computed[1]
    for subtotal in result.subtotals:
        if subtotal.level == 1:
            row = subtotal_row(body, subtotal.code)
            assert f"小计：{subtotal.name}" in row
            assert f">{points_fixed(subtotal.score)}" in row
        else:
            assert f'id="row-sub_{subtotal.code.replace(".", "_")}"' not in body
    # 预算编制情况 is all judgement: 1.1.1–1.3.1 as the seed claims them, 20 of 20.
    assert ">20.00<" in subtotal_row(body, "1")


def test_a_save_refreshes_the_subtotals_with_the_scores(cast: Cast) -> None:
    response = cast.client_for("filler_a").post(
        save_url(cast, "scores.claimed"),
        {"based_on": "0", "scores-claimed-score__1_1_1": "3", "scores-claimed-score__1_1_2": "2"},
        **HTMX,
    )
    body = response.content.decode()
    # 3 + 2 of 预算编制情况's 20; the other judgement items are not scored yet.
    assert '<span id="computed-sub_1" hx-swap-oob="true">5.00（未完成）</span>' in body


# --- the campaign's aggregates and batch rescoring ----------------------------------------


def assets(in_use: str, total: str) -> dict[str, Decimal]:
    return {"fixed_assets_in_use": Decimal(in_use), "fixed_assets_total": Decimal(total)}


def test_the_average_utilisation_is_the_mean_of_the_departments_rates() -> None:
    found = campaign_averages([assets("90", "100"), assets("10", "50"), {}, assets("5", "0")])
    # (90% + 20%) / 2 = 55%, not the rate of the sums (100 / 150); no figures or a zero total
    # (no rate) count for nothing.
    assert found == {"fixed_assets_avg_utilization": Decimal("0.55")}


def test_without_any_rate_there_is_no_average() -> None:
    assert campaign_averages([{}, assets("5", "0")]) == {"fixed_assets_avg_utilization": None}


def save_assets(
    cast: Cast, user: str, *, side: str, based_on: int, in_use: str, total: str
) -> None:
    department, evaluation = (
        (cast.department_a, cast.evaluation_a)
        if side == "a"
        else (cast.department_b, cast.evaluation_b)
    )
    url = reverse(
        "department:section_save",
        kwargs={"department": department.slug, "pk": evaluation.pk, "key": "basic.assets"},
    )
    data = {
        "based_on": str(based_on),
        "basic-assets-fixed_assets_in_use": in_use,
        "basic-assets-fixed_assets_total": total,
    }
    assert cast.client_for(user).post(url, data, **HTMX).status_code == 200


def utilisation_of_a(cast: Cast) -> str:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        evaluation = Evaluation.objects.select_related("campaign").get(pk=cast.evaluation_a.pk)
        computed = evaluation_scoring(evaluation)
    assert computed is not None
    return computed[1].item("固定资产利用率").explanation


def test_a_save_anywhere_in_the_campaign_changes_the_average_used(cast: Cast) -> None:
    save_assets(cast, "filler_a", side="a", based_on=0, in_use="90", total="100")
    save_assets(cast, "filler_b", side="b", based_on=0, in_use="10", total="50")
    # A: 90%; B: 20%; the average (90% + 20%) / 2 = 55%, named in A's working.
    assert utilisation_of_a(cast) == (
        "90 ÷ 100 = 90.00%，高于市直单位平均固定资产利用率 55.00%（fixed_assets_avg_utilization），"
        "得 3 分"
    )
    # Only department B saves: B 98%, so the average is (90% + 98%) / 2 = 94%.
    save_assets(cast, "filler_b", side="b", based_on=1, in_use="49", total="50")
    assert "低于市直单位平均固定资产利用率 94.00%" in utilisation_of_a(cast)


def populated_campaign(cast: Cast, count: int) -> Campaign:
    """A campaign of `count` evaluations, each with its own assets, procurement, funds and claims."""
    with scopes_disabled():
        campaign = Campaign.objects.create(jurisdiction=cast.bureau, fiscal_year=2019, title="批量")
        campaign_rubrics_pin(campaign=campaign)  # as the admin does
        for i in range(count):
            department = Department.objects.create(
                jurisdiction=cast.bureau,
                slug=f"batch-{campaign.pk}-{i}",
                name=f"单位{campaign.pk}-{i}",
            )
            evaluation = Evaluation.objects.create(campaign=campaign, department=department)
            AssetManagement.objects.create(
                evaluation=evaluation, fixed_assets_total=100, fixed_assets_in_use=40 + 10 * i
            )
            RevenueAndProcurement.objects.create(
                evaluation=evaluation, procurement_planned=100, procurement_actual=70 + i
            )
            FundLine.objects.create(
                evaluation=evaluation,
                name="一、财政拨款资金",
                budget_initial=1000,
                city_spent_own=900 + i,
            )
            IndicatorScore.objects.create(evaluation=evaluation, indicator_code="2.1.4", claimed=4)
    return campaign


def fresh_campaign(campaign: Campaign) -> Campaign:
    with scopes_disabled():
        return Campaign.objects.get(pk=campaign.pk)


def test_rescoring_a_campaign_gives_what_each_evaluation_gives_alone(cast: Cast) -> None:
    campaign = populated_campaign(cast, 3)
    with scope(jurisdiction=cast.bureau.pk, department=None):
        batch = campaign_scorings(fresh_campaign(campaign))
        evaluations = Evaluation.objects.filter(campaign=campaign).select_related("campaign")
        alone = {evaluation.pk: evaluation_scoring(evaluation) for evaluation in evaluations}
    assert len(batch) == 3
    for pk, result in batch.items():
        computed = alone[pk]
        assert computed is not None and result == computed[1]
    # Not vacuous: each evaluation has its own figures (70%, 71%, 72% of the procurement plan).
    metrics = [r.item("政府采购执行率").metric for r in batch.values()]
    procurement = {metric.display for metric in metrics if metric is not None}
    assert procurement == {"70.00%", "71.00%", "72.00%"}


def queries_to_rescore(cast: Cast, count: int) -> int:
    campaign = fresh_campaign(populated_campaign(cast, count))
    with (
        scope(jurisdiction=cast.bureau.pk, department=None),
        CaptureQueriesContext(connection) as queries,
    ):
        assert len(campaign_scorings(campaign)) == count
    return len(queries)


def test_rescoring_a_campaign_takes_as_many_queries_for_6_evaluations_as_for_2(cast: Cast) -> None:
    assert queries_to_rescore(cast, 2) == queries_to_rescore(cast, 6)


def test_key_task_counts_score_the_key_work_indicator(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    data = {"based_on": "0", "basic-work-key_tasks_total": "12", "basic-work-key_tasks_done": "11"}
    assert client.post(save_url(cast, "basic.work"), data, **HTMX).status_code == 200
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        computed = evaluation_scoring(Evaluation.objects.get(pk=cast.evaluation_a.pk))
    assert computed is not None
    (item,) = [item for item in computed[1].items if item.code == "4.2.1"]
    assert item.score == 3 * Decimal(11) / Decimal(12)  # 重点工作完成率 × 3
    assert "11 ÷ 12 = 91.67%" in item.explanation
