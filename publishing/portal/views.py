"""The public portal's pages: the list with its filters and search, a campaign, a publication.

No login, no tenant scope: the selectors read only published or withdrawn publications. A
publication still rendering or failed does not exist here (404).
"""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from publishing.figures import FIGURE_LABELS, figure_rows
from publishing.models import CODE_LENGTH, Publication, normalize_code
from publishing.selectors import (
    DATA_DOCUMENT,
    PortalQuery,
    campaign_publications,
    portal_filters,
    portal_page,
    publication_artifacts,
    publication_by_code,
)

PAGE_SIZE = 20

# The figures a list shows beside each publication (the detail page shows them all).
LIST_FIGURES = ("total_score", "grade", "completion_rate", "execution_rate")


@dataclass(frozen=True)
class Listed:
    """A publication as a list shows it: with its few key figures labelled."""

    publication: Publication
    figures: list[tuple[str, str, str]]


def listed(publications: list[Publication]) -> list[Listed]:
    return [
        Listed(
            publication, [row for row in figure_rows(publication.figures) if row[0] in LIST_FIGURES]
        )
        for publication in publications
    ]


def index(request: HttpRequest) -> HttpResponse:
    query = PortalQuery.of(request.GET)
    page = portal_page(query, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "publishing/portal/index.html",
        {
            "query": query,
            "filters": portal_filters(query),
            "page": page,
            "rows": listed(list(page.object_list)),
        },
    )


def campaign(request: HttpRequest, bureau: str, year: int) -> HttpResponse:
    """A bureau's publications of a year side by side: one table row each (hundreds of them)."""
    found = campaign_publications(bureau, year)
    if found is None:
        raise Http404
    jurisdiction, publications = found
    labels = [FIGURE_LABELS[key] for key in LIST_FIGURES]
    rows = [
        (
            publication,
            list(
                zip(labels, [publication.figures.get(key, "") for key in LIST_FIGURES], strict=True)
            ),
        )
        for publication in publications
    ]
    return render(
        request,
        "publishing/portal/campaign.html",
        {
            "jurisdiction": jurisdiction,
            "year": year,
            "columns": labels,
            "rows": rows,
        },
    )


def publication(request: HttpRequest, code: str) -> HttpResponse:
    """A publication by its verification code; a code typed as printed (dashes, lower case)
    is sent on to the address with the code as stored."""
    canonical = normalize_code(code)
    if len(canonical) != CODE_LENGTH:
        raise Http404
    if canonical != code:
        return redirect("portal:publication", code=canonical, permanent=True)
    found = publication_by_code(code)
    if found is None:
        raise Http404
    artifacts = publication_artifacts(found)
    return render(
        request,
        "publishing/portal/publication.html",
        {
            "publication": found,
            "figures": figure_rows(found.figures),
            "artifacts": artifacts,
            "has_data": any(artifact.document == DATA_DOCUMENT for artifact in artifacts),
        },
    )
