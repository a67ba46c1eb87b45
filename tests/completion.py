"""Completing a demo evaluation so that it can be submitted, as a filler would: correct each
error-level finding through the one write path (take the computed figure where a stated one is
disputed, answer the asset checks, give the asset totals) and explain every warning. Used by the workflow tests."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django_scopes import scope

from departments.roles import Role
from evaluations.api.views import posted_data
from evaluations.models import Evaluation
from evaluations.selectors.checks import evaluation_violations, explanations_of, unexplained_among
from evaluations.selectors.evaluations import evaluation_values, evaluation_with_parts
from evaluations.selectors.snapshots import form_data
from evaluations.services.explanations import warning_explain
from evaluations.services.sections import Outcome, section_submit, section_version
from evaluations.tables.registry import section_for

FILLER = frozenset({Role.FILLER})
# Answers to the checks a filler gives by hand: every 是/否 of 资产管理规范性, and the asset totals.
ANSWERS: dict[str, dict[str, Any]] = {
    "basic.assets": {
        "internal_rules": True,
        "allocation_compliant": True,
        "income_remitted": True,
        "fixed_assets_total": "1351.21",
        "fixed_assets_in_use": "1351.21",
    }
}


def complete(evaluation_pk: int, filler: AbstractBaseUser, *, rounds: int = 5) -> Evaluation:
    """Correct and explain until the evaluation has no error and no unexplained warning."""
    for _ in range(rounds):
        evaluation = _load(evaluation_pk)
        violations = evaluation_violations(evaluation, evaluation_values(evaluation))
        errors = [v for v in violations if v.is_error]
        if not errors:
            break
        for key in sorted({v.section for v in errors}):
            _correct(evaluation, key, [v.field for v in errors if v.section == key], filler)
    evaluation = _load(evaluation_pk)
    violations = evaluation_violations(evaluation, evaluation_values(evaluation))
    assert not [v for v in violations if v.is_error], [v.message for v in violations if v.is_error]
    for warning in unexplained_among(violations, explanations_of(evaluation)):
        warning_explain(
            evaluation=evaluation,
            warning=warning,
            text="已核实，系口径差异。",
            by=filler,
            roles=FILLER,
        )
    return _load(evaluation_pk)


def _load(pk: int) -> Evaluation:
    evaluation = evaluation_with_parts(pk=pk)
    assert evaluation is not None
    return evaluation


def _correct(evaluation: Evaluation, key: str, fields: list[str], filler: AbstractBaseUser) -> None:
    section = section_for(evaluation, key)
    assert section is not None, key
    form = section.form(evaluation)
    data = form_data(form)
    if "rows" in data:
        for anchor in fields:  # "3-balance": row 3's stated figure disputed: take the computed
            data["rows"][int(anchor.split("-", 1)[0])]["accept_computed"] = True
    else:
        data.update(ANSWERS.get(key, {}))
    done = section_submit(
        evaluation=evaluation,
        section=section,
        data=posted_data(section, form, data),
        based_on=section_version(evaluation=evaluation, key=key).version,
        by=filler,
        roles=FILLER,
    )
    assert done.outcome is Outcome.SAVED, (key, getattr(done.form, "errors", None))


def complete_in_scope(evaluation: Evaluation, filler: AbstractBaseUser) -> Evaluation:
    with scope(
        jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
    ):
        return complete(evaluation.pk, filler)
