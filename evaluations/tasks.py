from celery import shared_task
from django.db import transaction
from django.db.models import Count
from django_scopes import scopes_disabled

from departments.scoping import department_scope, jurisdiction_scope
from evaluations.models import Campaign, Evaluation
from evaluations.selectors.evaluations import evaluation_with_parts
from evaluations.services.summaries import evaluation_summarize


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


@shared_task
def summarize_evaluation(evaluation_id: int) -> None:
    """Refresh an evaluation's summary for the dashboard, inside its department's scope."""
    with scopes_disabled():
        department_id = (
            Evaluation.objects.filter(pk=evaluation_id)
            .values_list("department_id", flat=True)
            .first()
        )
    if department_id is None:
        return
    with department_scope(department_id):
        evaluation = evaluation_with_parts(pk=evaluation_id)
        if evaluation is not None:
            evaluation_summarize(evaluation=evaluation)


def summarize_on_commit(evaluation_id: int) -> None:
    """Send `summarize_evaluation` once the transaction commits, once per evaluation however many
    of its sections the transaction saves (an Excel import saves a dozen in one)."""
    # Django drops the callbacks of a savepoint rolled back, so what is pending is what will run.
    pending = transaction.get_connection().run_on_commit
    if any(getattr(func, "summarizes", None) == evaluation_id for _, func, _ in pending):
        return

    def send() -> None:
        # Run: no longer pending (a test's captured callbacks run before its transaction ends).
        send.summarizes = None  # type: ignore[attr-defined]
        summarize_evaluation.delay(evaluation_id)

    send.summarizes = evaluation_id  # type: ignore[attr-defined]
    transaction.on_commit(send, robust=True)


@shared_task(acks_late=True)
def campaign_open_evaluations(campaign_id: int) -> int:
    """Make a campaign's draft evaluations, inside its jurisdiction's scope (safe to rerun)."""
    from evaluations.services.campaigns import campaign_evaluations_create

    with scopes_disabled():
        jurisdiction_id = Campaign.objects.values_list("jurisdiction_id", flat=True).get(
            pk=campaign_id
        )
    with jurisdiction_scope(jurisdiction_id):
        return campaign_evaluations_create(campaign=Campaign.objects.get(pk=campaign_id))


@shared_task
def send_deadline_reminders() -> int:
    """Daily (Celery beat, config/celery.py): remind departments that have not submitted of their
    deadline, on the site's calendar day. Safe to rerun: a second run that day sends nothing."""
    from django.utils import timezone

    from evaluations.services.reminders import send_deadline_reminders as remind

    return remind(today=timezone.localdate())
