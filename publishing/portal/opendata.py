"""Open data: each publication and each campaign as JSON and CSV, and the JSON Schemas of both.

The documents and their columns are described in docs/open-data.md; the schemas are files in
publishing/schemas/ (served at /public/schema/<name>.json), and the tests validate every
response against them. Addresses are absolute (SITE_URL): the data is meant to be saved and
used elsewhere. CSV is UTF-8 with a byte order mark, so that Excel reads the Chinese.
"""

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from publishing.figures import FIGURE_LABELS, figure_rows
from publishing.models import Artifact, Publication, normalize_code
from publishing.selectors import (
    DATA_DOCUMENT,
    campaign_publications,
    data_artifacts,
    publication_artifacts,
    publication_by_code,
    publication_data_values,
)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

# Anyone may read open data from a page of their own (it is public anyway); caches keep it five
# minutes at most, so that a withdrawal shows soon.
OPEN_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}

CAMPAIGN_COLUMNS = (
    "code",
    "department",
    "title",
    "state",
    "published_at",
    "withdrawn_at",
    "withdrawal_reason",
    "url",
)


def absolute(url_name: str, /, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(url_name, kwargs=kwargs)


def schema(request: HttpRequest, name: str) -> HttpResponse:
    """A JSON Schema by name (publication, campaign, publication-data): a file, served as is."""
    path = SCHEMA_DIR / f"{name}.json"
    if not path.is_file():
        raise Http404
    return HttpResponse(
        path.read_bytes(), content_type="application/schema+json", headers=OPEN_HEADERS
    )


def publication_json(request: HttpRequest, code: str) -> HttpResponse:
    publication = _publication(code)
    document = publication_document(publication, publication_artifacts(publication))
    return _json(document)


def publication_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The values of the publication's stored data file, one row each (key, label, value, unit).

    A withdrawn publication's files are no longer served, and this is one of them (410)."""
    publication = _publication(code)
    data = data_artifacts([publication]).get(publication.pk)
    if data is None:
        raise Http404
    if not publication.serves_files:
        return HttpResponse(status=410, headers=OPEN_HEADERS)
    rows = (
        [row.get("key"), row.get("label"), row.get("value"), row.get("unit")]
        for row in publication_data_values(data)
    )
    return _csv(("key", "label", "value", "unit"), rows, f"{publication.code}.csv")


def campaign_json(request: HttpRequest, bureau: str, year: int) -> HttpResponse:
    jurisdiction, publications = _campaign(bureau, year)
    return _json(
        {
            "schema": absolute("portal:schema", name="campaign"),
            "jurisdiction": {"name": jurisdiction.name, "slug": jurisdiction.slug},
            "fiscal_year": year,
            "url": absolute("portal:campaign", bureau=bureau, year=year),
            "csv": absolute("portal:campaign_csv", bureau=bureau, year=year),
            "figure_labels": {key: str(label) for key, label in FIGURE_LABELS.items()},
            "publications": [campaign_entry(publication) for publication in publications],
        }
    )


def campaign_csv(request: HttpRequest, bureau: str, year: int) -> HttpResponse:
    """One row per publication: who, its state, then one column per key figure (by key)."""
    _, publications = _campaign(bureau, year)
    rows = (campaign_row(publication) for publication in publications)
    return _csv((*CAMPAIGN_COLUMNS, *FIGURE_LABELS), rows, f"{bureau}-{year}.csv")


def publication_document(publication: Publication, artifacts: list[Artifact]) -> dict[str, Any]:
    """A publication as open data: who, when, its state, figures, files and where its data is."""
    serves = publication.serves_files
    has_data = any(artifact.document == DATA_DOCUMENT for artifact in artifacts)
    code = publication.code
    return {
        "schema": absolute("portal:schema", name="publication"),
        "code": code,
        "display_code": publication.display_code,
        "title": publication.title,
        "state": publication.state,
        "number": publication.number,
        "department": {"name": publication.department.name, "slug": publication.department.slug},
        "jurisdiction": {
            "name": publication.jurisdiction.name,
            "slug": publication.jurisdiction.slug,
        },
        "fiscal_year": publication.fiscal_year,
        "published_at": _time(publication.published_at),
        "withdrawn_at": _time(publication.withdrawn_at),
        "withdrawal_reason": publication.withdrawal_reason or None,
        "url": absolute("portal:publication", code=code),
        "verify_url": publication.verify_url,
        "campaign": absolute(
            "portal:campaign", bureau=publication.jurisdiction.slug, year=publication.fiscal_year
        ),
        "figures": [
            {"key": key, "label": label, "value": value}
            for key, label, value in figure_rows(publication.figures)
        ],
        "files": [file_entry(publication, artifact, serves) for artifact in artifacts],
        "data": {
            "json": absolute("portal:download", code=code, document=DATA_DOCUMENT)
            if serves and has_data
            else None,
            "csv": absolute("portal:publication_csv", code=code) if serves and has_data else None,
        },
    }


def file_entry(publication: Publication, artifact: Artifact, serves: bool) -> dict[str, Any]:
    return {
        "document": artifact.document,
        "title": artifact.title,
        "filename": artifact.filename,
        "mimetype": artifact.mimetype,
        "sha256": artifact.sha256,
        "size": artifact.size,
        "pages": artifact.pages,
        "url": absolute("portal:download", code=publication.code, document=artifact.document)
        if serves
        else None,
    }


def campaign_entry(publication: Publication) -> dict[str, Any]:
    return {
        "code": publication.code,
        "department": {"name": publication.department.name, "slug": publication.department.slug},
        "title": publication.title,
        "state": publication.state,
        "published_at": _time(publication.published_at),
        "withdrawn_at": _time(publication.withdrawn_at),
        "withdrawal_reason": publication.withdrawal_reason or None,
        "url": absolute("portal:publication", code=publication.code),
        "json": absolute("portal:publication_json", code=publication.code),
        "figures": dict(publication.figures),
    }


def campaign_row(publication: Publication) -> list[Any]:
    """The campaign CSV's row: CAMPAIGN_COLUMNS, then the figures in FIGURE_LABELS' order."""
    return [
        publication.code,
        publication.department.name,
        publication.title,
        publication.state,
        _time(publication.published_at),
        _time(publication.withdrawn_at),
        publication.withdrawal_reason,
        absolute("portal:publication", code=publication.code),
        *(publication.figures.get(key, "") for key in FIGURE_LABELS),
    ]


def _publication(code: str) -> Publication:
    publication = publication_by_code(normalize_code(code))
    if publication is None:
        raise Http404
    return publication


def _campaign(bureau: str, year: int) -> tuple[Any, list[Publication]]:
    found = campaign_publications(bureau, year)
    if found is None:
        raise Http404
    return found


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _json(document: dict[str, Any]) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/json; charset=utf-8", headers=OPEN_HEADERS)


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return HttpResponse(
        buffer.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={**OPEN_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )
