"""`load_demo` publishes 湛江市商务局 2017 through the real workflow and pipeline (so the portal
has a publication on the first `make run`), once: a second run publishes nothing."""

import io
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management import call_command
from django_scopes import scopes_disabled

from evaluations.models import Evaluation, Transition
from publishing.models import Artifact, Publication


def test_load_demo_publishes_zhanjiang_2017_once(
    db: None, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())

    with scopes_disabled():
        publication = Publication.public.get()
        evaluation = publication.evaluation
        assert (evaluation.department.slug, evaluation.campaign.fiscal_year) == (
            "zhanjiang-commerce",
            2017,
        )
        assert evaluation.state == Evaluation.State.PUBLISHED
        # Every step taken, by the people whose step it is.
        steps = list(
            Transition.objects.filter(evaluation=evaluation)
            .order_by("at", "pk")
            .values_list("name", "actor__username")
        )
        assert steps == [
            ("submit", "zhanjiang-department-head"),
            ("approve", "zhanjiang-reviewer"),
            ("publish", "zhanjiang-reviewer"),
        ]
        assert publication.state == Publication.State.PUBLISHED
        artifacts = list(Artifact.objects.filter(publication=publication))
    assert artifacts and publication.documents_done == len(artifacts)
    assert {a.document for a in artifacts} >= {"package", "report"}
    assert all(default_storage.exists(a.file.name) for a in artifacts)
    assert (tmp_path / "keys" / "zhanjiang.p12").exists()  # the bureau's demo certificate

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    with scopes_disabled():
        assert Publication.objects.count() == 1
        assert Transition.objects.filter(evaluation=evaluation).count() == 3
