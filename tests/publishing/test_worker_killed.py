"""A real worker killed mid-render (SIGKILL of its pool process, as the OOM killer would) leaves
the publication to be finished by the message's redelivery: exactly one artifact per key, no
stray file. Needs the Redis broker (CELERY_BROKER_URL; CI sets it)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django_scopes import scopes_disabled

from evaluations.demo.load import load_demo
from publishing.models import Publication
from publishing.tasks import publish_evaluation
from tests.evaluations.test_workflow import REVIEWER, step
from tests.publishing.test_pipeline import (
    approved_demo,
    artifacts_of,
    expected_keys,
    publication_of,
    signing_keys,
    stored_names,
)
from tests.test_jobs import current_database_url

ROOT = Path(__file__).resolve().parents[2]
State = Publication.State


def children_of(pid: int) -> list[int]:
    """The pool processes a prefork worker started (read from /proc: no psutil here)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (name) state ppid …": the name may hold spaces, so split after its ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


def state_of(publication: Publication) -> tuple[str, int]:
    with scopes_disabled():
        row = Publication.objects.values_list("state", "documents_done").get(pk=publication.pk)
    return row[0], row[1]


@pytest.fixture
def worker(settings: Any, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """A prefork worker with one pool process on its own queue, against the test database and
    the test's MEDIA_ROOT and keys; its log in a file."""
    assert django_settings.BROKER_CONFIGURED, "set CELERY_BROKER_URL (a Redis broker) to run this"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": current_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_KEYS_DIR": str(settings.SIGNING_KEYS_DIR),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-Q",
                queue,
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield queue, process, log
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture
def keys_dir(settings: Any, tmp_path: Path) -> None:
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_one_artifact_set(
    keys_dir: None,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    load_demo()
    signing_keys(settings, tmp_path)
    queue, process, log = request.getfixturevalue("worker")
    evaluation = approved_demo()
    # The publish step sends its task on commit: to this test's worker's queue.
    monkeypatch.setattr(
        publish_evaluation,
        "delay",
        lambda pk: publish_evaluation.apply_async(args=[pk], queue=queue),
    )
    step(evaluation, "publish", "zhanjiang-reviewer", REVIEWER)
    publication = publication_of(evaluation)

    # Mid-render: one artifact stored, the others not yet.
    wait_for(lambda: state_of(publication)[1] >= 1, "the first artifact")
    assert state_of(publication)[0] == State.PENDING
    pool = children_of(process.pid)
    assert len(pool) == 1
    os.kill(pool[0], signal.SIGKILL)

    wait_for(lambda: state_of(publication)[0] != State.PENDING, "the redelivered task")
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED, publication.error
    keys = expected_keys(publication)
    artifacts = artifacts_of(publication)
    assert [a.document for a in artifacts] == keys
    assert publication.documents_done == len(keys)
    assert len(stored_names(publication)) == len(keys)  # no stray file beside them
    for artifact in artifacts:
        assert default_storage.size(artifact.file.name) == artifact.size
    text = log.read_text(errors="replace")
    assert text.count(f"publication {publication.pk}: run starts") == 2, text
    assert "WorkerLostError" in text or "SIGKILL" in text, text
