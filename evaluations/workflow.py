"""The states of an evaluation, the transitions between them and who may trigger each: one table.

    填报中 draft ──submit──► 已提交 submitted ──approve──► 已审核 approved ──publish──► 已公开 published
        ▲                     │   ▲                                  ▲                  │
        │                  return │ submit                           └────withdraw──────┘
        │                     ▼   │
        └───────────────── 已退回 returned ◄──reopen── (any state but published, after the deadline)

The services in `evaluations.services.workflow` carry the transitions out; this module only
says what is allowed, so views, the API and templates ask the same table.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.roles import Role
from evaluations.models import Campaign, Evaluation

State = Evaluation.State

# Fillers may change an evaluation while it is a draft or has been returned to them.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# Reviewers verify scores once the evaluation is submitted, until it is approved.
VERIFIABLE_STATES = frozenset({State.SUBMITTED, State.APPROVED})


@dataclass(frozen=True)
class Step:
    """A transition: its name in URLs, its label on buttons, from which states, to which, by whom."""

    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    reason_required: bool = False
    # Shown to the public (a withdrawal's reason is printed where the publication was).
    public_reason: bool = False


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "submit",
            gettext_lazy("提交"),
            frozenset({State.DRAFT, State.RETURNED}),
            State.SUBMITTED,
            frozenset({Role.DEPARTMENT_HEAD}),
        ),
        Step(
            "return",
            gettext_lazy("退回修改"),
            frozenset({State.SUBMITTED}),
            State.RETURNED,
            frozenset({Role.REVIEWER}),
            reason_required=True,
        ),
        Step(
            "approve",
            gettext_lazy("审核通过"),
            frozenset({State.SUBMITTED}),
            State.APPROVED,
            frozenset({Role.REVIEWER}),
        ),
        Step(
            "publish",
            gettext_lazy("公开"),
            frozenset({State.APPROVED}),
            State.PUBLISHED,
            frozenset({Role.REVIEWER, Role.BUREAU_ADMIN}),
        ),
        Step(
            "reopen",
            gettext_lazy("重新开放填报"),
            frozenset({State.DRAFT, State.SUBMITTED, State.RETURNED, State.APPROVED}),
            State.RETURNED,
            frozenset({Role.BUREAU_ADMIN}),
            reason_required=True,
        ),
        Step(
            "withdraw",
            gettext_lazy("撤回公开"),
            frozenset({State.PUBLISHED}),
            State.APPROVED,
            frozenset({Role.BUREAU_ADMIN}),
            reason_required=True,
            public_reason=True,
        ),
    )
}


def step_named(name: str) -> Step | None:
    return STEPS.get(name)


def allowed_steps(evaluation: Evaluation, roles: frozenset[Role]) -> list[Step]:
    """The transitions these roles may trigger on the evaluation in its present state."""
    return [
        step
        for step in STEPS.values()
        if evaluation.state in step.sources and step.roles & roles and _open_for(step, evaluation)
    ]


def _open_for(step: Step, evaluation: Evaluation) -> bool:
    # A closed campaign takes no submissions, but for an evaluation an admin reopened.
    if step.name == "submit":
        return not locked(evaluation)
    return True


def locked(evaluation: Evaluation) -> bool:
    """Whether the campaign's deadline lock holds the department's data of this evaluation."""
    return evaluation.campaign.status == Campaign.Status.CLOSED and not evaluation.unlocked


class NotFillable(PermissionDenied):
    """The department's data of this evaluation cannot be changed by these roles now."""

    def __init__(self) -> None:
        super().__init__(_("此自评已提交、已截止或您没有填报权限，不能修改。"))


def editable(evaluation: Evaluation, states: frozenset[str]) -> bool:
    """Whether the evaluation is in one of these states and not held by the deadline lock."""
    if evaluation.state not in states:
        return False
    return not (states & EDITABLE_STATES and locked(evaluation))


def fillable(evaluation: Evaluation, roles: frozenset[Role]) -> bool:
    """Whether these roles may change what the department fills in (tables, projects, evidence,
    explanations, Excel import): a filler, while the evaluation is a draft or returned and the
    campaign's deadline lock does not hold it."""
    return Role.FILLER in roles and editable(evaluation, EDITABLE_STATES)


def ensure_fillable(evaluation: Evaluation, roles: frozenset[Role]) -> None:
    if not fillable(evaluation, roles):
        raise NotFillable
