"""Verification: which publication a code or a file belongs to, for anyone, without a login.

Reads only `Publication.public` and `Artifact.public` (published or withdrawn, never pending or
failed), outside any tenant scope. An uploaded file is hashed while it arrives, by an upload
handler that stores nothing: a 50 MB PDF costs one pass of SHA-256 and no disk.
"""

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from publishing.models import CODE_ALPHABET, CODE_LENGTH, Artifact, Publication, normalize_code

PDF_MAGIC = b"%PDF-"


def canonical_code(typed: str) -> str | None:
    """The stored form of a typed code, or None if it cannot be one (wrong length or letters)."""
    code = normalize_code(typed)
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return None
    return code


@dataclass(frozen=True)
class VerifiedPublication:
    """What /verify/ shows of a publication: the publication and its files in order."""

    publication: Publication
    artifacts: list[Artifact]

    @property
    def withdrawn(self) -> bool:
        return self.publication.state == Publication.State.WITHDRAWN


def publication_for_code(code: str) -> VerifiedPublication | None:
    """The public publication with this (canonical) code, with its bureau, department and files."""
    publication = (
        Publication.public.select_related("department", "jurisdiction").filter(code=code).first()
    )
    if publication is None:
        return None
    artifacts = list(Artifact.public.filter(publication=publication).order_by("position", "pk"))
    return VerifiedPublication(publication=publication, artifacts=artifacts)


# --- An uploaded file ---------------------------------------------------------------------------


@dataclass
class UploadDigest:
    """What the upload handler learnt of the one file it read: never the content itself."""

    name: str = ""
    size: int = 0
    head: bytes = b""
    too_big: bool = False
    received: bool = False
    sha256: Any = field(default_factory=hashlib.sha256)

    @property
    def hexdigest(self) -> str:
        return str(self.sha256.hexdigest())


class DigestUploadHandler(FileUploadHandler):
    """Hashes the form's `file` field as it streams in, keeping its first bytes, and stops
    reading past `max_bytes` (the rest of the body is drained, unstored, so the browser still
    gets its answer). Other file fields are dropped."""

    # Not `field_name`: the base class sets that to the field being read.
    accepted_field = "file"

    def __init__(self, *, max_bytes: int, digest: UploadDigest) -> None:
        super().__init__()
        self.max_bytes = max_bytes
        self.digest = digest
        self.reading = False

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.reading = field_name == self.accepted_field and not self.digest.received
        if self.reading:
            self.digest.name = file_name
            self.digest.received = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if not self.reading:
            return
        self.digest.size += len(raw_data)
        if self.digest.size > self.max_bytes:
            self.digest.too_big = True
            raise StopUpload(connection_reset=False)
        if len(self.digest.head) < len(PDF_MAGIC):
            self.digest.head += raw_data[: len(PDF_MAGIC)]
        self.digest.sha256.update(raw_data)

    def file_complete(self, file_size: int) -> None:
        self.reading = False


class UploadOutcome(enum.Enum):
    MISSING = "missing"
    EMPTY = "empty"
    TOO_BIG = "too_big"
    NOT_PDF = "not_pdf"
    MATCH = "match"
    NO_MATCH = "no_match"


@dataclass(frozen=True)
class UploadCheck:
    outcome: UploadOutcome
    sha256: str = ""
    size: int = 0
    # The published files with this hash: one, or several if the same bytes were published twice.
    matches: list[Artifact] = field(default_factory=list)


def check_upload(digest: UploadDigest) -> UploadCheck:
    """Whether an uploaded file is, byte for byte, a file of a public publication."""
    if digest.too_big:
        return UploadCheck(UploadOutcome.TOO_BIG, size=digest.size)
    if not digest.received:
        return UploadCheck(UploadOutcome.MISSING)
    if digest.size == 0:
        return UploadCheck(UploadOutcome.EMPTY)
    if not digest.head.startswith(PDF_MAGIC):
        return UploadCheck(UploadOutcome.NOT_PDF, size=digest.size)
    matches = artifacts_with_sha256(digest.hexdigest)
    outcome = UploadOutcome.MATCH if matches else UploadOutcome.NO_MATCH
    return UploadCheck(outcome, sha256=digest.hexdigest, size=digest.size, matches=matches)


def artifacts_with_sha256(sha256: str) -> list[Artifact]:
    """Public artifacts with these bytes (an index on sha256), newest publication first."""
    return list(
        Artifact.public.select_related(
            "publication", "publication__department", "publication__jurisdiction"
        )
        .filter(sha256=sha256)
        .order_by("-publication__published_at", "-pk")
    )
