"""The publishing task: render and store a publication's artifacts (publishing.services).

acks_late with reject_on_worker_lost: the message is acknowledged only when the task ends, and a
worker killed mid-render (OOM, SIGKILL, a deploy) gives it back to the queue, so another worker
finishes the publication; the service builds only what is missing. The soft time limit fails the
publication with a message; the hard one ends a render stuck where the soft one cannot reach
(inside C code). Workers are recycled by memory (CELERY_WORKER_MAX_MEMORY_PER_CHILD).
"""

from celery import shared_task

SOFT_TIME_LIMIT = 300  # seconds: the package of a large evaluation renders in well under a minute
TIME_LIMIT = 360


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def publish_evaluation(publication_id: int) -> str:
    """Render and store the publication's missing artifacts; returns the state it leaves."""
    from publishing.services import publication_render

    return publication_render(publication_id)


@shared_task(acks_late=True)
def publish_campaign(
    campaign_id: int, user_id: int, roles: list[str], remote_addr: str | None = None
) -> int:
    """「公开全部已审核」: the publish step of every approved evaluation of the campaign, each
    sending its own publish_evaluation task; returns how many were published."""
    from departments.roles import Role
    from publishing.services import campaign_publish_job

    return campaign_publish_job(
        campaign_id=campaign_id,
        user_id=user_id,
        roles=frozenset(Role(role) for role in roles),
        remote_addr=remote_addr,
    )
