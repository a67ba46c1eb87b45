"""Public downloads: caching headers, conditional GETs, ranges, HEAD, X-Accel-Redirect, and
what is not served (withdrawn: 410; pending or failed: 404)."""

import hashlib
import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date
from django_scopes import scopes_disabled

from publishing.models import Artifact, Publication
from tests.factories import artifact_of, publication_of

# A PDF head and 10 KiB of every byte value: slices are easy to tell apart.
CONTENT = b"%PDF-1.7\n" + bytes(range(256)) * 40
SHA256 = hashlib.sha256(CONTENT).hexdigest()
FILENAME = "甲部门2024年度部门整体支出绩效自评报告.pdf"


@pytest.fixture
def artifact(cast: Any) -> Artifact:
    with scopes_disabled():
        publication = publication_of(cast.evaluation_a)
        return artifact_of(publication, "report", CONTENT, filename=FILENAME)


def url_of(artifact: Artifact, code: str | None = None) -> str:
    return reverse(
        "portal:download",
        kwargs={"code": code or artifact.publication.code, "document": artifact.document},
    )


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def last_modified(artifact: Artifact) -> str:
    return http_date(int(artifact.created_at.timestamp()))


def test_it_serves_the_file_with_its_headers(artifact: Artifact) -> None:
    response = Client().get(url_of(artifact))
    assert response.status_code == 200
    assert body(response) == CONTENT
    assert response["ETag"] == f'"{SHA256}"'
    assert response["Last-Modified"] == last_modified(artifact)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in response


