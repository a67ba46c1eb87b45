"""Bulk publication with one and with two Celery workers: throughput and scaling.

    CELERY_BROKER_URL=redis://127.0.0.1:6379/5 .venv/bin/python benchmarks/publish_bulk.py [--size 100]

In a throw-away test database with the demo data, makes `--size` copies of 湛江市商务局 2019 (one
per made-up department of the same bureau: every row of the evaluation's tables copied), puts
them in 已审核 and publishes them all with the bureau's 「公开全部已审核」 service while one real
Celery worker (prefork, one process) renders; then withdraws them all and publishes them again
while two such workers render. Each round is timed from the first publish step to the last
publication published; the workers are started and ready before. Prints the throughput
(evaluations per minute) of each round and their ratio (2 workers ÷ 1 worker).

On a machine with fewer free cores than workers the ratio says so: rendering is CPU-bound.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from _setup import ROOT, benchmark_database, describe_machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100)
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("Set CELERY_BROKER_URL (a Redis broker): the workers read it.")
    scratch = Path(tempfile.mkdtemp(prefix="publish-bulk-"))
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ["SIGNING_KEYS_DIR"] = str(scratch / "keys")
    with benchmark_database():
        run(args.size, scratch)


def run(size: int, scratch: Path) -> None:
    from django.contrib.auth import get_user_model
    from django_scopes import scope, scopes_disabled

    from config.celery import app
    from departments.roles import Role
    from evaluations.models import Evaluation
    from evaluations.services.workflow import evaluation_transition
    from publishing.services import campaign_publish_all
    from publishing.signing import demo_certificate_create

    print(describe_machine())
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    app.conf.task_routes = {"publishing.tasks.publish_evaluation": {"queue": queue}}
    started = time.perf_counter()
    campaign, jurisdiction = copies(size)
    print(f"made {size} approved copies of 湛江 2019 in {time.perf_counter() - started:.1f} s")
    demo_certificate_create(jurisdiction)
    reviewer = get_user_model().objects.get(username="zhanjiang-reviewer")
    admin = get_user_model().objects.get(username="zhanjiang-bureau-admin")
    roles = frozenset({Role.REVIEWER})
    rates = {}
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for count in (1, 2):
            while len(workers) < count:
                workers.append(start_worker(queue, len(workers) + 1, scratch))
            with scope(jurisdiction=jurisdiction.pk, department=None):
                began = time.perf_counter()
                outcome = campaign_publish_all(campaign=campaign, by=reviewer, roles=roles)
                sent = time.perf_counter() - began
                if outcome.published != size:
                    raise SystemExit(f"refused: {outcome.refused}")
                wait_published(campaign, size)
                seconds = time.perf_counter() - began
            rates[count] = size / seconds * 60
            print(
                f"{count} worker{'s' if count > 1 else ''}: {size} evaluations published in "
                f"{seconds:.1f} s ({rates[count]:.1f} evaluations/min; "
                f"the publish steps themselves took {sent:.2f} s)"
            )
            if count == 1:  # withdraw all, to publish them again with two workers
                with scope(jurisdiction=jurisdiction.pk, department=None), scopes_disabled():
                    published = Evaluation.objects.filter(
                        campaign=campaign, state=Evaluation.State.PUBLISHED
                    )
                    for evaluation in published:
                        evaluation_transition(
                            evaluation=evaluation,
                            name="withdraw",
                            by=admin,
                            roles=frozenset({Role.BUREAU_ADMIN}),
                            reason="基准测试：重新公开",
                        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    print(f"scaling (2 workers ÷ 1 worker): {rates[2] / rates[1]:.2f}×")


def copies(size: int) -> tuple[Any, Any]:
    """`size` departments of 湛江市财政局, each with a copy of 湛江 2019's evaluation, approved."""
    import pghistory.models
    from django.apps import apps
    from django.db import connection
    from django_scopes import scopes_disabled

    from departments.models import Department
    from evaluations.models import Evaluation

    with scopes_disabled():
        source = Evaluation.objects.select_related("department__jurisdiction", "campaign").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )
        jurisdiction = source.department.jurisdiction
        # The evaluation's own tables: every model with a foreign key `evaluation` to it (the
        # publishing and workflow history tables aside).
        skip = {"publication", "transition", "submission", "reviewcomment", "notification"}
        tables = [
            model
            for model in apps.get_models()
            if any(
                f.name == "evaluation" and f.related_model is Evaluation
                for f in model._meta.concrete_fields
            )
            and model._meta.model_name not in skip
            and model._meta.app_label == "evaluations"
            and not issubclass(model, pghistory.models.Event)  # the audit trail's own rows
        ]
        rows = {model: list(model._base_manager.filter(evaluation=source)) for model in tables}
        for n in range(size):
            department = Department.objects.create(
                jurisdiction=jurisdiction, slug=f"bench-copy-{n}", name=f"基准部门{n:03d}"
            )
            copy = Evaluation.objects.get(pk=source.pk)
            copy.pk = None
            copy.department = department
            copy.state = Evaluation.State.APPROVED
            copy.save()
            for model, originals in rows.items():
                for row in originals:
                    row.pk = None
                    setattr(row, "evaluation", copy)  # noqa: B010 -- any of the tables
                    if hasattr(row, "id"):
                        row.id = None
                model._base_manager.bulk_create(originals)
        Evaluation.objects.filter(pk=source.pk).update(state=Evaluation.State.DRAFT)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return source.campaign, jurisdiction


def database_url() -> str:
    from django.db import connection

    from config.databases import url_of

    return url_of(connection.settings_dict)


def start_worker(queue: str, number: int, scratch: Path) -> subprocess.Popen[bytes]:
    """A prefork worker with one process on the benchmark's queue; returns once it is ready."""
    log = scratch / f"worker{number}.log"
    env = {**os.environ, "DATABASE_URL": database_url()}
    with log.open("wb") as output:
        worker = subprocess.Popen(  # noqa: S603 -- our own interpreter and arguments
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
                "-n",
                f"bench{number}-{queue}@%h",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while b" ready." not in log.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"worker {number} did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return worker


def wait_published(campaign: Any, size: int) -> None:
    from django_scopes import scopes_disabled

    from publishing.models import Publication

    deadline = time.monotonic() + 60 * size
    with scopes_disabled():
        live = Publication.objects.filter(evaluation__campaign=campaign).exclude(
            state=Publication.State.WITHDRAWN
        )
        while live.filter(state=Publication.State.PUBLISHED).count() < size:
            failed = list(
                live.filter(state=Publication.State.FAILED).values_list("error", flat=True)
            )
            if failed:
                raise SystemExit(f"{len(failed)} failed: {failed[0]}")
            if time.monotonic() > deadline:
                raise SystemExit("publications still pending")
            time.sleep(0.5)


if __name__ == "__main__":
    main()
