"""Jobs: eager without a broker; with CELERY_BROKER_URL a real worker runs them from Redis."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from config.databases import url_of
from evaluations.models import Evaluation
from evaluations.tasks import campaign_progress
from tests.conftest import Cast

ROOT = Path(__file__).resolve().parent.parent


def test_a_task_counts_inside_its_jurisdictions_scope(cast: Cast) -> None:
    counts = campaign_progress.apply(args=[cast.campaign.pk]).get()
    assert counts["draft"] == 2 and sum(counts.values()) == 2  # department A and B, not bureau Z


def current_database_url() -> str:
    """The URL of the database the tests use (the test database), for a worker process."""
    return url_of(connection.settings_dict)


@pytest.fixture
def worker_queue() -> Iterator[str]:
    if not settings.BROKER_CONFIGURED:
        pytest.skip("CELERY_BROKER_URL is not set: no broker to run a worker against (CI sets it)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": current_database_url()}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task_from_redis(worker_queue: str, cast: Cast) -> None:
    assert not app.conf.task_always_eager
    result = campaign_progress.apply_async(args=[cast.campaign.pk], queue=worker_queue)
    counts = result.get(timeout=60)
    assert counts[Evaluation.State.DRAFT] == 2
    assert result.status == "SUCCESS"
