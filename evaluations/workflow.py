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
