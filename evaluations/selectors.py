"""Reads of campaigns and evaluations; always called inside a tenant scope."""

from django.db.models import Count, Q, QuerySet

from evaluations.models import Campaign, Evaluation


def evaluations_of_department() -> QuerySet[Evaluation]:
    """The current department's evaluations, newest year first (the scope picks the department)."""
    return Evaluation.objects.select_related("campaign")


def campaigns_with_progress() -> QuerySet[Campaign]:
    """The current bureau's campaigns, each annotated with its evaluations counted by state."""
    return Campaign.objects.annotate(
        evaluation_count=Count("evaluations"),
        submitted_count=Count("evaluations", filter=~Q(evaluations__state=Evaluation.State.DRAFT)),
    )
