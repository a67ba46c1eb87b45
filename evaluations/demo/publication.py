"""The demo's publication: 湛江市商务局 2017, taken through the real workflow and published, so
that the public portal has a publication on the first `make run`.

Called by the `load_demo` command, not by `load_demo()` (tests load the demo often and rendering
costs seconds). Idempotent: an evaluation published once is left alone.

The 2017 seed report (000) lacks figures the 基础数据表 requires before a submission (its layout
predates the table): the contact, the project target and organisation counts, the 信访 figures,
the procurement amounts and the year-end carry-over. `COMPLETION` supplies them as the
department would have before submitting: counts taken from the report's own text where it gives
them (five projects declared, twenty projects), the carry-over computed from its income and
expenditure, the rest made up and plausible. Its four warnings are explained by the filler, the
reviewer verifies every claimed score, approves and publishes: each through the services.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django_scopes import scope, scopes_disabled

from departments.roles import Role
from evaluations.api.views import posted_data
from evaluations.models import Evaluation
from evaluations.scoring.department import evaluation_scoring
from evaluations.selectors.checks import evaluation_violations, explanations_of, unexplained_among
from evaluations.selectors.evaluations import evaluation_values, evaluation_with_parts
from evaluations.selectors.snapshots import form_data
from evaluations.services.explanations import warning_explain
from evaluations.services.sections import Outcome, section_submit, section_version
from evaluations.services.workflow import evaluation_transition
from evaluations.tables.registry import section_for
from evaluations.tables.scores import field_key
from publishing.models import Publication

DEPARTMENT = "zhanjiang-commerce"
YEAR = 2017
FILLER = frozenset({Role.FILLER})
HEAD = frozenset({Role.DEPARTMENT_HEAD})
REVIEWER = frozenset({Role.REVIEWER})
CENT = Decimal("0.01")

# What the 2017 seed lacks, by section, as the form takes it (percentages as typed).
COMPLETION: dict[str, dict[str, Any]] = {
    "basic.unit": {"contact_name": "陈晓梅", "contact_phone": "0759-3338123"},
    # 000 §三(一): five projects declared, all due and approved.
    "basic.project_targets": {
        "due_count": 5,
        "due_amount": "1385",
        "approved_count": 5,
        "approved_amount": "1385",
    },
    "basic.disclosures": {
        "targets_published": True,
        "targets_on": datetime.date(2017, 6, 30).isoformat(),
        "targets_url": "http://www.zjboc.gov.cn/",
    },
    "basic.assets": {"ledger_matches": True, "allocation_compliant": True},
    # 000 §五(一): twenty funded projects, all planned to finish and be accepted within the year.
    "basic.organisation": {"planned_completion": 20, "planned_acceptance": 20},
    # 000 §一: two overall targets (社零、进出口), both met; five project targets; twenty projects.
    "basic.work": {
        "targets_planned": 2,
        "targets_achieved": 2,
        "project_targets_planned": 5,
        "project_targets_achieved": 5,
        "projects_planned": 20,
        "projects_on_time": 20,
    },
    "basic.fairness": {
        "has_feedback_channel": True,
        "complaints_received": 0,
        "complaints_answered": 0,
        "complaints_answered_on_time": 0,
        "satisfaction": "95",
    },
    # 104.47 + 4343.33 − 4244.42 = 203.38 万元 carried over.
    "basic.revenue": {
        "year_end_carryover": "203.38",
        "procurement_planned": "512.40",
        "procurement_actual": "486.25",
    },
}
EXPLANATION = "已核实：原表金额按元填报，差额为尾差及待报废资产，不影响评价结论。"
RATE_EXPLANATION = "已核实：原报告按财政决算口径计算，与本表口径不同。"


class DemoIncomplete(RuntimeError):
    """The demo's data no longer takes the workflow's steps (a rule or a form changed)."""


def demo_published() -> bool:
    """Whether 湛江市商务局 2017 has a publication already (of any state)."""
    with scopes_disabled():
        return Publication.objects.filter(
            evaluation__department__slug=DEPARTMENT, evaluation__campaign__fiscal_year=YEAR
        ).exists()


def publish_demo() -> Publication | None:
    """Publish 湛江市商务局 2017 through the workflow (its task renders on commit); None when it
    is published already or the demo is not loaded."""
    with scopes_disabled():
        evaluation = (
            Evaluation.objects.select_related("department__jurisdiction", "campaign")
            .filter(department__slug=DEPARTMENT, campaign__fiscal_year=YEAR)
            .first()
        )
        if evaluation is None or Publication.objects.filter(evaluation=evaluation).exists():
            return None
    jurisdiction = evaluation.department.jurisdiction
    _certificate(jurisdiction)
    users = {role: _user(role) for role in ("filler", "department-head", "reviewer")}
    with scope(jurisdiction=jurisdiction.pk, department=evaluation.department_id):
        if evaluation.state in (Evaluation.State.DRAFT, Evaluation.State.RETURNED):
            _complete(evaluation.pk, users["filler"])
            _step(evaluation.pk, "submit", users["department-head"], HEAD)
        if _load(evaluation.pk).state == Evaluation.State.SUBMITTED:
            _verify(evaluation.pk, users["reviewer"])
            _step(evaluation.pk, "approve", users["reviewer"], REVIEWER)
        transition = _step(evaluation.pk, "publish", users["reviewer"], REVIEWER)
        return Publication.objects.get(transition=transition)


def _certificate(jurisdiction: Any) -> None:
    """The bureau's clearly marked demo certificate, for signing the published PDFs."""
    from publishing.signing import demo_certificate_create

    demo_certificate_create(jurisdiction)


