"""Public reads of publications: the portal's lists, its detail page, the open data and the feed.

Everything here reads through `Publication.public` and `Artifact.public` (published or withdrawn
only) and needs no tenant scope. Each function costs a fixed number of queries, whatever the
number of publications: the portal is read by anyone, ten thousand publications deep.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib.postgres.search import TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from departments.models import Jurisdiction
from publishing import trigrams
from publishing.models import Artifact, Publication

# Search matches `search_text` (department name, title, campaign) with pg_trgm, PostgreSQL having
# no Chinese parser for full text: every word of the query (split at spaces) must occur in it as a
# substring (`~*`, served by the GIN trigram index from three characters on). Matches are ranked
# by trigram similarity to the whole query, so that 「商务局」 lists the texts closest to it first;
# on a server without pg_trgm (the quick start's embedded one) the same matches come newest first.
# Fuzzy matching by similarity alone was tried and left out: Chinese trigrams span three
# characters, so a query missing one (「湛江商务局」 for 「湛江市商务局」) scores 0.3 to 0.45 against
# a title, below any threshold that does not also match unrelated departments, and a threshold
# filter cannot use the index (150 ms for 10,000 publications against 3 ms for ILIKE).
SEARCH_MAX_LENGTH = 100

# The artifact that holds a publication's structured data (written by the archive step).
DATA_DOCUMENT = "data"


@dataclass(frozen=True)
class PortalQuery:
    """What the visitor asked the list for: all optional, unknown values simply match nothing."""

    q: str = ""
    bureau: str = ""
    year: int | None = None
    department: str = ""

    @classmethod
    def of(cls, params: Any) -> "PortalQuery":
        """From the query string (a QueryDict or a dict); bad values are dropped, not errors."""
        year = params.get("year", "")
        return cls(
            q=" ".join(params.get("q", "").split())[:SEARCH_MAX_LENGTH],
            bureau=params.get("bureau", "").strip(),
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            department=params.get("department", "").strip(),
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.bureau or self.year or self.department)


def public_publications() -> QuerySet[Publication]:
    """Published and withdrawn publications with what a list shows of them, newest first."""
    return Publication.public.select_related("department", "jurisdiction").order_by(
        "-published_at", "-pk"
    )


def portal_publications(query: PortalQuery) -> QuerySet[Publication]:
    """The list for a visitor's filters and search: the best matches first when searching."""
    publications = public_publications()
    if query.bureau:
        publications = publications.filter(jurisdiction__slug=query.bureau)
    if query.year:
        publications = publications.filter(fiscal_year=query.year)
    if query.department:
        publications = publications.filter(department__slug=query.department)
    if query.q:
        publications = search(publications, query.q)
    return publications


def portal_page(query: PortalQuery, number: str | None, per_page: int) -> Page[Publication]:
    """A page of the list: its publications' ids first, then their rows by id (three queries).

    The ids' query sorts narrow rows of one table; sorting the joined rows (department, bureau)
    of every public publication to keep twenty cost three times as much at 10,000."""
    ids = Paginator(portal_publications(query).values_list("pk", flat=True), per_page)
    page = ids.get_page(number)
    order = list(page.object_list)
    rows = Publication.public.select_related("department", "jurisdiction").in_bulk(order)
    # The page of rows keeps the ids' paginator: its count and number of pages are the same.
    return Page([rows[pk] for pk in order], page.number, cast(Any, page.paginator))


def search(publications: QuerySet[Publication], q: str) -> QuerySet[Publication]:
    """Publications whose `search_text` holds every word of `q`, the closest to `q` first."""
    every_word = Q()
    for word in q.split():
        # `~*` with the word escaped, not `icontains`: Django writes that as UPPER(search_text)
        # LIKE …, which the trigram index on search_text cannot serve (27 ms against 7 ms).
        every_word &= Q(search_text__iregex=re.escape(word))
    found = publications.filter(every_word)
    if not trigrams.ranks_by_similarity(publications.db):
        return found.order_by("-published_at", "-pk")
    return found.annotate(match=TrigramSimilarity("search_text", q)).order_by(
        "-match", "-published_at", "-pk"
    )


@dataclass(frozen=True)
class Choice:
    slug: str
    name: str


@dataclass(frozen=True)
class PortalFilters:
    """The choices of the list's filters: only what has something public behind it."""

    bureaus: list[Choice]
    years: list[int]
    departments: list[Choice]  # of the chosen bureau only: a province has thousands


def portal_filters(query: PortalQuery) -> PortalFilters:
    """Three queries at most (bureaus, years, the chosen bureau's departments), read through
    the publications: departments and bureaus are tenant data, their public names are not."""
    public = Publication.public.order_by()
    # One probe of the campaign index per bureau, not a pass over every publication.
    bureaus = Jurisdiction.objects.filter(
        Exists(public.filter(jurisdiction=OuterRef("pk")))
    ).values_list("slug", "name")
    years = public.values_list("fiscal_year", flat=True)
    departments = public.filter(jurisdiction__slug=query.bureau).values_list(
        "department__slug", "department__name"
    )
    return PortalFilters(
        [Choice(*row) for row in bureaus.order_by("name")],
        list(years.distinct().order_by("-fiscal_year")),
        [Choice(*row) for row in departments.distinct().order_by("department__name")]
        if query.bureau
        else [],
    )


def publication_by_code(code: str) -> Publication | None:
    """The public publication with this code (as stored), with its department and bureau."""
    return public_publications().filter(code=code).first()


def publication_artifacts(publication: Publication) -> list[Artifact]:
    """Its stored files in the order they are listed."""
    return list(Artifact.public.filter(publication=publication).order_by("position", "pk"))


def campaign_publications(bureau: str, year: int) -> tuple[Jurisdiction, list[Publication]] | None:
    """A bureau's public publications of a year, by department; None when there are none."""
    jurisdiction = Jurisdiction.objects.filter(slug=bureau).first()
    if jurisdiction is None:
        return None
    publications = list(
        public_publications()
        .filter(jurisdiction=jurisdiction, fiscal_year=year)
        .order_by("department__name", "-number")
    )
    return (jurisdiction, publications) if publications else None


def data_artifacts(publications: list[Publication]) -> dict[int, Artifact]:
    """The "data" artifact of each publication that has one, in one query."""
    return {
        artifact.publication_id: artifact
        for artifact in Artifact.public.filter(publication__in=publications, document=DATA_DOCUMENT)
    }


def publication_data_values(artifact: Artifact) -> list[dict[str, Any]]:
    """The flat `values` of a stored data artifact: [{key, label, value, unit}, …]."""
    with artifact.file.open("rb") as stored:
        data = json.load(stored)
    values = data.get("values") if isinstance(data, dict) else None
    return [row for row in values or [] if isinstance(row, dict)]


def feed_publications(limit: int) -> list[Publication]:
    """The newest publications and withdrawals, by the time of their latest change.

    Two queries, each served by the (state, published_at) index, merged here: ordering every
    public publication by "withdrawn, else published" time would sort them all."""
    published = public_publications().filter(state=Publication.State.PUBLISHED)[:limit]
    withdrawn = (
        public_publications()
        .filter(state=Publication.State.WITHDRAWN)
        .order_by("-withdrawn_at", "-pk")[:limit]
    )
    return sorted([*published, *withdrawn], key=changed_at, reverse=True)[:limit]


def changed_at(publication: Publication) -> datetime:
    # Public publications were all published; requested_at only satisfies the type.
    return publication.withdrawn_at or publication.published_at or publication.requested_at
