"""历史: what happened to an evaluation, read back from the audit trail and the workflow's log.

The audit triggers (evaluations/models/audit.py) keep a copy of each row after every insert and
update and before every delete; a change is the difference between a row's consecutive copies.
Each row of the history names the person, their address, the table, the row and the field by
their labels, never by keys, with the old and the new value as the page shows them.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.selectors import person_name
from evaluations.models import Evaluation, Transition
from evaluations.models.audit import EVENT_MODELS
from evaluations.models.funds import COLUMN_LABELS
from evaluations.workflow import STEPS

INSERT, UPDATE, DELETE, TRANSITION = "insert", "update", "delete", "transition"
# The copy of a row that existed before its table was tracked (migration 0018_audit): the old
# values of its first change, not a change itself.
BASELINE = "baseline"
KINDS = {
    INSERT: gettext_lazy("新增"),
    UPDATE: gettext_lazy("修改"),
    DELETE: gettext_lazy("删除"),
    TRANSITION: gettext_lazy("流程"),
}
# The 栏目 of a transition, as the filter lists it.
WORKFLOW = "workflow"

# Keys and bookkeeping, not anything a person entered.
HIDDEN_FIELDS = {"id", "evaluation"}
# Where a row's own name is, in the order tried (a fund line's 项目名称, a chapter's 标题 …).
LABEL_FIELDS = ("name", "heading", "original_name", "indicator_code", "level2", "level1", "code")
# Ratios are stored as fractions with six decimals (parts.ratio_field) and shown as percentages.
RATIO_PLACES = 6


@dataclass(frozen=True)
class HistoryRow:
    """One recorded change: a field's old and new value, a row added or deleted, or a step."""

    when: datetime
    who: str
    who_id: int | None
    address: str
    kind: str
    section_key: str
    section: str  # the table's title, or 流程 for a transition
    row: str  # the row's own label ("" for a one-row table)
    field: str  # the field's verbose_name, or the step's label
    old: str
    new: str
    reason: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


@dataclass(frozen=True)
class HistoryOptions:
    """What the filter form offers: the people and the tables that appear in the history."""

    people: list[tuple[int, str]]
    sections: list[tuple[str, str]]
    kinds: list[tuple[str, str]]


def evaluation_history(
    *,
    evaluation: Evaluation,
    who: int | None = None,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    section: str | None = None,
) -> list[HistoryRow]:
    """Every change and step of the evaluation, newest first, filtered by person, kind, table
    and dates (inclusive, in local time)."""
    rows = _all_rows(evaluation)
    return filter_history(rows, who=who, kind=kind, since=since, until=until, section=section)


def filter_history(
    rows: Iterable[HistoryRow],
    *,
    who: int | None = None,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    section: str | None = None,
) -> list[HistoryRow]:
    """The rows that match every filter given."""
    return [
        row
        for row in rows
        if (who is None or row.who_id == who)
        and (not kind or row.kind == kind)
        and (not section or row.section_key == section)
        and (since is None or timezone.localtime(row.when).date() >= since)
        and (until is None or timezone.localtime(row.when).date() <= until)
    ]


def history_options(rows: Iterable[HistoryRow]) -> HistoryOptions:
    """The filter's choices, from the unfiltered history."""
    people: dict[int, str] = {}
    sections: dict[str, str] = {}
    for row in rows:
        if row.who_id is not None:
            people[row.who_id] = row.who
        sections[row.section_key] = row.section
    return HistoryOptions(
        people=sorted(people.items(), key=lambda item: item[1]),
        sections=sorted(sections.items(), key=lambda item: item[1]),
        kinds=[(key, str(label)) for key, label in KINDS.items()],
    )


def _all_rows(evaluation: Evaluation) -> list[HistoryRow]:
    events = list(_events(evaluation))
    transitions = list(Transition.objects.filter(evaluation=evaluation).order_by("at", "pk"))
    names = _people(
        {_context_user(event) for _, event in events}
        | {transition.actor_id for transition in transitions}
    )
    rows = [
        row
        for model, event_rows in _by_object(events)
        for row in _changes(model, event_rows, names)
    ]
    rows += [_step(transition, names) for transition in transitions]
    # Newest first; within one moment, the order in which it was written.
    return sorted(rows, key=lambda row: row.when, reverse=True)


def _events(evaluation: Evaluation) -> Iterator[tuple[type[models.Model], Any]]:
    """(tracked model, event) for every event of the evaluation, oldest first per table."""
    for tracked, event_model in EVENT_MODELS.items():
        if tracked is Evaluation:
            events = event_model._default_manager.filter(pgh_obj_id=evaluation.pk)
        elif any(f.name == "evaluation" for f in event_model._meta.fields):
            events = event_model._default_manager.filter(evaluation_id=evaluation.pk)
        else:
            continue
        for event in events.order_by("pgh_obj_id", "pgh_id"):
            yield tracked, event


