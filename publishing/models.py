"""What the public sees: a publication of an evaluation and its immutable artifacts.

A publication is made by the publish transition (pending), filled by a Celery task that renders
and stores every artifact (published), and may later be withdrawn: it then stays listed with its
reason, its files are no longer served. Publishing again after a withdrawal makes a new
publication (number 2, a new verification code); the first one is never changed.

Two managers: `objects` is scoped to the tenant like all department data (the department's and
the bureau's screens), `public` is what anyone may read, without a scope: only publications that
are published or withdrawn, never one still rendering or failed.
"""

import secrets
from typing import Any, ClassVar, Self

import pgtrigger
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from departments.models import Department, Jurisdiction
from evaluations.models import Evaluation, Submission, Transition

# Crockford's base32 without I, L, O, U: nothing to misread when a code is typed from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits: not guessable, short enough to type


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str:
    """A code as typed (lower case, spaces, dashes, O for 0) as stored."""
    cleaned = typed.upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans("OIL", "011"))


class PublicManager(models.Manager["Publication"]):
    """Publications anyone may read, outside any tenant's scope."""

    def get_queryset(self) -> models.QuerySet["Publication"]:
        return super().get_queryset().filter(state__in=Publication.PUBLIC_STATES)


class PublicArtifacts(models.Manager["Artifact"]):
    """Artifacts of public publications (withdrawn ones included: their hashes stay verifiable)."""

    def get_queryset(self) -> models.QuerySet["Artifact"]:
        return super().get_queryset().filter(publication__state__in=Publication.PUBLIC_STATES)


class Publication(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("生成中")
        PUBLISHED = "published", _("已公开")
        FAILED = "failed", _("生成失败")
        WITHDRAWN = "withdrawn", _("已撤回")

    PUBLIC_STATES: ClassVar[tuple[str, ...]] = (State.PUBLISHED, State.WITHDRAWN)

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="publications", verbose_name=_("自评")
    )
    # Copied from the evaluation so that the portal filters and searches one table.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("财政部门")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("评价年度"))
    title = models.CharField(_("标题"), max_length=200)
    number = models.PositiveSmallIntegerField(_("第几次公开"), default=1)
    code = models.CharField(_("验证码"), max_length=CODE_LENGTH, unique=True, default=new_code)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    transition = models.OneToOneField(
        Transition,
        on_delete=models.PROTECT,
        related_name="publication",
        null=True,
        blank=True,
        verbose_name=_("公开操作"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        related_name="publications",
        null=True,
        blank=True,
        verbose_name=_("提交快照"),
    )
    snapshot_sha256 = models.CharField(_("提交快照 SHA-256"), max_length=64, blank=True)
    rubric_version = models.CharField(_("评分表版本"), max_length=100, blank=True)
    # The key figures the portal lists (total score, grade, rates), as display strings.
    figures = models.JSONField(_("主要指标"), default=dict, blank=True)
    # Department name and title, matched as substrings; a trigram index where the server has pg_trgm
    # (made by the migration, not declared here: publishing/trigrams.py).
    search_text = models.TextField(_("检索文本"), blank=True)
    documents_total = models.PositiveSmallIntegerField(_("文件总数"), default=0)
    documents_done = models.PositiveSmallIntegerField(_("已生成文件数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    requested_at = models.DateTimeField(_("申请公开时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="jurisdiction", department="department"
    )
    public: ClassVar[PublicManager] = PublicManager()

    class Meta:
        verbose_name = _("公开")
        verbose_name_plural = _("公开")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"], name="publication_number_unique"
            ),
            # At most one publication of an evaluation is live (pending or published) at a time.
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(state__in=["pending", "published"]),
                name="publication_one_live",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="publication_public_idx"),
            models.Index(
                fields=["jurisdiction", "fiscal_year", "state"], name="publication_campaign_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.display_code}）"

    @property
    def display_code(self) -> str:
        """The code as printed: three groups of four."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def verify_url(self) -> str:
        """The absolute address printed (and QR-coded) on every page."""
        return settings.SITE_URL + reverse("verify:code", args=[self.code])

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    @property
    def serves_files(self) -> bool:
        return self.state == self.State.PUBLISHED


def artifact_path(artifact: "Artifact", filename: str) -> str:
    """Where an artifact is stored: one folder per publication, one name per document, so that
    a rerun after a killed worker finds (and replaces) what the killed run left unrecorded."""
    return f"publications/{artifact.publication.code}/{artifact.document}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    return filename[filename.rfind(".") :] if "." in filename else ""


class Artifact(models.Model):
    """One stored file of a publication: a document, the package, or its data. Never changed
    (a database trigger refuses updates and deletes)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="artifacts", verbose_name=_("公开")
    )
    # A document's slug (publishing.documents.catalogue), 「package」, 「data」 (JSON) or
    # 「workbook」 (.xlsx).
    document = models.SlugField(_("文件"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    filename = models.CharField(_("下载文件名"), max_length=200)
    mimetype = models.CharField(_("类型"), max_length=100)
    file = models.FileField(_("文件"), upload_to=artifact_path, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects: ClassVar[models.Manager[Self]] = ScopedManager(
        jurisdiction="publication__jurisdiction", department="publication__department"
    )
    public: ClassVar[PublicArtifacts] = PublicArtifacts()

    class Meta:
        verbose_name = _("公开文件")
        verbose_name_plural = _("公开文件")
        ordering = ["publication", "position"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "document"], name="artifact_unique")
        ]
        triggers: ClassVar[list[Any]] = [
            pgtrigger.Protect(name="artifact_immutable", operation=pgtrigger.Update),
            pgtrigger.Protect(name="artifact_kept", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} · {self.document}"
