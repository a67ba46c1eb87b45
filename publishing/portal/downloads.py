"""Public downloads of published artifacts: immutable files, cached for a year, resumable.

An artifact never changes (a database trigger refuses it), so its SHA-256 is a strong ETag and
every answer may be cached by browsers and a CDN for a year. Conditional GETs answer 304; a
single byte range answers 206 (PDF readers fetch pages by ranges; download managers resume).
Several ranges in one request answer the whole file, which RFC 9110 allows: multipart/byteranges
buys nothing for one PDF.

No range library: django-ranged-response and django-ranged-fileresponse are unmaintained since
2017, and Werkzeug would bring a second framework for one parser. The parser here is small,
follows RFC 9110 §14, and is tested in tests/publishing/test_downloads_ranges.py.

The body is read from Django's default storage with open() and read() only (no `.path`), so S3
storage works as the filesystem does. With settings.PUBLISHING_X_ACCEL_PREFIX, nginx sends the
body instead (docs/downloads.md).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from publishing.models import Artifact, normalize_code

CACHE_CONTROL = "public, max-age=31536000, immutable"
# Larger than FileResponse's 4 KiB: one read per 64 KiB from S3 or disk when no sendfile.
CHUNK_SIZE = 64 * 1024
ARTIFACT_COLUMNS = (
    *("file", "filename", "mimetype", "sha256", "size", "created_at"),
    *("publication__code", "publication__state", "publication__title"),
    *("publication__withdrawn_at", "publication__withdrawal_reason"),
)


@dataclass(frozen=True)
class ByteRange:
    """An inclusive byte range of a file, as in Content-Range."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """A Range header none of whose ranges lies inside the file (416)."""


@require_safe
def download(request: HttpRequest, code: str, document: str) -> HttpResponseBase:
    artifact = _public_artifact(code, document)
    if not artifact.publication.serves_files:
        return render(
            request,
            "publishing/verify/withdrawn_download.html",
            {"publication": artifact.publication},
            status=410,
        )
    etag = f'"{artifact.sha256}"'
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=_timestamp(artifact.created_at)
    )
    if not_modified is not None:
        return _with_headers(not_modified, artifact)
    if settings.PUBLISHING_X_ACCEL_PREFIX and request.method == "GET":
        response = _with_headers(_accel_redirect(artifact), artifact)
        del response["Accept-Ranges"]  # nginx says it itself, and answers the ranges
        return response
    try:
        byte_range = requested_range(request, artifact=artifact, size=artifact.size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{artifact.size}"
        return _with_headers(response, artifact)
    return _with_headers(_body(request, artifact, byte_range), artifact)


def _public_artifact(code: str, document: str) -> Artifact:
    """One query: the artifact and its publication, if the publication is public. get(), not
    first(): no ORDER BY (at most one row); only() the columns a download and the 410 page
    read (the publication's figures and search text are the bulk of its row)."""
    try:
        return (
            Artifact.public.select_related("publication")
            .only(*ARTIFACT_COLUMNS)
            .get(publication__code=normalize_code(code), document=document)
        )
    except Artifact.DoesNotExist:
        raise Http404 from None


def requested_range(request: HttpRequest, *, artifact: Artifact, size: int) -> ByteRange | None:
    """The one range to send, or None for the whole file (no Range, several ranges, a Range
    we do not understand, or an If-Range that no longer matches)."""
    header = request.headers.get("Range", "")
    if not header or not _if_range_holds(request, artifact):
        return None
    return parse_range(header, size)


def parse_range(header: str, size: int) -> ByteRange | None:
    """A `Range: bytes=…` header against a file of `size` bytes (RFC 9110 §14.1.2)."""
    unit, _, ranges = header.partition("=")
    if unit.strip().lower() != "bytes" or not ranges.strip():
        return None  # another unit or nonsense: ignored, as the RFC asks
    specs = [spec.strip() for spec in ranges.split(",")]
    if len(specs) > 1:
        return None
    first, dash, last = specs[0].partition("-")
    if not dash or not _digits(first + last):
        return None
    if not first:  # a suffix: the last N bytes
        if int(last) == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(size - int(last), 0), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None  # last before first: invalid, so ignored
    if start >= size:
        raise Unsatisfiable
    end = min(int(last), size - 1) if last else size - 1
    return ByteRange(start, end)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _if_range_holds(request: HttpRequest, artifact: Artifact) -> bool:
    """If-Range: send the range only if the client's copy is still ours (a strong ETag, or the
    exact Last-Modified date); otherwise the whole file (RFC 9110 §13.1.5)."""
    if_range = request.headers.get("If-Range")
    if if_range is None:
        return True
    if if_range.startswith(('"', "W/")):
        return if_range == f'"{artifact.sha256}"'
    return parse_http_date_safe(if_range) == _timestamp(artifact.created_at)


def _body(
    request: HttpRequest, artifact: Artifact, byte_range: ByteRange | None
) -> HttpResponseBase:
    response: HttpResponseBase
    if request.method == "HEAD":
        response = HttpResponse(status=206 if byte_range else 200)
    elif byte_range is None:
        # A real file: Django hands it to the server's wsgi.file_wrapper (sendfile on gunicorn).
        response = FileResponse(_open(artifact))
        response.block_size = CHUNK_SIZE
    else:
        stream = _open(artifact)
        response = StreamingHttpResponse(_read_range(stream, byte_range), status=206)
    if byte_range:
        response["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{artifact.size}"
    response["Content-Length"] = str(byte_range.length if byte_range else artifact.size)
    return response


def _accel_redirect(artifact: Artifact) -> HttpResponse:
    """No body: nginx sends the stored file from its internal location, and answers a Range
    itself; the headers set here go along (docs/downloads.md)."""
    response = HttpResponse()
    response["X-Accel-Redirect"] = settings.PUBLISHING_X_ACCEL_PREFIX + quote(
        _stored_name(artifact)
    )
    return response


def _open(artifact: Artifact) -> IO[bytes]:
    """The stored file through the storage API only (works the same on S3)."""
    return artifact.file.storage.open(_stored_name(artifact), "rb")


def _stored_name(artifact: Artifact) -> str:
    # Always set: an artifact is saved with its file (publishing/tasks.py).
    return str(artifact.file.name)


def _read_range(stream: IO[bytes], byte_range: ByteRange) -> Iterator[bytes]:
    try:
        stream.seek(byte_range.start)
        left = byte_range.length
        while left > 0:
            chunk = stream.read(min(CHUNK_SIZE, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        stream.close()


def _with_headers(response: HttpResponseBase, artifact: Artifact) -> HttpResponseBase:
    """The headers every answer about an artifact carries, 304 and 416 included."""
    response["ETag"] = f'"{artifact.sha256}"'
    response["Last-Modified"] = http_date(_timestamp(artifact.created_at))
    response["Cache-Control"] = CACHE_CONTROL
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    if response.status_code in (200, 206):
        response["Content-Type"] = artifact.mimetype
        disposition = content_disposition_header(as_attachment=True, filename=artifact.filename)
        response["Content-Disposition"] = disposition
    return response


def _timestamp(moment: datetime) -> int:
    """Whole seconds: HTTP dates have no fractions, and If-Modified-Since compares seconds."""
    return int(moment.timestamp())
