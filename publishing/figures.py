"""The key figures of a publication, as the portal lists them (stored on the publication when it
is made, so that the portal reads one row)."""

from evaluations.models import Evaluation


def publication_figures(evaluation: Evaluation) -> dict[str, str]:
    """Display strings by key (total score, grade, rates); called inside the department's scope."""
    return {}
