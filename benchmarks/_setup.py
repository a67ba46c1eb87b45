"""Shared set-up for benchmark scripts: Django on a throw-away test database with the demo data."""

import os
import platform
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


@contextmanager
def benchmark_database() -> Iterator[None]:
    """A fresh database (bench_<name>) with the demo data, dropped afterwards."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    # No setup_test_environment(): it instruments template rendering for the test client, whose
    # signal receivers Django then keeps in an lru_cache with every request's context (some
    # 3,000 objects each), so the collector's full passes grow to ~600 ms: not what a server does.
    old_name = connection.settings_dict["NAME"]
    # Its own name, so a benchmark never collides with a test run's test_<name>.
    connection.settings_dict["TEST"]["NAME"] = f"bench_{old_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", publish=False, stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def describe_machine() -> str:
    cpus = os.cpu_count()
    return (
        f"{platform.platform()} · Python {platform.python_version()} · {cpus} CPU · "
        f"reference loop {reference_loop_ms():.2f} ms"
    )


def reference_loop_ms() -> float:
    """A fixed pure-Python workload, timed: these VMs' speed drifts (×1.5 in an afternoon), and
    figures from two runs compare only alongside this one."""
    import time

    timings = []
    for _ in range(21):
        start = time.perf_counter()
        sum(number * number for number in range(100_000))
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def summary(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"{label}: n={len(ordered)} median={statistics.median(ordered) * 1000:.2f} ms "
        f"p95={p95 * 1000:.2f} ms max={ordered[-1] * 1000:.2f} ms"
    )
