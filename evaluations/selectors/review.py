"""The reviewer's dashboard of a campaign: counts, progress, overdue departments, the table of
departments and the charts' data, read from the evaluations' summaries in a fixed number of queries.

Two queries whatever the number of departments: the campaign's evaluations (one row each, with
the summary columns `evaluations.services.summaries` keeps) and their transitions. Counting,
filtering, sorting and binning then happen in Python over at most a few thousand rows, which
costs less than one more round trip per count or chart.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Campaign, Evaluation, Transition
from evaluations.models.campaigns import SUMMARY_FIELDS

State = Evaluation.State

# Done, as far as the department is concerned: a returned evaluation is back in its hands.
SUBMITTED_OR_LATER = frozenset({State.SUBMITTED, State.APPROVED, State.PUBLISHED})
# Still with the department: overdue once the campaign's deadline has passed.
OPEN_STATES = frozenset({State.DRAFT, State.RETURNED})
# A claimed total further than this from the computed one stands out on the scatter chart.
DEPARTURE_POINTS = Decimal(5)
BIN_WIDTH = 10


@dataclass(frozen=True)
class DashboardRow:
    """One department's line of the table."""

    evaluation_id: int
    department: str
    department_slug: str
    state: str
    submitted_at: datetime.datetime | None
    late: bool  # submitted after the deadline
    overdue: bool  # not submitted, and the deadline has passed
    computed: Decimal | None
    claimed: Decimal | None
    verified: Decimal | None
    grade: str
    errors: int
    warnings: int
    flags: int
    summarized: bool  # False until the first summary: its counts are not known yet

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    @property
    def departure(self) -> Decimal | None:
        """Claimed minus computed: what the department claims beyond (or below) the rules."""
        if self.claimed is None or self.computed is None:
            return None
        return self.claimed - self.computed

    @property
    def departs(self) -> bool:
        departure = self.departure
        return departure is not None and abs(departure) > DEPARTURE_POINTS


# The table's columns by their name in ?sort=: how each is read for sorting.
SORT_KEYS: dict[str, Callable[[DashboardRow], Any]] = {
    "department": lambda row: row.department,
    "state": lambda row: list(State.values).index(row.state),
    "submitted_at": lambda row: row.submitted_at,
    "late": lambda row: row.late or row.overdue,
    "computed": lambda row: row.computed,
    "claimed": lambda row: row.claimed,
    "verified": lambda row: row.verified,
    "grade": lambda row: row.grade or None,
    "errors": lambda row: row.errors if row.summarized else None,
    "warnings": lambda row: row.warnings if row.summarized else None,
    "flags": lambda row: row.flags if row.summarized else None,
    "departure": lambda row: row.departure,
}
DEFAULT_SORT = "department"


@dataclass(frozen=True)
class DashboardQuery:
    """What the table shows: its filters and its order, as read from the query string."""

    state: str = ""
    overdue: bool = False
    late: bool = False
    text: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "DashboardQuery":
        """Read ?state=, ?overdue=1, ?late=1, ?q= and ?sort=[-]column; anything unknown is ignored."""
        sort = params.get("sort", "")
        descending = sort.startswith("-")
        sort = sort.removeprefix("-")
        state = params.get("state", "")
        return cls(
            state=state if state in State.values else "",
            overdue=params.get("overdue") == "1",
            late=params.get("late") == "1",
            text=params.get("q", "").strip()[:100],
            sort=sort if sort in SORT_KEYS else DEFAULT_SORT,
            descending=descending and sort in SORT_KEYS,
        )

    @property
    def filtered(self) -> bool:
        return bool(self.state or self.overdue or self.late or self.text)

    def matches(self, row: DashboardRow) -> bool:
        return (
            (not self.state or row.state == self.state)
            and (not self.overdue or row.overdue)
            and (not self.late or row.late)
            and (not self.text or self.text.casefold() in row.department.casefold())
        )

    def ordered(self, rows: Iterable[DashboardRow]) -> list[DashboardRow]:
        """Sorted by the chosen column; rows without a value come last either way."""
        key = SORT_KEYS[self.sort]
        by_name = sorted(rows, key=lambda row: row.department)
        known = [row for row in by_name if key(row) is not None]
        unknown = [row for row in by_name if key(row) is None]
        return sorted(known, key=key, reverse=self.descending) + unknown

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string's parameters for this query with some changed (links keep filters)."""
        query = replace(self, **changes)
        found = {
            "state": query.state,
            "overdue": "1" if query.overdue else "",
            "late": "1" if query.late else "",
            "q": query.text,
            "sort": ("-" if query.descending else "") + query.sort,
        }
        if found["sort"] == DEFAULT_SORT:
            found["sort"] = ""
        return {name: value for name, value in found.items() if value}


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


