"""Autosave of a section through the whole stack (middleware, form, version check, checks panel).

    .venv/bin/python benchmarks/section_save.py [--saves 1000] [--only funds.figures] [--default-gc]
    PROFILE=cumulative .venv/bin/python benchmarks/section_save.py --saves 100   # with cProfile

Saves 湛江市商务局 2019's 人员情况 (a small form) and its 财政资金情况表 figures (24 lines), each
`--saves` times in alternation, as the browser does (HTMX request, based on the current version),
and prints median and p95 per section. Uses a throw-away test database with the demo data.
"""

import argparse
import cProfile
import os
import pstats
import time
from typing import Any
from urllib.parse import urlencode

from _setup import benchmark_database, describe_machine, summary

FORM_ENCODED = "application/x-www-form-urlencoded"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--only", help="one section key, e.g. funds.figures")
    parser.add_argument(
        "--default-gc", action="store_true", help="without config/heap.py's collector settings"
    )
    args = parser.parse_args()
    with benchmark_database():
        run(args.saves, args.only, default_gc=args.default_gc)


def run(saves: int, only: str | None = None, *, default_gc: bool = False) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_scopes import scope, scopes_disabled

    from config.heap import settle_heap
    from departments.models import DepartmentMembership
    from evaluations.models import Evaluation
    from evaluations.selectors.evaluations import section_versions
    from evaluations.tables.registry import section_for

    with scopes_disabled():
        evaluation = Evaluation.objects.select_related("department", "campaign").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )
        filler = DepartmentMembership.objects.get(
            department=evaluation.department, role="filler"
        ).user
    client = Client(HTTP_HOST="127.0.0.1")  # a host ALLOWED_HOSTS has by default
    client.force_login(filler)

    def tenant() -> object:
        return scope(
            jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
        )

    with tenant():  # type: ignore[attr-defined]
        sections = {
            s.key: s
            for s in (
                section_for(evaluation, "basic.staffing"),
                section_for(evaluation, "funds.figures"),
            )
            if s
        }
        payloads = {
            key: _payload(s.form(evaluation)) for key, s in sections.items() if only in (None, key)
        }

    def save(url: str, data: dict[str, str], section: Any) -> Any:
        """One autosave as HTMX posts it: form-encoded, based on the current version."""
        with tenant():  # type: ignore[attr-defined]
            version = section_versions(evaluation, [section])[section.key]
        body = urlencode({**data, "based_on": str(version)})
        return client.post(url, body, content_type=FORM_ENCODED, HTTP_HX_REQUEST="true")

    if not default_gc:
        settle_heap()  # as config/wsgi.py does before serving
    timings: dict[str, list[float]] = {key: [] for key in payloads}
    queries: dict[str, int] = {}
    profiler = cProfile.Profile() if os.environ.get("PROFILE") else None
    if profiler:
        profiler.enable()
    for index in range(saves):
        for key, data in payloads.items():
            url = reverse(
                "department:section_save",
                kwargs={"department": "zhanjiang-commerce", "pk": evaluation.pk, "key": key},
            )
            if index == 0:  # count the queries of one save apart: capturing them costs time
                with CaptureQueriesContext(connection) as captured:
                    save(url, data, sections[key])
                queries[key] = len(captured)
            start = time.perf_counter()
            response = save(url, data, sections[key])
            timings[key].append(time.perf_counter() - start)
            if response.status_code != 200:
                raise SystemExit(f"save {index} of {key} answered {response.status_code}")
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE", "cumulative")).print_stats(45)
    print(describe_machine())
    heap = "CPython's default gc" if default_gc else "heap settled as in config/heap.py"
    for key, seconds in timings.items():
        print(summary(f"save {key} ({heap})", seconds) + f" queries={queries[key]}")


def _payload(form: Any) -> dict[str, str]:
    """The form as the browser posts it, unchanged (a save of the same values still saves)."""
    from django.forms import BaseFormSet

    data: dict[str, str] = {}
    forms = [form.management_form, *form.forms] if isinstance(form, BaseFormSet) else [form]
    for each in forms:
        for name, field in each.fields.items():
            value = each[name].value()
            if field.disabled or value is None or value is False:
                continue
            data[each.add_prefix(name)] = "on" if value is True else str(value)
    return data


if __name__ == "__main__":
    main()
