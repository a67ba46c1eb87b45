from evaluations.models import Evaluation

EDITABLE_STATES = frozenset({Evaluation.State.DRAFT, Evaluation.State.RETURNED})


def evaluation_is_editable(evaluation: Evaluation) -> bool:
    """Fillers may change an evaluation while it is a draft or has been returned to them."""
    return evaluation.state in EDITABLE_STATES
