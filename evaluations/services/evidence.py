"""佐证材料: what may be uploaded (checked by content, not by name), and the upload and deletion.

The size limit is the setting EVIDENCE_MAX_BYTES (default 20 MB). Accepted: PDF, PNG, JPEG, Office
Open XML (docx, xlsx, pptx) and legacy Office (OLE2: doc, xls, ppt).
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from departments.selectors import AnyUser
from evaluations.models import Evaluation, Evidence

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PARTS = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
# OLE2 looks the same for doc, xls and ppt; the name only picks the label of what the content is.
OLE2_TYPES = {
    ".xls": ("xls", "application/vnd.ms-excel"),
    ".ppt": ("ppt", "application/vnd.ms-powerpoint"),
}
OLE2_DEFAULT = ("doc", "application/msword")


class EvidenceRefused(ValueError):
    """An upload that is not accepted; the message says why, in the user's words."""


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(upload: UploadedFile) -> FileKind | None:
    """The file's type from its first bytes (and, for zips, its parts), or None if not allowed."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return FileKind("pdf", "application/pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind("png", "image/png")
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind("jpg", "image/jpeg")
    if head.startswith(OLE2_MAGIC):
        suffix = Path(upload.name or "").suffix.lower()
        return FileKind(*OLE2_TYPES.get(suffix, OLE2_DEFAULT))
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(upload)
    return None


def _ooxml(upload: UploadedFile) -> FileKind | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in OOXML_PARTS.items():
        if any(name.startswith(part) for name in names):
            return FileKind(*kind)
    return None


def check_upload(upload: UploadedFile) -> FileKind:
    """The accepted kind of the upload; raise EvidenceRefused with a precise message if not."""
    name = Path(upload.name or "").name
    size = upload.size or 0
    if size == 0:
        raise EvidenceRefused(_("文件「%(name)s」是空文件，未上传。") % {"name": name})
    if size > max_bytes():
        raise EvidenceRefused(
            _("文件「%(name)s」大小为 %(size)s，超过 %(limit)s 的上限，未上传。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )
    kind = sniff(upload)
    if kind is None:
        raise EvidenceRefused(
            _(
                "文件「%(name)s」的内容不是允许的类型，未上传。只接受 PDF、PNG、JPEG 图片和 "
                "Word、Excel、PowerPoint 文档；类型按文件内容判断，与扩展名无关。"
            )
            % {"name": name}
        )
    return kind


def check_row_label(row_label: str) -> str:
    """The indicator the file supports, as stored; text PostgreSQL cannot hold is refused."""
    if "\x00" in row_label:
        raise EvidenceRefused(_("「对应指标」中含有空字符（NUL），未上传。"))
    return row_label.strip()[:200]


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def evidence_upload(
    *,
    evaluation: Evaluation,
    section_key: str,
    row_label: str,
    upload: UploadedFile | None,
    by: AnyUser,
) -> Evidence:
    """Store an accepted file under a random name and record it; raise EvidenceRefused if not."""
    if upload is None:
        raise EvidenceRefused(_("请选择要上传的文件。"))
    label = check_row_label(row_label)
    kind = check_upload(upload)
    evidence = Evidence(
        evaluation=evaluation,
        section_key=section_key,
        row_label=label,
        original_name=Path(upload.name or "").name[:255] or f"evidence.{kind.extension}",
        content_type=kind.content_type,
        size=upload.size or 0,
        sha256=_sha256(upload),
        uploaded_by_id=by.pk,
    )
    evidence.file.save(f"evidence.{kind.extension}", upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)  # no row, so no file left behind
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence) -> None:
    """Remove the record, and its file once the deletion is committed."""
    stored = evidence.file
    evidence.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
