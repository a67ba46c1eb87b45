"""Writes of an evaluation's projects (项目支出绩效自评)."""

from django.db import transaction

from departments.roles import Role
from evaluations.models import Evaluation, ProjectEvaluation
from evaluations.tasks import summarize_on_commit
from evaluations.workflow import ensure_fillable


@transaction.atomic
def project_create(
    *,
    evaluation: Evaluation,
    roles: frozenset[Role],
    name: str,
    supervising_department: str,
    implementing_unit: str,
) -> ProjectEvaluation:
    """Add a project (项目支出绩效自评) to an evaluation; its sections start at version 0."""
    ensure_fillable(evaluation, roles)
    summarize_on_commit(evaluation.pk)  # a new project brings its own findings
    return ProjectEvaluation.objects.create(
        evaluation=evaluation,
        name=name,
        supervising_department=supervising_department,
        implementing_unit=implementing_unit,
    )
