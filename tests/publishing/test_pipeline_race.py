"""Two runs of one publication's task at once (a redelivered message and a retry): both build the
same artifact at the same moment, one stores it, the other finds it stored. One artifact per
key, one file each, whatever the interleaving. The builder is a stand-in (what is tested is the
storing), the database and the storage are real."""

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django_scopes import scopes_disabled

from publishing import services
from publishing.archive import BuiltArtifact
from publishing.models import Artifact, Publication
from tests.conftest import Cast
from tests.factories import publication_of

KEYS = ["package", "report", "data"]


class SlowBuilder:
    """Builds each key only when both runs have reached it: they store it at the same time."""

    def __init__(self, barrier: threading.Barrier) -> None:
        self.barrier = barrier
        self.keys = KEYS

    def build(self, key: str) -> BuiltArtifact:
        self.barrier.wait(timeout=30)
        suffix = ".json" if key == "data" else ".pdf"
        # Each run's bytes differ (as two renderings' timestamps do): a file replaced by the other
        # run would no longer match its artifact's hash.
        content = f"{key} by {threading.current_thread().name}".encode() * 100
        return BuiltArtifact(key, key, f"{key}{suffix}", "application/pdf", content, 1)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_store_one_artifact_set(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scopes_disabled():
        publication = publication_of(cast.evaluation_a, state="pending", published_at=None)
    barrier = threading.Barrier(2)

    @contextmanager
    def builder(publication: Publication) -> Iterator[SlowBuilder]:
        yield SlowBuilder(barrier)

    monkeypatch.setattr(services, "artifact_builder", builder)
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(services.publication_render(publication.pk))
        except BaseException as error:  # reported below, not lost in the thread
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(map(str, results)) == ["published", "published"], results
    with scopes_disabled():
        artifacts = list(Artifact.objects.filter(publication=publication).order_by("position"))
        publication.refresh_from_db()
    assert [a.document for a in artifacts] == KEYS
    assert publication.documents_done == publication.documents_total == len(KEYS)
    files = default_storage.listdir(f"publications/{publication.code}")[1]
    assert sorted(files) == ["data.json", "package.pdf", "report.pdf"]
    for artifact in artifacts:
        with default_storage.open(artifact.file.name) as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == artifact.sha256
