"""What a publication stores: each document, the package and the data, built one at a time.

The publishing task (publishing/tasks.py) asks an `ArtifactBuilder` for its `keys` and builds and
stores them one by one, so that a rerun after a killed worker builds only what is missing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from publishing.documents.catalogue import DOCUMENTS, PACKAGE, published_documents
from publishing.documents.data import DocumentData
from publishing.documents.renderer import evaluation_data, render_document
from publishing.models import Publication


@dataclass(frozen=True)
class BuiltArtifact:
    document: str  # a document's slug, 「package」, 「data」 or 「workbook」
    title: str
    filename: str  # the name a download gets (Chinese allowed)
    mimetype: str
    content: bytes
    pages: int | None


class ArtifactBuilder:
    """Builds the artifacts of one publication from the evaluation's data, read once."""

    def __init__(self, publication: Publication, data: DocumentData) -> None:
        self.publication = publication
        self.data = data

    @property
    def keys(self) -> list[str]:
        """Every artifact of the publication, in the order the portal lists them."""
        return [PACKAGE, *(document.slug for document in published_documents(self.data))]

    def build(self, key: str) -> BuiltArtifact:
        rendered = render_document(self.data, key)
        title = DOCUMENTS[key].title_for(self.data) if key in DOCUMENTS else key
        return BuiltArtifact(
            key, title, rendered.filename, rendered.mimetype, rendered.content, rendered.pages
        )


@contextmanager
def artifact_builder(publication: Publication) -> Iterator[ArtifactBuilder]:
    """A builder for the publication's evaluation (call inside the department's scope)."""
    with evaluation_data(publication.evaluation, draft=False) as data:
        yield ArtifactBuilder(publication, data)
