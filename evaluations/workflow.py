"""Who may change what, in which state of an evaluation. (The submit / return / approve transitions
come with the workflow issue; this module is their home.)"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from departments.roles import Role
from evaluations.models import Evaluation

# Fillers may change an evaluation while it is a draft or has been returned to them.
EDITABLE_STATES = frozenset({Evaluation.State.DRAFT, Evaluation.State.RETURNED})
# Reviewers may verify scores at any point until the evaluation is published.
VERIFIABLE_STATES = frozenset(
    {
        Evaluation.State.DRAFT,
        Evaluation.State.SUBMITTED,
        Evaluation.State.RETURNED,
        Evaluation.State.APPROVED,
    }
)


class NotFillable(PermissionDenied):
    """The department's data of this evaluation cannot be changed by these roles now."""

    def __init__(self) -> None:
        super().__init__(_("此自评已提交或您没有填报权限，不能修改。"))


def fillable(evaluation: Evaluation, roles: frozenset[Role]) -> bool:
    """Whether these roles may change what the department fills in (tables, projects, evidence,
    explanations, Excel import): a filler, while the evaluation is a draft or returned."""
    return Role.FILLER in roles and evaluation.state in EDITABLE_STATES


def ensure_fillable(evaluation: Evaluation, roles: frozenset[Role]) -> None:
    if not fillable(evaluation, roles):
        raise NotFillable
