"""/verify/: a publication by its code (typed any way), and an uploaded PDF matched by SHA-256
against the public artifacts; what is refused is said, never a 500."""

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from publishing.models import Artifact, Publication
from tests.factories import artifact_of, publication_of

REPORT = b"%PDF-1.7\n" + b"report " * 2000 + b"\n%%EOF\n"
DATA = b"%PDF-1.7\n" + b"data " * 500 + b"\n%%EOF\n"
UPLOAD = reverse("verify:upload")
NO_MATCH = "该文件与任何已公开材料都不一致：可能被修改过，或不是本平台公开的文件"
NOT_FOUND = "未找到该验证码对应的公开材料"


@pytest.fixture
def publication(cast: Any) -> Publication:
    with scopes_disabled():
        publication = publication_of(
            cast.evaluation_a,
            snapshot_sha256="ab" * 32,
            rubric_version="部门整体支出绩效自评表 2024 版",
            published_at=datetime(2025, 6, 30, 2, 0, tzinfo=UTC),
        )
        artifact_of(publication, "report", REPORT, title="自评报告", pages=12, position=1)
        artifact_of(publication, "data", DATA, title="结构化数据", pages=None, position=2)
        return publication


def text_of(response: Any) -> str:
    """The page's words, tags and <wbr> breaks removed (hashes read whole)."""
    return re.sub(r"<[^>]+>", "", response.content.decode()).replace("\xa0", " ")


def code_url(code: str) -> str:
    return reverse("verify:code", kwargs={"code": code})


def upload(content: bytes, name: str = "报告.pdf", client: Client | None = None) -> Any:
    return (client or Client()).post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


# --- By code ------------------------------------------------------------------------------------


def test_it_shows_which_publication_a_code_is(publication: Publication, cast: Any) -> None:
    response = Client().get(code_url(publication.code))
    assert response.status_code == 200
    page = text_of(response)
    assert publication.title in page
    assert cast.department_a.name in page
    assert cast.bureau.name in page
    assert publication.display_code in page
    assert "2025年6月30日 10:00" in page  # Asia/Shanghai
    assert "已公开" in page
    assert "ab" * 32 in page
    assert "部门整体支出绩效自评表 2024 版" in page
    for content in (REPORT, DATA):
        assert hashlib.sha256(content).hexdigest() in page
        assert f"（{len(content)} 字节）" in page
    assert "自评报告" in page and "结构化数据" in page
    download = reverse("portal:download", kwargs={"code": publication.code, "document": "report"})
    assert f'href="{download}"' in response.content.decode()
    assert 'name="code"' in response.content.decode()  # another code can be typed
    assert 'type="file"' in response.content.decode()  # or a file checked


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: f"{code[:4]}-{code[4:8]}-{code[8:]}",
        lambda code: f" {code[:4]} {code[4:8]} {code[8:]}".lower(),
    ],
)
def test_it_sends_a_code_typed_another_way_to_its_page(
    publication: Publication, typed: Any
) -> None:
    response = Client().get(code_url(typed(publication.code)))
    assert response.status_code == 301
    assert response["Location"] == code_url(publication.code)


def test_it_reads_the_letter_o_as_zero(cast: Any) -> None:
    with scopes_disabled():
        zeros = publication_of(cast.evaluation_a, code="0000ABCD0000")
    response = Client().get(code_url("OOOO-abcd-oooo"))
    assert response.status_code == 301
    assert response["Location"] == code_url(zeros.code)


@pytest.mark.parametrize("typed", ["ZZZZZZZZZZZZ", "short", "ÄÄÄÄÄÄÄÄÄÄÄÄ", "U" * 12])
def test_it_answers_404_to_an_unknown_code(publication: Publication, typed: str) -> None:
    response = Client().get(code_url(typed))
    assert response.status_code == 404
    assert NOT_FOUND in text_of(response)
    assert 'name="code"' in response.content.decode()  # the form to try again


@pytest.mark.parametrize("state", ["pending", "failed"])
def test_it_does_not_show_an_unfinished_publication(cast: Any, state: str) -> None:
    with scopes_disabled():
        unfinished = publication_of(cast.evaluation_a, state=state)
    response = Client().get(code_url(unfinished.code))
    assert response.status_code == 404
    assert NOT_FOUND in text_of(response)


def test_it_says_a_publication_was_withdrawn(publication: Publication) -> None:
    Publication.public.filter(pk=publication.pk).update(
        state="withdrawn",
        withdrawn_at=datetime(2025, 9, 1, 1, 0, tzinfo=UTC),
        withdrawal_reason="附表数据有误",
    )
    response = Client().get(code_url(publication.code))
    assert response.status_code == 200
    page = text_of(response)
    assert "已撤回" in page
    assert "附表数据有误" in page
    assert "2025年9月1日" in page
    assert hashlib.sha256(REPORT).hexdigest() in page  # its hashes stay verifiable
    download = reverse("portal:download", kwargs={"code": publication.code, "document": "report"})
    assert download not in response.content.decode()  # but its files are not offered


