"""The seeds' own figures, entered by load_demo, and what the rules find in them."""

from django.core.management import call_command
from django_scopes import scopes_disabled

from evaluations.models import Evaluation, FixedAssetLine, TargetDeclaration
from evaluations.selectors.checks import evaluation_violations
from evaluations.selectors.evaluations import evaluation_metrics, evaluation_values


def checks(year: int) -> tuple[set[str], dict[str, str]]:
    """The violations' messages and the metrics shown, of 湛江市商务局's evaluation of `year`."""
    with scopes_disabled():
        evaluation = Evaluation.objects.select_related("campaign", "department").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=year
        )
        values = evaluation_values(evaluation)
        found = {v.message for v in evaluation_violations(evaluation, values)}
        metrics = {metric.key: metric.display for metric in evaluation_metrics(values)}
    return found, metrics


def test_2019_recomputes_the_reports_rates_and_flags_its_carryover(db: None) -> None:
    call_command("load_demo", publish=False)
    found, metrics = checks(2019)
    # 75.87 + 4186.81 − 4165.93 = 96.75, while the report divides 96.76 by 4262.68.
    assert (
        "年末结转和结余 96.76 万元与上年结转结余 + 本年实际收入 − 本年实际支出 = 96.75 万元不符。"
        in found
    )
    # The table leaves the fixed-asset totals and three of the four asset checks blank.
    assert "请选择资产管理规范性的各项「是/否」。" in found
    assert any(message.startswith("请填写固定资产总额（原值）") for message in found)
    # Its stated rates agree with its figures: no 「不符」 about them.
    assert not [m for m in found if m.startswith("填报的")]
    assert metrics["overall_expenditure_rate"] == "97.73%"
    assert metrics["carryover_rate"] == "2.27%"
    assert metrics["procurement_execution_rate"] == "79.71%"
    assert metrics["three_public_control_rate"] == "85.39%"
    assert metrics["public_funds_control_rate"] == "51.93%"
    assert metrics["project_timeliness_rate"] == "100.00%"


def test_2017_flags_the_stated_expenditure_rate_and_the_asset_tables_gaps(db: None) -> None:
    call_command("load_demo", publish=False)
    found, metrics = checks(2017)
    # 4244.42 ÷ (104.47 + 4343.33) = 95.43%, not the 97.72% the report states.
    assert (
        "填报的整体支出完成率 97.72% 与按本年实际支出 ÷（上年结转结余 + 本年实际收入）计算的 "
        "95.43% 不符。" in found
    )
    # The stolen motorcycles (10000 元) are neither in use nor idle.
    assert (
        "「二、通用设备」金额 11472636.10 元与在用资产 + 闲置资产 11462636.10 元不符，"
        "请说明差额（如被盗、待报废）。" in found
    )
    assert (
        "「其中：汽车」金额 975001.00 元与在用资产 + 闲置资产 965001.00 元不符，"
        "请说明差额（如被盗、待报废）。" in found
    )
    # The printed 合计 is one cent above the sum of its rows.
    assert "填报的合计金额 18633890.00 元与各类资产金额之和 18633889.99 元不符。" in found
    assert "填报的合计在用资产 18623890.00 元与各类在用资产之和 18623889.99 元不符。" in found
    assert not [m for m in found if m.startswith(("填报的三公", "填报的公用", "汇总表列出"))]
    # 固定资产利用率 comes from the table, converted to 万元.
    assert metrics["fixed_asset_utilization"] == "99.95%"
    assert metrics["three_public_control_rate"] == "90.42%"
    assert metrics["public_funds_control_rate"] == "54.71%"


def test_loading_twice_keeps_the_rows_once(db: None) -> None:
    call_command("load_demo", publish=False)
    call_command("load_demo", publish=False)
    with scopes_disabled():
        evaluation = Evaluation.objects.get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2017
        )
        assert FixedAssetLine.objects.filter(evaluation=evaluation).count() == 8
        assert TargetDeclaration.objects.filter(evaluation=evaluation).count() == 5
