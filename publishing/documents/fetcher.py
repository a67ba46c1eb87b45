"""The only way a document reaches outside its HTML: our own files under static/pdf/, nothing else.

WeasyPrint fetches every URL a document names (images, stylesheets, fonts, `<link
rel="attachment">`, CSS `url()`), through the fetcher it is given. This one answers from an
allow-list of files read from disk when it is built and refuses everything else: no `file://`
outside the list, no http(s), no `data:`. It records every request, so tests can prove that a
hostile report made no request that was served. A render may add files it made itself (a
published PDF's QR code), held in memory by that render's fetcher only.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PDF = Path(settings.BASE_DIR) / "static" / "pdf"
MIME_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class RefusedURL(ValueError):
    """A URL outside the allow-list; WeasyPrint logs it and leaves the resource out."""


@dataclass
class Request:
    url: str
    served: bool


def static_url(name: str) -> str:
    """The URL documents use for one of our static files (static/pdf/<name>)."""
    return (STATIC_PDF / name).as_uri()


def allowed_files(folder: Path = STATIC_PDF) -> dict[str, Path]:
    """URL → file for every file under `folder`, resolved once (no symlink leads out)."""
    root = folder.resolve()
    found = {}
    for path in sorted(root.rglob("*")):
        real = path.resolve()
        if real.is_file() and real.is_relative_to(root) and path.suffix in MIME_TYPES:
            found[path.as_uri()] = real
    return found


class AllowListFetcher(URLFetcher):
    """Serves only the allow-listed URLs, compared whole after dropping a query or fragment."""

    def __init__(self, allowed: dict[str, Path] | None = None) -> None:
        # Refusals become WeasyPrint's warnings, never a failed rendering.
        super().__init__(fail_on_errors=False, allowed_protocols=("file",))
        self.allowed = allowed_files() if allowed is None else allowed
        self.memory: dict[str, bytes] = {}
        self.requests: list[Request] = []

    def serve(self, url: str, content: bytes) -> None:
        """Answer `url` with `content` for this fetcher's render (its type from its suffix)."""
        if Path(urlsplit(url).path).suffix not in MIME_TYPES:
            raise ValueError(f"no type for {url}")
        self.memory[url] = content

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        bare = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme == "file" else url
        if bare in self.memory:
            self.requests.append(Request(url, served=True))
            mimetype = MIME_TYPES[Path(urlsplit(bare).path).suffix]
            return URLFetcherResponse(bare, self.memory[bare], {"Content-Type": mimetype})
        path = self.allowed.get(bare) or self.allowed.get(unquote(bare))
        self.requests.append(Request(url, served=path is not None))
        if path is None:
            raise RefusedURL(f"refused: {url[:200]}")
        headers_out = {"Content-Type": MIME_TYPES[path.suffix]}
        return URLFetcherResponse(bare, path.read_bytes(), headers_out)

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)

    @property
    def served(self) -> list[str]:
        return [request.url for request in self.requests if request.served]