def test_it_names_the_file_in_chinese_per_rfc_5987(artifact: Artifact) -> None:
    disposition = Client().get(url_of(artifact))["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(FILENAME)}" in disposition  # RFC 5987: any case
    assert disposition.encode("ascii")  # the header itself stays ASCII


def test_it_sets_no_cookie_so_that_a_cdn_may_cache_it(artifact: Artifact) -> None:
    assert not Client().get(url_of(artifact)).cookies


def test_it_finds_a_code_typed_in_lower_case_with_dashes(artifact: Artifact) -> None:
    typed = artifact.publication.display_code.lower()
    response = Client().get(url_of(artifact, code=typed))
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_it_answers_304_to_a_matching_etag(artifact: Artifact) -> None:
    response = Client().get(url_of(artifact), headers={"If-None-Match": f'"{SHA256}"'})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == f'"{SHA256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_it_answers_200_to_another_etag(artifact: Artifact) -> None:
    response = Client().get(url_of(artifact), headers={"If-None-Match": '"0000"'})
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_it_answers_304_when_not_modified_since(artifact: Artifact) -> None:
    headers = {"If-Modified-Since": last_modified(artifact)}
    assert Client().get(url_of(artifact), headers=headers).status_code == 304
    earlier = http_date(int(artifact.created_at.timestamp()) - 60)
    response = Client().get(url_of(artifact), headers={"If-Modified-Since": earlier})
    assert response.status_code == 200


def test_it_sends_a_range(artifact: Artifact) -> None:
    response = Client().get(url_of(artifact), headers={"Range": "bytes=100-1123"})
    assert response.status_code == 206
    assert body(response) == CONTENT[100:1124]
    assert response["Content-Range"] == f"bytes 100-1123/{len(CONTENT)}"
    assert response["Content-Length"] == "1024"
    assert response["ETag"] == f'"{SHA256}"'
    assert response["Content-Type"] == "application/pdf"


def test_it_sends_an_open_range_to_the_end(artifact: Artifact) -> None:
    response = Client().get(url_of(artifact), headers={"Range": "bytes=10000-"})
    assert response.status_code == 206
    assert body(response) == CONTENT[10000:]
    assert response["Content-Range"] == f"bytes 10000-{len(CONTENT) - 1}/{len(CONTENT)}"


def test_it_sends_a_suffix_range(artifact: Artifact) -> None:
    response = Client().get(url_of(artifact), headers={"Range": "bytes=-500"})
    assert response.status_code == 206
    assert body(response) == CONTENT[-500:]
    assert response["Content-Range"] == (
        f"bytes {len(CONTENT) - 500}-{len(CONTENT) - 1}/{len(CONTENT)}"
    )


def test_it_answers_416_to_a_range_past_the_end(artifact: Artifact) -> None:
    response = Client().get(url_of(artifact), headers={"Range": f"bytes={len(CONTENT)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


def test_it_sends_the_whole_file_for_several_ranges(artifact: Artifact) -> None:
    response = Client().get(url_of(artifact), headers={"Range": "bytes=0-9,20-29"})
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_it_sends_the_range_when_if_range_matches(artifact: Artifact) -> None:
    for validator in (f'"{SHA256}"', last_modified(artifact)):
        headers = {"Range": "bytes=0-99", "If-Range": validator}
        response = Client().get(url_of(artifact), headers=headers)
        assert response.status_code == 206, validator
        assert body(response) == CONTENT[:100]


def test_it_sends_the_whole_file_when_if_range_does_not_match(artifact: Artifact) -> None:
    earlier = http_date(int(artifact.created_at.timestamp()) - 60)
    for validator in ('"another-version"', f'W/"{SHA256}"', earlier):
        headers = {"Range": "bytes=0-99", "If-Range": validator}
        response = Client().get(url_of(artifact), headers=headers)
        assert response.status_code == 200, validator
        assert body(response) == CONTENT


def test_it_answers_head_with_headers_and_no_body(artifact: Artifact) -> None:
    response = Client().head(url_of(artifact))
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["ETag"] == f'"{SHA256}"'
    assert response["Content-Disposition"].startswith("attachment;")


def test_it_refuses_a_post(artifact: Artifact) -> None:
    assert Client().post(url_of(artifact)).status_code == 405


def test_it_lets_nginx_send_the_file_when_x_accel_is_set(artifact: Artifact, settings: Any) -> None:
    settings.PUBLISHING_X_ACCEL_PREFIX = "/protected/"
    response = Client().get(url_of(artifact), headers={"Range": "bytes=0-99"})
    assert response.status_code == 200  # nginx answers the range itself
    assert response["X-Accel-Redirect"] == f"/protected/{artifact.file.name}"
    assert response.content == b""
    assert response["ETag"] == f'"{SHA256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert f"filename*=utf-8''{quote(FILENAME)}" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert "Accept-Ranges" not in response  # nginx's own, not twice
    not_modified = Client().get(url_of(artifact), headers={"If-None-Match": f'"{SHA256}"'})
    assert not_modified.status_code == 304
    assert "X-Accel-Redirect" not in not_modified


def test_it_answers_410_for_a_withdrawn_publication(artifact: Artifact) -> None:
    withdrawn_at = datetime(2025, 3, 4, 2, 0, tzinfo=UTC)
    Publication.public.filter(pk=artifact.publication_id).update(
        state="withdrawn",
        withdrawn_at=withdrawn_at,
        withdrawal_reason="数据填报有误，更正后重新公开",
    )
    response = Client().get(url_of(artifact))
    assert response.status_code == 410
    page = response.content.decode()
    assert "已撤回" in page
    assert "数据填报有误，更正后重新公开" in page
    assert "2025年3月4日" in page
    publication_page = reverse("portal:publication", kwargs={"code": artifact.publication.code})
    assert f'href="{publication_page}"' in page
    assert CONTENT.decode("latin-1") not in page


@pytest.mark.parametrize("state", ["pending", "failed"])
def test_it_does_not_serve_an_unfinished_publication(cast: Any, state: str) -> None:
    with scopes_disabled():
        publication = publication_of(cast.evaluation_a, state=state)
        unfinished = artifact_of(publication, "report", CONTENT)
    assert Client().get(url_of(unfinished)).status_code == 404


def test_it_answers_404_to_an_unknown_code_or_document(artifact: Artifact) -> None:
    assert Client().get(url_of(artifact, code="ZZZZZZZZZZZZ")).status_code == 404
    other = reverse(
        "portal:download", kwargs={"code": artifact.publication.code, "document": "nothing"}
    )
    assert Client().get(other).status_code == 404


def test_it_reads_through_the_storage_api_only(cast: Any, settings: Any) -> None:
    """A storage without local paths (as S3 is) serves whole files and ranges alike."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with scopes_disabled():
        stored = artifact_of(publication_of(cast.evaluation_a), "report", CONTENT)
    assert not os.path.exists(stored.file.path)  # nothing on disk to read from
    assert body(Client().get(url_of(stored))) == CONTENT
    ranged = Client().get(url_of(stored), headers={"Range": "bytes=-300"})
    assert body(ranged) == CONTENT[-300:]


def test_it_takes_one_query(artifact: Artifact, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        assert body(Client().get(url_of(artifact))) == CONTENT
