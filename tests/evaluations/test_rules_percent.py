"""Every percentage a department types lies within 0–100%: one error rule per bound and field."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django_scopes import scope

from evaluations.checks.engine import ComparisonRule, Violation, load_rules, validate
from evaluations.models import Campaign, Fairness
from evaluations.models.basic import PercentRatioField
from evaluations.selectors.checks import evaluation_violations
from evaluations.selectors.evaluations import evaluation_values
from tests.conftest import Cast
from tests.evaluations.helpers_tables import save, table_url
from tests.factories import project_of

# (section the rule names, form field it links to, value the rules read). Values are percentages
# (95 for 95%): the 基础数据表 stores ratios and gives the rules `<field>_pct`.
PERCENT_INPUTS = [
    ("basic.spending", "three_public_rate_stated", "three_public_rate_stated_pct"),
    ("basic.spending", "public_funds_rate_stated", "public_funds_rate_stated_pct"),
    ("basic.work", "key_work_rate_stated", "key_work_rate_stated_pct"),
    ("basic.work", "targets_rate_stated", "targets_rate_stated_pct"),
    ("basic.work", "project_targets_rate_stated", "project_targets_rate_stated_pct"),
    ("basic.work", "projects_rate_stated", "projects_rate_stated_pct"),
    ("basic.fairness", "satisfaction", "satisfaction_pct"),
    ("basic.revenue", "overall_expenditure_rate_stated", "overall_expenditure_rate_stated_pct"),
    ("hunan_basic.staffing", "staff_control_rate_stated", "staff_control_rate_stated"),
    ("hunan_overall.funds", "execution_rate_stated", "execution_rate_stated"),
    ("project.funds", "execution_rate_stated", "execution_rate_stated"),
]

# Control rates above 100% are overspending (or staff above the quota): it happens, so the upper
# bound is a warning the department explains, not an error that blocks submission.
OVERSPEND_RATES = {
    "three_public_rate_stated",
    "public_funds_rate_stated",
    "staff_control_rate_stated",
}


def range_findings(section: str, key: str, value: str) -> list[Violation]:
    found = validate({key: Decimal(value)}, sections=[section])
    return [v for v in found if "超过 100%" in v.message or "低于 0%" in v.message]


def range_errors(section: str, key: str, value: str) -> list[Violation]:
    return [v for v in range_findings(section, key, value) if v.is_error]


@pytest.mark.parametrize(("section", "field", "key"), PERCENT_INPUTS)
def test_a_percentage_above_100_is_flagged_pointing_at_its_input(
    section: str, field: str, key: str
) -> None:
    (found,) = range_findings(section, key, "120.00")
    assert found.field == field
    assert " 120.00% 超过 100%" in found.message
    assert found.is_error == (field not in OVERSPEND_RATES)


@pytest.mark.parametrize(("section", "field", "key"), PERCENT_INPUTS)
def test_a_negative_percentage_is_an_error_pointing_at_its_input(
    section: str, field: str, key: str
) -> None:
    (found,) = range_errors(section, key, "-5.00")
    assert found.field == field
    assert found.message.endswith(" -5.00% 低于 0%。")


@pytest.mark.parametrize(("section", "field", "key"), PERCENT_INPUTS)
@pytest.mark.parametrize("value", ["0", "0.00", "100.00", "96.79"])
def test_the_bounds_themselves_are_allowed(section: str, field: str, key: str, value: str) -> None:
    assert range_findings(section, key, value) == []


def test_every_percentage_input_of_every_table_has_both_bounds() -> None:
    """A new percentage field without its rules fails here: the list above must name it."""
    percent_fields = {
        field.name
        for model in apps.get_app_config("evaluations").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, PercentRatioField)
        or (isinstance(field, models.DecimalField) and field.name.endswith("_rate_stated"))
    }
    assert percent_fields == {field for _, field, _ in PERCENT_INPUTS}
    bounds = {
        (rule.section, rule.field, rule.operator, rule.right.text, rule.severity)
        for rule in load_rules()
        if isinstance(rule, ComparisonRule) and rule.right
    }
    for section, field, _ in PERCENT_INPUTS:
        upper = "warning" if field in OVERSPEND_RATES else "error"
        assert (section, field, "<=", "100", upper) in bounds, (section, field)
        assert (section, field, ">=", "0", "error") in bounds, (section, field)


def test_all_range_errors_of_a_section_are_listed_at_once() -> None:
    values = {
        "targets_rate_stated_pct": Decimal("120.00"),
        "project_targets_rate_stated_pct": Decimal("-5.00"),
        "projects_rate_stated_pct": Decimal("101.00"),
    }
    messages = [v.message for v in validate(values, sections=["basic.work"])]
    assert "填报的整体绩效目标完成率 120.00% 超过 100%。" in messages
    assert "填报的重要项目绩效目标完成率 -5.00% 低于 0%。" in messages
    assert "填报的项目完成及时率 101.00% 超过 100%。" in messages


# End to end: what a department saves, the panel and the section card list.


def test_a_negative_hunan_rate_is_refused_and_a_rate_above_100_flagged(cast: Cast) -> None:
    cast.campaign.table_set = Campaign.TableSet.HUNAN_OVERALL
    cast.campaign.save()
    response = save(
        cast,
        "hunan_basic.staffing",
        {"hunan-basic-staffing-staff_control_rate_stated": "-5"},
    )
    assert response.status_code == 422  # no rate is below zero: refused at the field
    body = response.content.decode()
    assert 'href="#id_hunan-basic-staffing-staff_control_rate_stated"' in body
    assert "不能为负数" in body
    response = save(
        cast,
        "hunan_overall.funds",
        {"hunan-overall-funds-execution_rate_stated": "120"},
    )
    assert response.status_code == 200  # the model accepts it: the rule is what catches it
    assert "执行率 120.00% 超过 100%。" in response.content.decode()


def test_a_project_rate_out_of_range_is_flagged(cast: Cast) -> None:
    project = project_of(cast.evaluation_a, execution_rate_stated=Decimal(-5))
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        found = evaluation_violations(cast.evaluation_a, evaluation_values(cast.evaluation_a))
    (error,) = [v for v in found if v.code == "project.rate_not_negative"]
    assert error.section == f"project.{project.pk}.funds"
    assert error.field == "execution_rate_stated"
    assert error.is_error
    url = reverse(
        "department:project",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "project_pk": project.pk,
        },
    )
    body = cast.client_for("filler_a").get(url).content.decode()
    assert "执行率 -5.00% 低于 0%。" in body


def test_a_basic_rate_stored_negative_is_flagged_on_the_table(cast: Cast) -> None:
    """The form refuses a negative ratio; one stored anyway (older data) is still an error."""
    save(cast, "basic.fairness", {"basic-fairness-satisfaction": "95"})
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        Fairness.objects.filter(evaluation=cast.evaluation_a).update(satisfaction=Decimal("-0.05"))
    body = cast.client_for("filler_a").get(table_url(cast, "basic")).content.decode()
    assert "满意度 -5.00% 低于 0%。" in body
    assert 'href="#id_basic-fairness-satisfaction"' in body


def test_the_form_also_refuses_a_negative_basic_rate(cast: Cast) -> None:
    response = save(cast, "basic.fairness", {"basic-fairness-satisfaction": "-5"})
    assert response.status_code == 422
