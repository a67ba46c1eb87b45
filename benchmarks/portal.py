"""The public portal with 10,000 publications: queries and server time of its pages.

    .venv/bin/python benchmarks/portal.py [--runs 21] [--size 10000]

Builds, in a throw-away test database with the demo data, 20 bureaus × 5 years × 100
departments' publications (bulk inserts: departments, campaigns, evaluations, publications, two
artifacts each; every tenth withdrawn), then requests the list, a search, a filter, a
publication, a campaign, the feed and the open data through Django's test Client, anonymously,
and prints for each the number of queries and the server time (median of `--runs`, after one
warm-up request). The goal is under 100 ms with a constant number of queries.
"""

import argparse
import statistics
import time
from typing import Any

from _setup import benchmark_database, describe_machine

BUREAUS = 20
YEARS = (2019, 2020, 2021, 2022, 2023)
FIGURES = {
    "total_score": "89.19",
    "score_basis": "系统按评分表计算得分",
    "grade": "良",
    "completion_rate": "97.73%",
    "execution_rate": "96.79%",
    "actual_expenditure": "4165.93",
}
NAMES = ("商务局", "文化广电旅游局", "教育局", "卫生健康局", "财政局", "公安局", "交通运输局")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    with benchmark_database():
        run(args.runs, args.size)


def run(runs: int, size: int) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    print(describe_machine())
    started = time.perf_counter()
    sample = build(size)
    print(f"built {size} publications in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a table at rest
    client = Client(HTTP_HOST="127.0.0.1")  # a host ALLOWED_HOSTS has by default
    pages = {
        "list": (reverse("portal:index"), {}),
        "list, page 200": (reverse("portal:index"), {"page": "200"}),
        "search 「商务局」": (reverse("portal:index"), {"q": "商务局"}),
        "search 「第7市第12」": (reverse("portal:index"), {"q": "第7市第12"}),
        "search 「市 文化」": (reverse("portal:index"), {"q": "市 文化"}),
        "filter bureau+year": (reverse("portal:index"), {"bureau": "bench-7", "year": "2021"}),
        "detail": (reverse("portal:publication", args=[sample.code]), {}),
        "campaign (100)": (reverse("portal:campaign", args=["bench-7", 2021]), {}),
        "feed (50)": (reverse("portal:feed"), {}),
        "publication json": (reverse("portal:publication_json", args=[sample.code]), {}),
        "campaign json": (reverse("portal:campaign_json", args=["bench-7", 2021]), {}),
        "campaign csv": (reverse("portal:campaign_csv", args=["bench-7", 2021]), {}),
    }
    for label, (url, params) in pages.items():
        client.get(url, params)  # warm: templates compiled
        # The log of queries holds 9,000 at most and is full after the build (DEBUG is on):
        # emptied, or the capture would count none.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"{label}: status {response.status_code}")
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url, params)
            timings.append(time.perf_counter() - start)
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        print(
            f"{label:<22} {len(queries.captured_queries)} queries ({sql_ms:.1f} ms), server time median "
            f"{statistics.median(timings) * 1000:.1f} ms (of {runs}; min "
            f"{min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f})"
        )


def build(size: int) -> Any:
    """`size` publications over BUREAUS bureaus and YEARS; returns one published publication."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from departments.models import Department, Jurisdiction
    from evaluations.models import Campaign, Evaluation
    from publishing.models import Artifact, Publication

    per_campaign = size // (BUREAUS * len(YEARS))
    now = timezone.now()
    with scopes_disabled():
        bureaus = Jurisdiction.objects.bulk_create(
            Jurisdiction(slug=f"bench-{b}", name=f"第{b}市财政局", area_name=f"第{b}市")
            for b in range(BUREAUS)
        )
        departments = Department.objects.bulk_create(
            Department(
                jurisdiction=bureau,
                slug=f"bench-{b}-{d}",
                name=f"第{b}市第{d}{NAMES[d % len(NAMES)]}",
            )
            for b, bureau in enumerate(bureaus)
            for d in range(per_campaign)
        )
        campaigns = Campaign.objects.bulk_create(
            Campaign(jurisdiction=bureau, fiscal_year=year, title=f"{bureau.name}{year}年度自评")
            for bureau in bureaus
            for year in YEARS
        )
        by_bureau: dict[int, list[Department]] = {}
        for department in departments:
            by_bureau.setdefault(department.jurisdiction_id, []).append(department)
        evaluations = Evaluation.objects.bulk_create(
            Evaluation(campaign=campaign, department=department, state="published")
            for campaign in campaigns
            for department in by_bureau[campaign.jurisdiction_id]
        )
        campaign_of = {campaign.pk: campaign for campaign in campaigns}
        department_of = {department.pk: department for department in departments}
        publications = Publication.objects.bulk_create(
            publication(n, evaluation, campaign_of, department_of, now)
            for n, evaluation in enumerate(evaluations)
        )
        Artifact.objects.bulk_create(
            Artifact(
                publication=item,
                document=document,
                title=document,
                filename=f"{document}.pdf",
                mimetype="application/pdf",
                file=f"publications/{item.code}/{document}.pdf",
                sha256="0" * 64,
                size=123_456,
                pages=20,
                position=position,
            )
            for item in publications
            for position, document in enumerate(("package", "report"))
        )
    return publications[1]


def publication(n: int, evaluation: Any, campaign_of: Any, department_of: Any, now: Any) -> Any:
    from datetime import timedelta

    from publishing.models import Publication

    campaign = campaign_of[evaluation.campaign_id]
    department = department_of[evaluation.department_id]
    withdrawn = n % 10 == 0
    return Publication(
        evaluation=evaluation,
        department=department,
        jurisdiction_id=campaign.jurisdiction_id,
        fiscal_year=campaign.fiscal_year,
        title=f"{department.name}{campaign.fiscal_year}年度部门整体支出绩效自评报告",
        search_text=f"{department.name} {campaign.title}",
        state="withdrawn" if withdrawn else "published",
        published_at=now - timedelta(minutes=n),
        withdrawn_at=now if withdrawn else None,
        withdrawal_reason="数据有误，更正后重新公开" if withdrawn else "",
        figures=FIGURES,
    )


if __name__ == "__main__":
    main()
