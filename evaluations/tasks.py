from celery import shared_task
from django.db.models import Count
from django_scopes import scopes_disabled

from departments.scoping import jurisdiction_scope
from evaluations.models import Campaign, Evaluation


@shared_task
def campaign_progress(campaign_id: int) -> dict[str, int]:
    """Count a campaign's evaluations by state, inside its jurisdiction's scope."""
    with scopes_disabled():
        jurisdiction_id = Campaign.objects.values_list("jurisdiction_id", flat=True).get(
            pk=campaign_id
        )
    with jurisdiction_scope(jurisdiction_id):
        rows = (
            Evaluation.objects.filter(campaign_id=campaign_id)
            .values_list("state")
            .annotate(count=Count("pk"))
            .order_by()
        )
        counts = dict.fromkeys(Evaluation.State.values, 0)
        counts.update({state: count for state, count in rows})
        return counts


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each inbox entry to its recipient (those without an address get the inbox only)."""
    from evaluations.services.notifications import email_notifications

    return email_notifications(notification_ids=notification_ids)
