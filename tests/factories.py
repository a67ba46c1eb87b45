"""Factories for the test cast. Model managers are scoped, but `create` works outside a scope."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from departments.models import (
    Department,
    DepartmentMembership,
    Jurisdiction,
    JurisdictionMembership,
)
from evaluations.models import Campaign, Evaluation, Evidence, ProjectEvaluation
from rubrics.services import campaign_rubrics_pin

if TYPE_CHECKING:
    from publishing.models import Artifact, Publication


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction

    slug = factory.Sequence(lambda n: f"bureau-{n}")
    name = factory.Sequence(lambda n: f"第{n}市财政局")
    area_name = factory.Sequence(lambda n: f"第{n}市")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    slug = factory.Sequence(lambda n: f"department-{n}")
    name = factory.Sequence(lambda n: f"第{n}局")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()  # type: ignore[attr-defined]


class DepartmentMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentMembership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = "filler"


class JurisdictionMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JurisdictionMembership

    user = factory.SubFactory(UserFactory)
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    role = "reviewer"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    status = Campaign.Status.OPEN
    fiscal_year = 2019
    title = factory.Sequence(lambda n: f"自评任务{n}")

    @factory.post_generation
    def pinned(campaign: Campaign, create: bool, extracted: Any, **kwargs: Any) -> None:
        """The default rubrics recorded, as the admin records them on a save."""
        if create:
            campaign_rubrics_pin(campaign=campaign)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    campaign = factory.SubFactory(CampaignFactory)
    department = factory.SubFactory(DepartmentFactory)


def project_of(evaluation: Evaluation, **fields: Any) -> ProjectEvaluation:
    """A project (项目支出绩效自评) of `evaluation`."""
    return ProjectEvaluation.objects.create(evaluation=evaluation, **{"name": "项目", **fields})


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def evidence_for(evaluation: Evaluation, **fields: Any) -> Evidence:
    """A small real PDF attached to the staffing section (files go to the test MEDIA_ROOT)."""
    defaults: dict[str, Any] = {
        "section_key": "basic.staffing",
        "file": ContentFile(PDF_BYTES, name="evidence.pdf"),
        "original_name": "编制批复.pdf",
        "content_type": "application/pdf",
        "size": len(PDF_BYTES),
        "sha256": hashlib.sha256(PDF_BYTES).hexdigest(),
    }
    return Evidence.objects.create(evaluation=evaluation, **{**defaults, **fields})


def publication_of(
    evaluation: Evaluation, *, state: str = "published", **fields: Any
) -> Publication:
    """A publication of `evaluation` made directly (no rendering), published now by default."""
    from django.utils import timezone

    from publishing.models import Publication

    defaults: dict[str, Any] = {
        "department": evaluation.department,
        "jurisdiction": evaluation.department.jurisdiction,
        "fiscal_year": evaluation.campaign.fiscal_year,
        "title": f"{evaluation.department.name}{evaluation.campaign.fiscal_year}年度部门整体支出绩效自评报告",
        "state": state,
        "search_text": f"{evaluation.department.name} {evaluation.campaign.title}",
        "published_at": timezone.now() if state != "pending" else None,
    }
    return Publication.objects.create(evaluation=evaluation, **{**defaults, **fields})


def artifact_of(
    publication: Publication, document: str = "package", content: bytes = PDF_BYTES, **fields: Any
) -> Artifact:
    """A stored artifact of `publication` (files go to the test MEDIA_ROOT)."""
    from publishing.models import Artifact

    defaults: dict[str, Any] = {
        "title": "公开材料",
        "filename": f"{publication.department.name}{publication.fiscal_year}年度公开材料.pdf",
        "mimetype": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "pages": 1,
    }
    artifact = Artifact(publication=publication, document=document, **{**defaults, **fields})
    artifact.file.save(f"{document}.pdf", ContentFile(content), save=False)
    artifact.save()
    return artifact
