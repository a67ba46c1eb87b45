"""Every transition × every role, through the API: who may take each step, from a state it starts
from. The table is written out (not read from evaluations.workflow.STEPS), so a change of who may
do what fails here until it is meant."""

from typing import Any

import pytest
from django.urls import reverse

from evaluations.models import Evaluation
from tests.conftest import Cast
from tests.evaluations.test_workflow import fresh, put_in, verify_scores

State = Evaluation.State
ROLES = ("anonymous", "filler_a", "head_a", "reviewer", "bureau_admin", "filler_b", "outsider")
REASON = {"reason": "见说明"}

# step: (the state it is taken from, the body, the answers in the order of ROLES)
# The head's submission of the cast's near-empty evaluation is blocked by its findings (422);
# a non-member of the department gets 404, an anonymous caller 401.
TABLE: dict[str, tuple[str, dict[str, Any], tuple[int, ...]]] = {
    "submit": (State.DRAFT, {}, (401, 403, 422, 403, 403, 404, 404)),
    "return": (State.SUBMITTED, REASON, (401, 403, 403, 200, 403, 404, 404)),
    "approve": (State.SUBMITTED, {}, (401, 403, 403, 200, 403, 404, 404)),
    "publish": (State.APPROVED, {}, (401, 403, 403, 200, 200, 404, 404)),
    "reopen": (State.SUBMITTED, REASON, (401, 403, 403, 403, 200, 404, 404)),
    "withdraw": (State.PUBLISHED, REASON, (401, 403, 403, 403, 200, 404, 404)),
}
TARGETS = {
    "submit": State.SUBMITTED,
    "return": State.RETURNED,
    "approve": State.APPROVED,
    "publish": State.PUBLISHED,
    "reopen": State.RETURNED,
    "withdraw": State.APPROVED,
}
CASES = [
    (step, role, status)
    for step, (_, _, statuses) in TABLE.items()
    for role, status in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("step", "role", "status"), CASES, ids=lambda case: str(case))
def test_who_may_take_each_step(cast: Cast, step: str, role: str, status: int) -> None:
    state, body, _ = TABLE[step]
    evaluation = put_in(cast.evaluation_a, state)
    if step == "approve":
        verify_scores(evaluation)
    url = reverse(
        "department-api:transition",
        kwargs={"department": cast.department_a.slug, "pk": evaluation.pk, "name": step},
    )
    response = cast.client_for(role).post(url, body, content_type="application/json")
    assert response.status_code == status, response.content.decode()
    expected = TARGETS[step] if status == 200 else state
    assert fresh(evaluation).state == expected
