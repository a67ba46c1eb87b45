"""Sections: the autosave units of an evaluation's tables, registered by the table modules.

A section is a form (or a formset of rows) over part of one official table. Each table module in
`evaluations/tables/` registers its sections; the generic views render, autosave and check them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from django.forms import BaseForm, BaseFormSet
from django.http import QueryDict

from departments.roles import Role
from evaluations.models import Evaluation
from evaluations.tables.inputs import numbers_as_text
from evaluations.workflow import EDITABLE_STATES, editable

SectionForm = BaseForm | BaseFormSet


class FormFactory(Protocol):
    """Builds the section's form or formset; `prefix` keeps ids unique across one page."""

    def __call__(
        self,
        evaluation: Evaluation,
        data: QueryDict | None = None,
        files: Any = None,
        *,
        prefix: str,
    ) -> SectionForm: ...


@dataclass(frozen=True)
class Section:
    """One autosave unit: how to build its form, save it, and read its values for the rules."""

    key: str  # stable id used in URLs, rules and SectionState, e.g. "basic.staffing"
    title: str  # Chinese heading shown to the user
    table: str  # slug of the official table it belongs to (see register_table), e.g. "basic"
    build_form: FormFactory
    save: Callable[[Evaluation, Any], None]
    values: Callable[[Evaluation], Mapping[str, Any]]  # data-dictionary and table keys
    template: str  # renders the form's inputs inside templates/evaluations/_section.html
    applies_to: Callable[[Evaluation], bool] = field(default=lambda evaluation: True)
    # Optional template of computed cells (with ids) re-rendered out of band after each save.
    live_template: str | None = None
    # The data-dictionary inputs alone, when `values` also builds heavy rows for the rules;
    # scoring a campaign of many evaluations reads only these.
    inputs: Callable[[Evaluation], Mapping[str, Any]] | None = None
    # Who may change the section, and in which states of the evaluation.
    editors: frozenset[Role] = frozenset({Role.FILLER})
    editable_states: frozenset[str] = EDITABLE_STATES

    def can_edit(self, roles: frozenset[Role], evaluation: Evaluation) -> bool:
        return bool(self.editors & roles) and editable(evaluation, self.editable_states)

    # Sections made per object of an evaluation (a project's tables, see `register_source`):
    # `scope` groups the values the rules see together ("project.12"), `family` is the key the
    # rules name ("project.funds" for "project.12.funds"), `url` is the page that shows them.
    scope: str = ""
    family: str | None = None
    url: str | None = None

    @property
    def rules_key(self) -> str:
        return self.family or self.key

    # Optional title that depends on the evaluation (a report chapter's heading from its template).
    title_for: Callable[[Evaluation], str] | None = None

    @property
    def prefix(self) -> str:
        """Form prefix and HTML id stem, e.g. "basic-staffing"."""
        return self.key.replace(".", "-").replace("_", "-")

    def form(self, evaluation: Evaluation, data: QueryDict | None = None, files: Any = None) -> Any:
        return numbers_as_text(self.build_form(evaluation, data, files, prefix=self.prefix))


@dataclass(frozen=True)
class Table:
    """An official table (基础数据表, 财政资金情况表 …): one page made of sections."""

    slug: str
    title: str
    applies_to: Callable[[Evaluation], bool] = field(default=lambda evaluation: True)
    wide: bool = False  # a wide grid (funds, scores): the checks panel goes below, not beside
    # Optional template shown above the sections (the projects table lists its projects).
    template: str | None = None


_TABLES: dict[str, Table] = {}
_REGISTRY: dict[str, Section] = {}
_SOURCES: list[Callable[[Evaluation], list[Section]]] = []


def register_table(table: Table) -> Table:
    if table.slug in _TABLES:
        raise ValueError(f"Table {table.slug} is registered twice.")
    _TABLES[table.slug] = table
    return table


def tables_for(evaluation: Evaluation) -> list[Table]:
    """The official tables an evaluation fills, in registration order."""
    return [table for table in _TABLES.values() if table.applies_to(evaluation)]


def table_by_slug(slug: str) -> Table | None:
    return _TABLES.get(slug)


def register(section: Section) -> Section:
    if section.key in _REGISTRY:
        raise ValueError(f"Section {section.key} is registered twice.")
    _REGISTRY[section.key] = section
    return section


def sections_for(evaluation: Evaluation, *, table: str | None = None) -> list[Section]:
    """The sections an evaluation shows (of one table, if given), in registration order."""
    tables = {t.slug for t in tables_for(evaluation)}
    return [
        replace(section, title=section.title_for(evaluation)) if section.title_for else section
        for section in _REGISTRY.values()
        if section.table in tables
        and (table is None or section.table == table)
        and section.applies_to(evaluation)
    ]


def register_source(source: Callable[[Evaluation], list[Section]]) -> None:
    """Register a maker of sections per object of an evaluation (one set per project)."""
    _SOURCES.append(source)


def scoped_sections(evaluation: Evaluation) -> list[Section]:
    """The sections made per object of the evaluation (one set per project), each with its own
    values scope; read afresh at every call, so a project added meanwhile is there."""
    return [section for source in _SOURCES for section in source(evaluation)]


def section_for(evaluation: Evaluation, key: str) -> Section | None:
    """The evaluation's section `key`, registered or made per object; None if it has none."""
    for section in (*sections_for(evaluation), *scoped_sections(evaluation)):
        if section.key == key:
            return section
    return None
