"""What every evaluation page shares: loading the evaluation, and the checks panel's context."""

from typing import Any

from django.http import Http404
from django.middleware.csrf import get_token
from django.urls import reverse

from departments.tenancy import TenantRequest
from evaluations.models import Evaluation
from evaluations.selectors.checks import evaluation_violations
from evaluations.selectors.comments import review_comment_index
from evaluations.selectors.evaluations import (
    evaluation_metrics,
    evaluation_values,
    evaluation_with_parts,
)
from evaluations.selectors.page import EvaluationPage, warning_notes
from evaluations.tables.registry import scoped_sections, sections_for


def evaluation_or_404(pk: int) -> Evaluation:
    evaluation = evaluation_with_parts(pk=pk)
    if evaluation is None:
        raise Http404
    return evaluation


def checks_context(request: TenantRequest, evaluation: Evaluation) -> dict[str, Any]:
    """The metrics, the findings and their explanations, and the page's lazily computed parts."""
    values = evaluation_values(evaluation)
    violations = evaluation_violations(evaluation, values)
    every = (*sections_for(evaluation), *scoped_sections(evaluation))
    return {
        "metrics": evaluation_metrics(values),
        "violations": violations,
        "error_count": sum(1 for v in violations if v.is_error),
        "warning_count": sum(1 for v in violations if not v.is_error),
        "section_index": {section.key: section for section in every},
        "notes": _notes(request, evaluation),
        "page": EvaluationPage(evaluation),
        # The latest return's comments, shown at their fields (templatetags/review_tags.py).
        "review_notes": review_comment_index(evaluation=evaluation, roles=request.tenant.roles),
    }


def _notes(request: TenantRequest, evaluation: Evaluation) -> Any:
    # Without JavaScript the form returns to the page it is on; a fragment HTMX re-rendered
    # after a POST (an autosave) names that page in HX-Current-URL.
    here = request.headers.get("HX-Current-URL") or (
        request.get_full_path() if request.method == "GET" else ""
    )
    url = reverse(
        "department:warning_explanation",
        kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
    )
    return warning_notes(
        evaluation=evaluation,
        roles=request.tenant.roles,
        url=url,
        here=here,
        csrf_token=get_token(request),
    )