def _by_object(
    events: list[tuple[type[models.Model], Any]],
) -> Iterator[tuple[type[models.Model], list[Any]]]:
    grouped: dict[tuple[type[models.Model], int], list[Any]] = defaultdict(list)
    for model, event in events:
        grouped[(model, event.pgh_obj_id)].append(event)
    for (model, _pk), event_rows in grouped.items():
        yield model, event_rows


def _changes(
    model: type[models.Model], events: list[Any], names: dict[int, str]
) -> Iterator[HistoryRow]:
    """A row's history: the cells each event changed against the copy before it."""
    fields = [
        f
        for f in model._meta.concrete_fields
        # Links to other rows (a fund line's parent, who last saved) and automatic timestamps
        # are bookkeeping: the person who changed something is the row's 人员 already.
        if f.name not in HIDDEN_FIELDS
        and not f.is_relation
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        and hasattr(events[0], f.attname)
    ]
    placement = {str(f.verbose_name) for f in fields if f.name == "order"}
    before: dict[str, str] | None = None
    for event in events:
        base = _base(model, event, names)
        if event.pgh_label == DELETE:
            yield HistoryRow(**base, kind=DELETE, field="", old="", new="")
            before = None
            continue
        cells = dict(_cells(model, fields, event))
        if event.pgh_label == BASELINE:
            before = cells
            continue
        if before is None:
            # A new row: its filled cells, but not its name (the 行 column shows it) nor its
            # place in the list.
            shown = [
                (label, "", value)
                for label, value in cells.items()
                if value and value != base["row"] and label not in placement
            ]
            kind = INSERT if event.pgh_label == INSERT else UPDATE
        else:
            shown = [
                (label, before.get(label, ""), value)
                for label, value in cells.items()
                if before.get(label, "") != value
            ]
            shown += [(label, old, "") for label, old in before.items() if label not in cells]
            kind = UPDATE
        for label, old, new in shown:
            yield HistoryRow(**base, kind=kind, field=label, old=old, new=new)
        if not shown and kind == INSERT:
            yield HistoryRow(**base, kind=INSERT, field="", old="", new="")
        before = cells


def _cells(
    model: type[models.Model], fields: list[models.Field], event: Any
) -> Iterator[tuple[str, str]]:
    """(label, shown value) of each field; a mapping (上报数) as one cell per key."""
    for field in fields:
        value = getattr(event, field.attname)
        if isinstance(value, dict):
            for key in sorted(value):
                label = f"{field.verbose_name}：{_key_label(model, key)}"
                yield label, _shown(field, value[key])
        else:
            yield str(field.verbose_name), _shown(field, value)


def _key_label(model: type[models.Model], key: str) -> str:
    """A mapping's key by its label: a field of the model, or a computed column of the funds."""
    if key in COLUMN_LABELS:
        return str(COLUMN_LABELS[key])
    try:
        return str(model._meta.get_field(key).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return key


def _base(model: type[models.Model], event: Any, names: dict[int, str]) -> dict[str, Any]:
    context = event.pgh_context or {}
    user = context.get("user")
    return {
        "when": event.pgh_created_at,
        "who": names.get(user, "") if user else _("系统"),
        "who_id": user,
        "address": context.get("remote_addr") or "",
        "section_key": model._meta.model_name,
        "section": str(model._meta.verbose_name),
        "row": _label(event),
    }


def _label(event: Any) -> str:
    for name in LABEL_FIELDS:
        value = getattr(event, name, None)
        if value:
            return str(value)
    return ""


def _step(transition: Transition, names: dict[int, str]) -> HistoryRow:
    step = STEPS.get(transition.name)
    states = dict(Evaluation.State.choices)
    return HistoryRow(
        when=transition.at,
        who=names.get(transition.actor_id, ""),
        who_id=transition.actor_id,
        address=transition.remote_addr or "",
        kind=TRANSITION,
        section_key=WORKFLOW,
        section=_("流程"),
        row="",
        field=str(step.label) if step else transition.name,
        old=str(states.get(transition.from_state, transition.from_state)),
        new=str(states.get(transition.to_state, transition.to_state)),
        reason=transition.reason,
    )


def _context_user(event: Any) -> int | None:
    return (event.pgh_context or {}).get("user")


def _people(ids: set[int | None]) -> dict[int, str]:
    users = get_user_model()._default_manager.filter(pk__in=[pk for pk in ids if pk is not None])
    return {user.pk: person_name(user) for user in users}


def _shown(field: models.Field, value: Any) -> str:
    """A stored value as a person reads it: labels for choices, 是/否, percentages for ratios."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        if getattr(field, "decimal_places", None) == RATIO_PLACES:
            return f"{(value * 100).quantize(Decimal('0.01'))}%"
        return f"{value:f}"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return str(value)
