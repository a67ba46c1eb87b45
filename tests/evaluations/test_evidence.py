"""佐证材料: uploads checked by content and size, downloads only for those who see the evaluation."""

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from evaluations.models import Evaluation, Evidence
from tests.conftest import Cast
from tests.factories import PDF_BYTES, evidence_for


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    """A minimal Office Open XML word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def upload_url(cast: Cast, key: str = "basic.staffing") -> str:
    return reverse(
        "department:evidence_upload",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key},
    )


def download_url(cast: Cast, evidence: Evidence, department: str | None = None) -> str:
    return reverse(
        "department:evidence_download",
        kwargs={
            "department": department or cast.department_a.slug,
            "pk": evidence.evaluation_id,
            "evidence": evidence.pk,
        },
    )


def upload(cast: Cast, name: str, content: bytes, user: str = "filler_a", **extra: str) -> Any:
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return cast.client_for(user).post(upload_url(cast), {"file": file, **extra}, follow=True)


def stored(cast: Cast) -> list[Evidence]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        return list(Evidence.objects.filter(evaluation=cast.evaluation_a))


def test_it_accepts_a_pdf_and_records_what_it_is(cast: Cast) -> None:
    response = upload(cast, "编制批复.pdf", PDF_BYTES, row_label="在职人员控制率")
    assert "已上传佐证材料「编制批复.pdf」" in response.content.decode()
    [evidence] = stored(cast)
    assert (evidence.section_key, evidence.row_label) == ("basic.staffing", "在职人员控制率")
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(PDF_BYTES))
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert evidence.uploaded_by == cast.users["filler_a"]
    # Stored under the evaluation with a random name, never the user's.
    name = str(evidence.file.name)
    assert name.startswith(f"evidence/{cast.evaluation_a.pk}/")
    assert "编制批复" not in name


def test_it_accepts_png_and_docx_by_their_content(cast: Cast) -> None:
    upload(cast, "照片.png", png_bytes())
    upload(cast, "说明.docx", docx_bytes())
    kinds = {e.original_name: e.content_type for e in stored(cast)}
    assert kinds == {
        "照片.png": "image/png",
        "说明.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }


def test_it_refuses_an_executable_named_pdf(cast: Cast) -> None:
    response = upload(cast, "报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    body = response.content.decode()
    assert "文件「报告.pdf」的内容不是允许的类型" in body
    assert "与扩展名无关" in body
    assert stored(cast) == []


def test_it_refuses_a_zip_that_is_not_an_office_document(cast: Cast) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    upload(cast, "表格.xlsx", buffer.getvalue())
    assert stored(cast) == []


def test_it_refuses_a_file_over_the_size_limit(cast: Cast, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 64
    response = upload(cast, "大文件.pdf", PDF_BYTES + b"0" * 100)
    assert "文件「大文件.pdf」大小为" in response.content.decode()
    assert "超过 64" in response.content.decode()
    assert stored(cast) == []


def test_it_refuses_a_nul_byte_in_the_row_label_with_a_message(cast: Cast) -> None:
    response = upload(cast, "编制批复.pdf", PDF_BYTES, row_label="在职人员\x00控制率")
    assert response.status_code == 200
    assert "「对应指标」中含有空字符（NUL），未上传。" in response.content.decode()
    assert stored(cast) == []


def test_only_fillers_upload_and_only_while_editable(cast: Cast) -> None:
    file = SimpleUploadedFile("a.pdf", PDF_BYTES)
    assert cast.client_for("head_a").post(upload_url(cast), {"file": file}).status_code == 403
    cast.evaluation_a.state = Evaluation.State.SUBMITTED
    cast.evaluation_a.save()
    file = SimpleUploadedFile("a.pdf", PDF_BYTES)
    assert cast.client_for("filler_a").post(upload_url(cast), {"file": file}).status_code == 403
    assert stored(cast) == []


def test_a_member_downloads_the_same_bytes_as_an_attachment(cast: Cast) -> None:
    evidence = evidence_for(cast.evaluation_a)
    for user in ("filler_a", "head_a", "reviewer"):
        response = cast.client_for(user).get(download_url(cast, evidence))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "%E7%BC%96%E5%88%B6%E6%89%B9%E5%A4%8D.pdf" in disposition  # 编制批复.pdf


def test_outsiders_and_other_departments_get_404(cast: Cast) -> None:
    evidence = evidence_for(cast.evaluation_a)
    assert cast.client_for("outsider").get(download_url(cast, evidence)).status_code == 404
    assert cast.client_for("filler_b").get(download_url(cast, evidence)).status_code == 404
    # Through department B's own door, A's file does not exist.
    own_door = download_url(cast, evidence, department=cast.department_b.slug)
    assert cast.client_for("filler_b").get(own_door).status_code == 404


def test_the_uploader_deletes_the_record_and_the_file(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    upload(cast, "a.pdf", PDF_BYTES)
    [evidence] = stored(cast)
    path = Path(evidence.file.path)
    url = reverse(
        "department:evidence_delete",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "evidence": evidence.pk,
        },
    )
    other = evidence_for(cast.evaluation_a, uploaded_by=cast.users["head_a"])
    other_url = url.replace(f"/{evidence.pk}/", f"/{other.pk}/")
    assert cast.client_for("filler_a").post(other_url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("filler_a").post(url)
    assert response.status_code == 302
    assert [e.pk for e in stored(cast)] == [other.pk]
    assert not path.exists()


def test_the_table_lists_each_sections_files_without_a_query_per_section(cast: Cast) -> None:
    url = reverse(
        "department:evaluation_table",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "table": "report",
        },
    )
    client = cast.client_for("filler_a")
    evidence_for(cast.evaluation_a, section_key="report.01", original_name="一.pdf")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for key in ("report.02", "report.03", "report.04"):
        evidence_for(cast.evaluation_a, section_key=key, original_name=f"{key}.pdf")
    with CaptureQueriesContext(connection) as four:
        body = client.get(url).content.decode()
    assert len(four) == len(one)
    assert body.count('class="evidence-list"') == 4
    assert "一.pdf" in body and "report.04.pdf" in body
