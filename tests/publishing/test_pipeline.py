"""The publishing pipeline on the demo: a failure and its retry, and a run killed after writing a
file, leave exactly one artifact set (test_pipeline_published.py: one publication, published
once, run again, withdrawn and published again)."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django_scopes import scopes_disabled

from departments.roles import Role
from evaluations.models import Evaluation
from publishing import archive, services
from publishing.models import Artifact, Publication
from publishing.tasks import publish_evaluation
from tests.completion import complete
from tests.evaluations.test_workflow import (
    REVIEWER,
    fresh,
    step,
    submit,
    user,
    verify_scores,
    within,
)

State = Publication.State


def demo_evaluation(year: int = 2019) -> Evaluation:
    with scopes_disabled():
        return Evaluation.objects.select_related("campaign", "department").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=year
        )


def approved_demo(year: int = 2019) -> Evaluation:
    """The demo evaluation completed by its filler, submitted by its head, approved by the
    reviewer after verifying a score: ready to be published."""
    evaluation = demo_evaluation(year)
    with within(evaluation):
        complete(evaluation.pk, user("zhanjiang-filler"))
    submit(evaluation)
    verify_scores(evaluation)
    step(evaluation, "approve", "zhanjiang-reviewer", REVIEWER)
    return fresh(evaluation)


def signing_keys(settings: Any, tmp_path: Path) -> None:
    """The demo bureau's certificate in a throwaway keys directory (published PDFs are signed)."""
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    demo_certificate()


def demo_certificate() -> None:
    """The demo bureau's certificate, in the keys directory the settings name."""
    from publishing.signing import demo_certificate_create

    with scopes_disabled():
        jurisdiction = demo_evaluation().department.jurisdiction
    demo_certificate_create(jurisdiction)


@pytest.fixture
def keys(settings: Any, tmp_path: Path, demo_data: None) -> None:
    signing_keys(settings, tmp_path)


def artifacts_of(publication: Publication) -> list[Artifact]:
    with scopes_disabled():
        return list(Artifact.objects.filter(publication=publication).order_by("position"))


def publication_of(evaluation: Evaluation) -> Publication:
    with scopes_disabled():
        return Publication.objects.get(evaluation=evaluation, number=1)


def stored_names(publication: Publication) -> list[str]:
    return sorted(default_storage.listdir(f"publications/{publication.code}")[1])


def expected_keys(publication: Publication) -> list[str]:
    with within(publication.evaluation), archive.artifact_builder(publication) as builder:
        return builder.keys


class Boom(RuntimeError):
    pass


def test_a_failure_fails_the_publication_and_a_retry_finishes_it(
    keys: None, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    evaluation = approved_demo()
    real_build = archive.ArtifactBuilder.build
    built: list[str] = []

    def failing_build(self: archive.ArtifactBuilder, key: str) -> archive.BuiltArtifact:
        if built:  # the first artifact is stored, the second breaks
            raise Boom("renderer crashed")
        built.append(key)
        return real_build(self, key)

    monkeypatch.setattr(archive.ArtifactBuilder, "build", failing_build)
    with django_capture_on_commit_callbacks(execute=True):
        step(evaluation, "publish", "zhanjiang-reviewer", REVIEWER)
    publication = publication_of(evaluation)
    assert publication.state == State.FAILED
    assert "出错" in publication.error and "Boom" not in publication.error
    assert publication.documents_done == 1
    stored = artifacts_of(publication)
    assert len(stored) == 1

    monkeypatch.setattr(archive.ArtifactBuilder, "build", real_build)
    with within(evaluation), django_capture_on_commit_callbacks(execute=True):
        services.publication_retry(
            publication=publication, by=user("zhanjiang-reviewer"), roles=REVIEWER
        )
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED and publication.error == ""
    artifacts = artifacts_of(publication)
    assert [a.document for a in artifacts] == expected_keys(publication)
    assert (artifacts[0].pk, artifacts[0].sha256) == (stored[0].pk, stored[0].sha256)
    assert len(stored_names(publication)) == len(artifacts)


def test_a_leftover_file_of_a_killed_run_is_replaced(
    keys: None, django_capture_on_commit_callbacks: Any
) -> None:
    """A run killed after writing a file and before recording it: the next run replaces it."""
    evaluation = approved_demo()
    with django_capture_on_commit_callbacks(execute=False):  # the task is sent below
        step(evaluation, "publish", "zhanjiang-reviewer", REVIEWER)
    publication = publication_of(evaluation)
    leftover = f"publications/{publication.code}/package.pdf"
    default_storage.save(leftover, _content(b"half a package"))

    publish_evaluation.delay(publication.pk)  # as the redelivered message runs it

    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    package = artifacts_of(publication)[0]
    assert package.file.name == leftover
    with default_storage.open(leftover) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == package.sha256
    assert len(stored_names(publication)) == len(artifacts_of(publication))


def _content(data: bytes) -> Any:
    from django.core.files.base import ContentFile

    return ContentFile(data)


def test_only_publishers_may_retry(keys: None) -> None:
    evaluation = demo_evaluation()
    with within(evaluation):
        from tests.factories import publication_of as made

        publication = made(evaluation, state="failed", error="x")
        with pytest.raises(services.PermissionDenied):
            services.publication_retry(
                publication=publication,
                by=user("zhanjiang-filler"),
                roles=frozenset({Role.FILLER, Role.DEPARTMENT_HEAD}),
            )
    publication.refresh_from_db()
    assert publication.state == State.FAILED