def test_the_form_sends_a_typed_code_to_its_page(publication: Publication) -> None:
    response = Client().get(UPLOAD, {"code": publication.display_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == code_url(publication.code)


def test_the_form_asks_for_a_code_when_none_is_typed() -> None:
    response = Client().get(UPLOAD, {"code": "  "})
    assert response.status_code == 400
    assert "请输入验证码" in text_of(response)


def test_the_form_says_a_malformed_code_is_not_found() -> None:
    response = Client().get(UPLOAD, {"code": "not a code"})
    assert response.status_code == 404
    assert NOT_FOUND in text_of(response)


# --- By uploaded file ---------------------------------------------------------------------------


def test_it_shows_both_forms() -> None:
    response = Client().get(UPLOAD)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and 'name="code"' in page
    assert "csrfmiddlewaretoken" in page


def test_an_uploaded_published_file_matches(publication: Publication) -> None:
    response = upload(REPORT)
    assert response.status_code == 200
    page = text_of(response)
    assert "该文件与以下已公开材料完全一致" in page
    assert hashlib.sha256(REPORT).hexdigest() in page
    assert publication.title in page
    assert "与其中的「自评报告」一致" in page
    assert f'href="{code_url(publication.code)}"' in response.content.decode()
    assert NO_MATCH not in page


def test_a_copy_with_one_byte_changed_does_not_match(publication: Publication) -> None:
    changed = bytearray(REPORT)
    changed[len(changed) // 2] ^= 0x01
    response = upload(bytes(changed))
    assert response.status_code == 200
    page = text_of(response)
    assert NO_MATCH in page
    assert hashlib.sha256(bytes(changed)).hexdigest() in page
    assert publication.title not in page


def test_a_withdrawn_publications_file_still_matches_and_says_so(
    publication: Publication,
) -> None:
    Publication.public.filter(pk=publication.pk).update(state="withdrawn")
    page = text_of(upload(DATA))
    assert "与其中的「结构化数据」一致" in page
    assert "该公开材料已撤回" in page


def test_an_unfinished_publications_file_does_not_match(cast: Any) -> None:
    with scopes_disabled():
        artifact_of(publication_of(cast.evaluation_a, state="pending"), "report", REPORT)
    assert NO_MATCH in text_of(upload(REPORT))


def test_it_says_a_file_that_is_not_a_pdf_is_not_one(publication: Publication) -> None:
    response = upload(b"PK\x03\x04 a zip file, not a PDF", name="报告.pdf")
    assert response.status_code == 400
    assert "这不是 PDF 文件" in text_of(response)


def test_it_refuses_a_file_larger_than_the_limit(publication: Publication, settings: Any) -> None:
    settings.PUBLISHING_VERIFY_MAX_BYTES = 4096
    response = upload(REPORT)  # 14 KB, a real published file
    assert response.status_code == 413
    page = text_of(response)
    assert "文件超过 4.0 KB，无法验证" in page
    assert NO_MATCH not in page


def test_it_asks_for_a_file_when_it_is_empty() -> None:
    response = upload(b"")
    assert response.status_code == 400
    assert "所选文件是空的" in text_of(response)


def test_it_asks_for_a_file_when_none_is_sent() -> None:
    response = Client().post(UPLOAD, {})
    assert response.status_code == 400
    assert "请选择要验证的 PDF 文件" in text_of(response)


def test_it_ignores_other_file_fields(publication: Publication) -> None:
    other = SimpleUploadedFile("x.pdf", REPORT)
    response = Client().post(UPLOAD, {"attachment": other})
    assert response.status_code == 400
    assert "请选择要验证的 PDF 文件" in text_of(response)


def test_it_keeps_csrf_protection(publication: Publication) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert upload(REPORT, client=strict).status_code == 403
    form = strict.get(UPLOAD)
    token = strict.cookies["csrftoken"].value
    assert form.status_code == 200
    response = strict.post(
        UPLOAD, {"csrfmiddlewaretoken": token, "file": SimpleUploadedFile("r.pdf", REPORT)}
    )
    assert response.status_code == 200
    assert "该文件与以下已公开材料完全一致" in text_of(response)


def test_it_answers_400_to_a_broken_multipart_body() -> None:
    response = Client().generic(
        "POST",
        UPLOAD,
        data=b'--boundary\r\nContent-Disposition: form-data; name="file"',
        content_type="multipart/form-data; boundary=boundary",
    )
    assert response.status_code < 500


def test_it_stores_nothing_it_was_given(publication: Publication, settings: Any) -> None:
    before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*"))
    upload(REPORT + b"trailing")
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*")) == before
    assert Artifact.public.count() == 2
