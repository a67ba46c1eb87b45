"""The reviewer's dashboard of a campaign (bureau:campaign) at 10 and at 1,000 departments.

    .venv/bin/python benchmarks/dashboard.py [--runs 5]

Builds, in a throw-away test database with the demo data, two campaigns of 湛江市财政局 with 10
and 1,000 departments (bulk inserts: evaluations in every state, summaries set as
`evaluations.services.summaries` leaves them, a submission transition for each submitted one),
renders the dashboard through Django's test Client as the demo reviewer, and prints the number
of queries at both sizes and the server time (median of `--runs`) at 1,000.
"""

import argparse
import datetime
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from _setup import benchmark_database, describe_machine

SIZES = (10, 1000)
STATES = ("draft", "submitted", "returned", "approved", "published")
GRADES = ((90, "优"), (80, "良"), (60, "中"), (0, "差"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with benchmark_database():
        run(args.runs)


def run(runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from departments.models import JurisdictionMembership

    with scopes_disabled():
        reviewer = JurisdictionMembership.objects.select_related("user", "jurisdiction").get(
            jurisdiction__slug="zhanjiang", role="reviewer"
        )
    jurisdiction = reviewer.jurisdiction
    client = Client(HTTP_HOST="127.0.0.1")  # a host ALLOWED_HOSTS has by default
    client.force_login(reviewer.user)
    print(describe_machine())
    for size in SIZES:
        campaign = build_campaign(jurisdiction, reviewer.user, size)
        url = reverse(
            "bureau:campaign", kwargs={"jurisdiction": jurisdiction.slug, "pk": campaign.pk}
        )
        client.get(url)  # warm: templates compiled, session read once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        html = response.content.decode()
        shown = html.count(f'<th scope="row"><a href="/d/bench-{size}-')
        # The table shows a page of rows; the counts, charts and lists read all of them.
        if response.status_code != 200 or shown != min(size, 100) or f"{size} 个）" not in html:
            raise SystemExit(f"{size} departments: status {response.status_code}, {shown} rows")
        line = f"{size:>5} departments: {len(queries.captured_queries)} queries"
        if size == max(SIZES):
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                response = client.get(url + "?sort=-departure")
                timings.append(time.perf_counter() - start)
            line += (
                f", server time median {statistics.median(timings) * 1000:.1f} ms "
                f"(of {runs}; min {min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f})"
            )
        print(line)


def build_campaign(jurisdiction: Any, actor: Any, size: int) -> Any:
    """A campaign of `size` departments, their evaluations summarized, in a few bulk inserts."""
    from django.db import connection
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from departments.models import Department
    from evaluations.models import Campaign, Evaluation, Transition

    rng = random.Random(size)  # noqa: S311 (made-up figures, the same at every run)
    now = timezone.now()
    with scopes_disabled():
        campaign = Campaign.objects.create(
            jurisdiction=jurisdiction,
            fiscal_year=2030 + len(str(size)),
            title=f"基准测试 {size} 个部门",
            status=Campaign.Status.OPEN,
            due_on=timezone.localdate() - datetime.timedelta(days=3),
        )
        departments = Department.objects.bulk_create(
            Department(
                jurisdiction=jurisdiction, slug=f"bench-{size}-{n}", name=f"基准部门{size}-{n:04d}"
            )
            for n in range(size)
        )
        evaluations = Evaluation.objects.bulk_create(
            evaluation(campaign, department, rng, now) for department in departments
        )
        Transition.objects.bulk_create(
            Transition(
                evaluation=e,
                name="submit",
                from_state="draft",
                to_state="submitted",
                actor=actor,
            )
            for e in evaluations
            if e.state != "draft"
        )
    with connection.cursor() as cursor:
        # What autovacuum does after such inserts: without statistics the planner takes a
        # thousand rows for one and joins them in nested loops (150 ms instead of 5).
        cursor.execute("ANALYZE")
    return campaign


def evaluation(campaign: Any, department: Any, rng: random.Random, now: Any) -> Any:
    from evaluations.models import Evaluation

    state = rng.choice(STATES)
    computed = Decimal(rng.randint(3000, 10000)) / 100
    claimed = computed + Decimal(rng.choice((0, 0, 0, 2, 8, -6)))
    submitted = state != "draft"
    return Evaluation(
        campaign=campaign,
        department=department,
        state=state,
        submitted_at=now - datetime.timedelta(hours=rng.randint(1, 500)) if submitted else None,
        submitted_late=submitted and rng.random() < 0.2,
        computed_score=computed,
        claimed_score=claimed,
        verified_score=computed if state in ("approved", "published") else None,
        grade=next(grade for floor, grade in GRADES if computed >= floor),
        error_count=rng.randint(0, 5) if not submitted else 0,
        warning_count=rng.randint(0, 3) if not submitted else 0,
        flag_count=rng.randint(0, 4),
        summarized_at=now,
    )


if __name__ == "__main__":
    main()
