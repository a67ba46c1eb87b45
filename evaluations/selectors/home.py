"""What a user's home page shows, block by role: the filler's open evaluations, what awaits the
department head, the reviewer's queue and campaigns' progress. A user with several roles gets
each of their blocks.

The home page is not a tenant URL: each block enters the scope of the departments or bureaus in
which the user holds that role, so its queries fail closed like every tenant page's.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Count, Q
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from departments.models import DepartmentMembership, JurisdictionMembership
from departments.roles import Role
from departments.selectors import AnyUser
from evaluations.models import Campaign, Evaluation, SectionState, Transition
from evaluations.selectors.review import OPEN_STATES, SUBMITTED_OR_LATER
from evaluations.tables.registry import sections_for

State = Evaluation.State
# The review queue on the home page lists the oldest this many; each campaign's dashboard
# filtered by state lists them all.
QUEUE_LIMIT = 20


@dataclass(frozen=True)
class OpenEvaluation:
    """An evaluation still with its department (draft or returned), as a home page lists it."""

    evaluation: Evaluation
    sections_saved: int
    sections_total: int
    today: datetime.date
    return_reason: str = ""

    @property
    def due_on(self) -> datetime.date | None:
        return self.evaluation.campaign.due_on

    @property
    def days_left(self) -> int | None:
        """Days until the deadline (0 on the day itself); negative once it has passed."""
        return None if self.due_on is None else (self.due_on - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(-(self.days_left or 0), 0)

    @property
    def blocked(self) -> bool:
        """Whether the latest summary found what stops a submission (errors, unexplained warnings)."""
        return bool(self.evaluation.error_count or self.evaluation.warning_count)


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    total: int
    done: int  # submitted or later
    submitted: int  # awaiting review

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class BureauHome:
    """A bureau's block: the submitted evaluations awaiting review, oldest first, and its open
    campaigns' progress."""

    jurisdiction_slug: str
    jurisdiction_name: str
    queue: list[Evaluation]  # the oldest QUEUE_LIMIT
    queue_total: int
    campaigns: list[CampaignProgress]


@dataclass
class Home:
    filler: list[OpenEvaluation] = field(default_factory=list)
    head_pending: list[OpenEvaluation] = field(default_factory=list)
    head_returned: list[OpenEvaluation] = field(default_factory=list)
    bureaus: list[BureauHome] = field(default_factory=list)
    is_filler: bool = False
    is_head: bool = False


def home_for(*, user: AnyUser) -> Home:
    """The user's blocks, by the roles they hold."""
    home = Home()
    if not user.is_authenticated:
        return home
    fills = _departments_where(user, Role.FILLER)
    heads = _departments_where(user, Role.DEPARTMENT_HEAD)
    home.is_filler, home.is_head = bool(fills), bool(heads)
    if fills:
        home.filler = open_evaluations(departments=fills)
    if heads:
        pending = open_evaluations(departments=heads)
        home.head_pending = [e for e in pending if e.evaluation.state == State.DRAFT]
        home.head_returned = [e for e in pending if e.evaluation.state == State.RETURNED]
    with scopes_disabled():
        bureaus = list(
            JurisdictionMembership.objects.filter(
                user_id=cast(int, user.pk), role__in=[Role.REVIEWER, Role.BUREAU_ADMIN]
            )
            .values_list("jurisdiction_id", "jurisdiction__slug", "jurisdiction__name")
            .distinct()
            .order_by("jurisdiction__name")
        )
    home.bureaus = [
        bureau_home(jurisdiction_id=pk, slug=slug, name=name) for pk, slug, name in bureaus
    ]
    return home


def _departments_where(user: AnyUser, role: Role) -> dict[int, int]:
    """The user's departments in which they hold `role`: department id → jurisdiction id."""
    with scopes_disabled():
        return dict(
            DepartmentMembership.objects.filter(user_id=cast(int, user.pk), role=role).values_list(
                "department_id", "department__jurisdiction_id"
            )
        )


@contextmanager
def _departments_scope(departments: dict[int, int]) -> Iterator[None]:
    with scope(jurisdiction=sorted(set(departments.values())), department=sorted(departments)):
        yield


def open_evaluations(*, departments: dict[int, int]) -> list[OpenEvaluation]:
    """These departments' draft and returned evaluations, nearest deadline first, each with its
    saved sections counted and, if returned, the reviewer's reason; three queries."""
    today = timezone.localdate()
    with _departments_scope(departments):
        evaluations = list(
            Evaluation.objects.filter(state__in=OPEN_STATES)
            .select_related("campaign", "department")
            .order_by("campaign__due_on", "department__name", "pk")
        )
        ids = [evaluation.pk for evaluation in evaluations]
        saved: dict[int, set[str]] = {}
        for evaluation_id, key in SectionState.objects.filter(
            evaluation_id__in=ids, version__gt=0
        ).values_list("evaluation_id", "key"):
            saved.setdefault(evaluation_id, set()).add(key)
        reasons = dict(
            Transition.objects.filter(
                evaluation_id__in=[e.pk for e in evaluations if e.state == State.RETURNED],
                name__in=["return", "reopen"],
            )
            .order_by("at", "pk")
            .values_list("evaluation_id", "reason")
        )  # later transitions overwrite earlier ones: the latest reason of each is kept
    found = []
    for evaluation in evaluations:
        keys = {section.key for section in sections_for(evaluation)}
        found.append(
            OpenEvaluation(
                evaluation=evaluation,
                sections_saved=len(keys & saved.get(evaluation.pk, set())),
                sections_total=len(keys),
                today=today,
                return_reason=reasons.get(evaluation.pk, ""),
            )
        )
    return found


def bureau_home(*, jurisdiction_id: int, slug: str, name: str) -> BureauHome:
    """A bureau's review queue (submitted, oldest first) and its open campaigns' progress."""
    with scope(jurisdiction=jurisdiction_id, department=None):
        waiting = Evaluation.objects.filter(state=State.SUBMITTED)
        queue = list(
            waiting.select_related("campaign", "department").order_by("submitted_at", "pk")[
                :QUEUE_LIMIT
            ]
        )
        queue_total = len(queue) if len(queue) < QUEUE_LIMIT else waiting.count()
        campaigns = Campaign.objects.filter(status=Campaign.Status.OPEN).annotate(
            total=Count("evaluations"),
            done=Count("evaluations", filter=Q(evaluations__state__in=SUBMITTED_OR_LATER)),
            submitted=Count("evaluations", filter=Q(evaluations__state=State.SUBMITTED)),
        )
        progress = [
            CampaignProgress(campaign=c, total=c.total, done=c.done, submitted=c.submitted)
            for c in campaigns
        ]
    return BureauHome(slug, name, queue, queue_total, progress)