def _user(role: str) -> AbstractBaseUser:
    return get_user_model().objects.get(username=f"zhanjiang-{role}")


def _load(pk: int) -> Evaluation:
    evaluation = evaluation_with_parts(pk=pk)
    if evaluation is None:
        raise DemoIncomplete(f"evaluation {pk} is gone")
    return evaluation


def _step(pk: int, name: str, by: AbstractBaseUser, roles: frozenset[Role]) -> Any:
    return evaluation_transition(evaluation=_load(pk), name=name, by=by, roles=roles)


def _save(evaluation: Evaluation, key: str, values: dict[str, Any], by: Any, roles: Any) -> None:
    section = section_for(evaluation, key)
    if section is None:
        raise DemoIncomplete(f"no section {key}")
    form = section.form(evaluation)
    data = {**form_data(form), **values}
    done = section_submit(
        evaluation=evaluation,
        section=section,
        data=posted_data(section, form, data),
        based_on=section_version(evaluation=evaluation, key=key).version,
        by=by,
        roles=roles,
    )
    if done.outcome is not Outcome.SAVED:
        raise DemoIncomplete(f"{key}: {getattr(done.form, 'errors', done.outcome)}")


def _complete(pk: int, filler: AbstractBaseUser) -> None:
    for key, values in COMPLETION.items():
        _save(_load(pk), key, values, filler, FILLER)
    evaluation = _load(pk)
    violations = evaluation_violations(evaluation, evaluation_values(evaluation))
    for warning in unexplained_among(violations, explanations_of(evaluation)):
        text = RATE_EXPLANATION if "rate" in warning.code else EXPLANATION
        warning_explain(evaluation=evaluation, warning=warning, text=text, by=filler, roles=FILLER)


def _verify(pk: int, reviewer: AbstractBaseUser) -> None:
    """The reviewer's 核查得分: the computed score of each indicator confirmed (2017's seed has
    no scoring sheet of its own, so nothing was claimed)."""
    evaluation = _load(pk)
    computed = evaluation_scoring(evaluation)
    if computed is None:
        raise DemoIncomplete("the 2017 campaign has no rubric")
    _, result = computed
    values = {
        f"score__{field_key(item.code)}": str(item.score.quantize(CENT, ROUND_HALF_UP))
        for item in result.items
        if item.score is not None
    }
    _save(evaluation, "scores.verified", values, reviewer, REVIEWER)