@dataclass
class Dashboard:
    """Everything the dashboard page shows; `charts` is what dashboard.js draws (JSON-ready)."""

    campaign: Campaign
    total: int
    counts: list[StateCount]
    done: int
    overdue: list[DashboardRow]
    rows: list[DashboardRow]  # the table: filtered and sorted
    rows_all: list[DashboardRow]  # every department, by name
    query: DashboardQuery
    charts: dict[str, Any] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def campaign_dashboard(*, campaign: Campaign, query: DashboardQuery | None = None) -> Dashboard:
    """The campaign's dashboard, its table filtered and sorted by `query`; two queries."""
    query = query or DashboardQuery()
    every = campaign_rows(campaign=campaign)
    by_state = Counter(row.state for row in every)
    counts = [StateCount(state, str(label), by_state[state]) for state, label in State.choices]
    return Dashboard(
        campaign=campaign,
        total=len(every),
        counts=counts,
        done=sum(by_state[state] for state in SUBMITTED_OR_LATER),
        overdue=[row for row in every if row.overdue],
        rows=query.ordered(row for row in every if query.matches(row)),
        rows_all=every,
        query=query,
        charts={
            "progress": progress_over_time(campaign=campaign, total=len(every)),
            "scores": score_histogram(every),
            "grades": grade_counts(every),
            "scatter": claimed_against_computed(every),
        },
    )


def campaign_rows(*, campaign: Campaign) -> list[DashboardRow]:
    """Every department's row of the campaign, by department name; one query."""
    today = timezone.localdate()
    overdue_possible = campaign.due_on is not None and today > campaign.due_on
    found = (
        Evaluation.objects.filter(campaign=campaign)
        .order_by("department__name", "pk")
        .values_list(
            "pk",
            F("department__name"),
            F("department__slug"),
            "state",
            "submitted_at",
            "submitted_late",
            *SUMMARY_FIELDS,
        )
    )
    return [
        DashboardRow(
            evaluation_id=pk,
            department=name,
            department_slug=slug,
            state=state,
            submitted_at=submitted_at,
            late=late,
            overdue=overdue_possible and state in OPEN_STATES,
            computed=computed,
            claimed=claimed,
            verified=verified,
            grade=grade,
            errors=errors,
            warnings=warnings,
            flags=flags,
            summarized=summarized_at is not None,
        )
        for (
            pk,
            name,
            slug,
            state,
            submitted_at,
            late,
            computed,
            claimed,
            verified,
            grade,
            errors,
            warnings,
            flags,
            summarized_at,
        ) in found
    ]


# --- charts --------------------------------------------------------------------------------------


def progress_over_time(*, campaign: Campaign, total: int) -> dict[str, Any]:
    """How many evaluations were in each state at the end of each day a transition happened;
    every evaluation starts as a draft. One query over the campaign's transitions."""
    moves = Transition.objects.filter(evaluation__campaign=campaign).order_by("at", "pk")
    where: dict[int, str] = {}
    counts = Counter({State.DRAFT.value: total})
    days: dict[str, dict[str, int]] = {}
    for evaluation_id, to_state, at in moves.values_list("evaluation_id", "to_state", "at"):
        counts[where.get(evaluation_id, State.DRAFT)] -= 1
        counts[to_state] += 1
        where[evaluation_id] = to_state
        days[timezone.localdate(at).isoformat()] = {state: counts[state] for state in State.values}
    return {
        "days": list(days),
        "series": [
            {"state": state, "name": str(label), "data": [day[state] for day in days.values()]}
            for state, label in State.choices
        ],
    }


def score_histogram(rows: Iterable[DashboardRow]) -> dict[str, Any]:
    """Computed scores in 10-point bins from 0 to 100 (the last bin holds 100 and above)."""
    bins = [0] * (100 // BIN_WIDTH)
    for row in rows:
        if row.computed is not None:
            index = min(max(int(row.computed // BIN_WIDTH), 0), len(bins) - 1)
            bins[index] += 1
    labels = [f"{start}–{start + BIN_WIDTH}" for start in range(0, 100, BIN_WIDTH)]
    return {"labels": labels, "counts": bins, "name": _("自评数")}


def grade_counts(rows: Iterable[DashboardRow]) -> dict[str, Any]:
    """Evaluations counted by grade, best grade first (ordered by the best score in each)."""
    best: dict[str, Decimal] = {}
    count: Counter[str] = Counter()
    for row in rows:
        if row.grade and row.computed is not None:
            count[row.grade] += 1
            best[row.grade] = max(best.get(row.grade, row.computed), row.computed)
    grades = sorted(count, key=lambda grade: best[grade], reverse=True)
    return {"grades": grades, "counts": [count[grade] for grade in grades], "name": _("自评数")}


def claimed_against_computed(rows: Iterable[DashboardRow]) -> dict[str, Any]:
    """Points (computed, claimed, department) for the scatter chart, those departing by more than
    five points apart, so that they stand out."""
    within: list[list[Any]] = []
    beyond: list[list[Any]] = []
    for row in rows:
        if row.departure is None:
            continue
        point = [float(row.computed or 0), float(row.claimed or 0), row.department]
        (beyond if row.departs else within).append(point)
    return {
        "within": within,
        "beyond": beyond,
        "threshold": int(DEPARTURE_POINTS),
        "names": {
            "within": _("相差 %(points)s 分以内") % {"points": DEPARTURE_POINTS},
            "beyond": _("相差超过 %(points)s 分") % {"points": DEPARTURE_POINTS},
            "computed": _("计算得分"),
            "claimed": _("自评得分"),
        },
    }
