"""Opening a campaign: every participating department's draft evaluation, with last year's projects
as empty shells, made by the opening job (eager here, as without a broker).

    .venv/bin/python benchmarks/campaign_open.py [--sizes 10 1000] [--projects 2]

For each size, makes a jurisdiction with that many departments, each with a previous-year
evaluation holding `--projects` projects, then the bureau admin presses 「开始填报」 (the POST
through the whole stack: middleware, view, service, the job on commit) and the script prints the
seconds and the number of queries, and checks that every department has one draft and its shells.
Target (issue 11): 1,000 departments under 10 s. Uses a throw-away test database.
"""

import argparse
import time
from typing import Any

from _setup import benchmark_database, describe_machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--projects", type=int, default=2)
    args = parser.parse_args()
    print(describe_machine())
    with benchmark_database():
        for size in args.sizes:
            run(size, args.projects)


def run(size: int, projects: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from evaluations.models import Campaign, Evaluation, ProjectEvaluation

    with scopes_disabled():
        jurisdiction, admin, campaign = _tenant(size, projects)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    url = reverse(
        "bureau:campaign_open", kwargs={"jurisdiction": jurisdiction.slug, "pk": campaign.pk}
    )
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.post(url)
        seconds = time.perf_counter() - start
    if response.status_code != 302:
        raise SystemExit(f"开始填报 answered {response.status_code}")
    with scopes_disabled():
        campaign.refresh_from_db()
        drafts = Evaluation.objects.filter(campaign=campaign, state="draft").count()
        shells = ProjectEvaluation.objects.filter(evaluation__campaign=campaign).count()
    made = (campaign.status, drafts, campaign.opening_done, shells)
    if made != (Campaign.Status.OPEN, size, size, size * projects):
        raise SystemExit(f"not as expected (status, drafts, done, shells): {made}")
    print(
        f"{size} departments: {seconds:.2f} s, {len(queries)} queries "
        f"({drafts} drafts, {shells} project shells)"
    )


def _tenant(size: int, projects: int) -> tuple[Any, Any, Any]:
    """A jurisdiction of `size` departments, last year's campaign with their projects, this
    year's campaign in preparation, and its bureau admin."""
    from django.contrib.auth import get_user_model

    from departments.models import Department, Jurisdiction, JurisdictionMembership
    from departments.roles import Role
    from evaluations.models import Campaign, Evaluation, ProjectEvaluation

    slug = f"bench-{size}"
    jurisdiction = Jurisdiction.objects.create(
        slug=slug, name=f"基准{size}市财政局", area_name="基准市"
    )
    Department.objects.bulk_create(
        Department(jurisdiction=jurisdiction, slug=f"{slug}-{n}", name=f"第{n}局")
        for n in range(size)
    )
    departments = list(Department.objects.filter(jurisdiction=jurisdiction))
    last_year = Campaign.objects.create(
        jurisdiction=jurisdiction, fiscal_year=2024, title="2024年度", status="closed"
    )
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(campaign=last_year, department=department) for department in departments
    )
    ProjectEvaluation.objects.bulk_create(
        ProjectEvaluation(evaluation=evaluation, name=f"项目{n}", budget_executed=1)
        for evaluation in evaluations
        for n in range(projects)
    )
    campaign = Campaign.objects.create(
        jurisdiction=jurisdiction, fiscal_year=2025, title="2025年度", status="preparing"
    )
    admin = get_user_model().objects.create_user(username=f"{slug}-admin")
    JurisdictionMembership.objects.create(
        user=admin, jurisdiction=jurisdiction, role=Role.BUREAU_ADMIN
    )
    return jurisdiction, admin, campaign


if __name__ == "__main__":
    main()
