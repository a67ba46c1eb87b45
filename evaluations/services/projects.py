"""Writes of an evaluation's projects (项目支出绩效自评)."""

from django.db import transaction

from evaluations.models import Evaluation, ProjectEvaluation


@transaction.atomic
def project_create(
    *, evaluation: Evaluation, name: str, supervising_department: str, implementing_unit: str
) -> ProjectEvaluation:
    """Add a project (项目支出绩效自评) to an evaluation; its sections start at version 0."""
    return ProjectEvaluation.objects.create(
        evaluation=evaluation,
        name=name,
        supervising_department=supervising_department,
        implementing_unit=implementing_unit,
    )
