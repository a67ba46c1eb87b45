"""The publishing pipeline on the demo, one publication for the module: the publish transition
makes a pending publication whose task renders and stores one artifact per key; running the task
again stores nothing more; a withdrawal keeps the artifacts; publishing again makes a second
publication, its task sent on commit.

湛江 2019 is published once (rendering every artifact takes some ten seconds) in the module's
transaction, its files in the module's media folder; each test runs in a savepoint of that
transaction, so what a test changes in the database is rolled back after it.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django_scopes import scopes_disabled

from evaluations.models import Evaluation
from publishing.models import Publication
from publishing.tasks import publish_evaluation
from tests.evaluations.test_workflow import ADMIN, REVIEWER, fresh, step
from tests.publishing.test_pipeline import (
    approved_demo,
    artifacts_of,
    demo_certificate,
    expected_keys,
    publication_of,
    stored_names,
)

State = Publication.State


@dataclass(frozen=True)
class Folders:
    media: Path
    keys: Path


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Folders:
    return Folders(tmp_path_factory.mktemp("media"), tmp_path_factory.mktemp("keys"))


@pytest.fixture(autouse=True)
def _media_root(settings: Any, folders: Folders) -> None:
    """The module's media and keys folders for every test (instead of one per test): the files the
    publication stored once are there for each of them."""
    settings.MEDIA_ROOT = folders.media
    settings.SIGNING_KEYS_DIR = folders.keys


@pytest.fixture(scope="module")
def published_once(
    demo_for_module: None, django_db_blocker: Any, folders: Folders
) -> Iterator[int]:
    """湛江 2019 approved and published by the reviewer. The module's transaction is rolled back,
    never committed, so the task the commit would send is run here."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=folders.media, SIGNING_KEYS_DIR=folders.keys),
    ):
        demo_certificate()
        evaluation = approved_demo()
        step(evaluation, "publish", "zhanjiang-reviewer", REVIEWER)
        publication = publication_of(evaluation)
        publish_evaluation(publication.pk)
        yield publication.pk


@pytest.fixture
def publication(published_once: int, demo_data: None) -> Publication:
    with scopes_disabled():
        return Publication.objects.select_related("evaluation").get(pk=published_once)


def test_publishing_stores_one_artifact_per_key(publication: Publication) -> None:
    assert publication.state == State.PUBLISHED and publication.published_at is not None
    evaluation = publication.evaluation
    assert publication.title == "湛江市商务局2019年度部门整体支出绩效自评报告"
    assert publication.fiscal_year == 2019 and publication.department == evaluation.department
    with scopes_disabled():
        submission = evaluation.submissions.order_by("-number").first()
    assert submission is not None and publication.submission == submission
    assert publication.snapshot_sha256 == submission.sha256
    assert publication.rubric_version  # the campaign's pinned rubric, "id vN"
    assert "湛江市商务局" in publication.search_text

    keys = expected_keys(publication)
    artifacts = artifacts_of(publication)
    assert [a.document for a in artifacts] == keys and keys[0] == "package"
    assert publication.documents_total == publication.documents_done == len(keys)
    for artifact in artifacts:
        with default_storage.open(artifact.file.name) as stored:
            content = stored.read()
        assert hashlib.sha256(content).hexdigest() == artifact.sha256
        assert len(content) == artifact.size
        if artifact.mimetype == "application/pdf":
            with pikepdf.open(default_storage.path(artifact.file.name)) as pdf:
                assert len(pdf.pages) == artifact.pages
    assert len(stored_names(publication)) == len(keys)


def test_running_the_task_again_stores_nothing_more(
    publication: Publication,
) -> None:
    before = [(a.pk, a.sha256) for a in artifacts_of(publication)]
    files = stored_names(publication)

    assert publish_evaluation.delay(publication.pk).get() == State.PUBLISHED

    assert [(a.pk, a.sha256) for a in artifacts_of(publication)] == before
    assert stored_names(publication) == files


def test_withdrawing_keeps_the_artifacts_and_records_the_reason(
    publication: Publication,
) -> None:
    artifacts = [(a.pk, a.sha256) for a in artifacts_of(publication)]
    step(publication.evaluation, "withdraw", "zhanjiang-bureau-admin", ADMIN, reason="数据有误")

    publication.refresh_from_db()
    assert publication.state == State.WITHDRAWN
    assert publication.withdrawal_reason == "数据有误" and publication.withdrawn_at is not None
    assert [(a.pk, a.sha256) for a in artifacts_of(publication)] == artifacts
    assert fresh(publication.evaluation).state == Evaluation.State.APPROVED


def test_publishing_again_after_a_withdrawal_makes_a_second_publication(
    publication: Publication,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = publication
    evaluation = first.evaluation
    step(evaluation, "withdraw", "zhanjiang-bureau-admin", ADMIN, reason="更正")
    sent: list[int] = []
    monkeypatch.setattr(publish_evaluation, "delay", sent.append)  # the rows only, no rendering
    with django_capture_on_commit_callbacks(execute=True):
        step(evaluation, "publish", "zhanjiang-bureau-admin", ADMIN)
    with scopes_disabled():
        second = Publication.objects.get(evaluation=evaluation, number=2)
    assert second.state == State.PENDING and second.code != first.code
    assert sent == [second.pk]  # one task, sent on commit
    first.refresh_from_db()
    assert first.state == State.WITHDRAWN
