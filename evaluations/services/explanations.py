"""Written explanations (说明) of the warnings the checks raise."""

from typing import Any

from django.db import transaction

from departments.roles import Role
from departments.selectors import AnyUser
from evaluations.checks.engine import Violation
from evaluations.models import Evaluation, WarningExplanation
from evaluations.tasks import summarize_on_commit
from evaluations.workflow import ensure_fillable


@transaction.atomic
def warning_explain(
    *, evaluation: Evaluation, warning: Violation, text: str, by: AnyUser, roles: frozenset[Role]
) -> WarningExplanation | None:
    """File (or replace) the written explanation (说明) of a warning the rules raise now.

    Filed under the warning's identity, so it stays attached while the same rule fires on the
    same target. A blank text removes the explanation and returns None. The caller checks that
    `warning` is one of the evaluation's current warnings.
    """
    ensure_fillable(evaluation, roles)
    if warning.is_error:
        raise ValueError(f"{warning.code} is an error: errors are corrected, not explained.")
    identity: dict[str, Any] = {
        "evaluation": evaluation,
        "code": warning.code,
        "section": warning.section,
        "target": warning.target,
    }
    summarize_on_commit(evaluation.pk)  # the unexplained warnings counted for the dashboard
    text = text.strip()
    if not text:
        WarningExplanation.objects.filter(**identity).delete()
        return None
    explanation, _ = WarningExplanation.objects.update_or_create(
        **identity, defaults={"text": text, "updated_by_id": by.pk}
    )
    return explanation
