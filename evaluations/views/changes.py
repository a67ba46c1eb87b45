"""修改对比: what changed between two submissions of an evaluation, or since the latest one."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from departments.roles import ALL_ROLES
from departments.tenancy import TenantRequest, tenant_view
from evaluations.selectors.changes import comparison, default_range, submission_choices
from evaluations.tables.registry import tables_for
from evaluations.views.common import evaluation_or_404

CURRENT = "current"


@tenant_view(*ALL_ROLES)
def evaluation_changes(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """The reviewer's latest against previous submission, or the filler's changes since the
    latest one; `?from=N&to=M|current` chooses."""
    evaluation = evaluation_or_404(pk)
    choices = submission_choices(evaluation=evaluation)
    numbers = [choice.number for choice in choices]
    chosen = _chosen(request, numbers)
    invalid = chosen is None and "from" in request.GET
    if chosen is None:
        chosen = default_range(evaluation=evaluation, numbers=numbers)
    compared = None
    if chosen is not None:
        compared = comparison(evaluation=evaluation, before=chosen[0], after=chosen[1])
    context = {
        "evaluation": evaluation,
        "tables": tables_for(evaluation),
        "changes_tab": True,
        "choices": choices,
        "comparison": compared,
        "invalid": invalid,
        "current": CURRENT,
        # What the version pickers show as chosen.
        "picked_from": chosen[0] if chosen else (numbers[-1] if numbers else None),
        "picked_to": chosen[1] if chosen and chosen[1] is not None else CURRENT,
    }
    return TemplateResponse(request, "evaluations/changes.html", context)


def _chosen(request: TenantRequest, numbers: list[int]) -> tuple[int, int | None] | None:
    """The versions the query names, if both exist: a submission's number, `to` also 'current'."""
    before, after = request.GET.get("from", ""), request.GET.get("to", CURRENT)
    if not before.isdecimal() or int(before) not in numbers:
        return None
    if after == CURRENT:
        return int(before), None
    if not after.isdecimal() or int(after) not in numbers:
        return None
    return int(before), int(after)


department_urls: list[URLPattern] = [
    path("evaluations/<int:pk>/changes/", evaluation_changes, name="evaluation_changes"),
]
jurisdiction_urls: list[URLPattern] = []
