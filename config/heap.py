"""Garbage-collector settings for a serving process, applied once the application is loaded.

A request builds tens of thousands of short-lived objects (a funds table is 25 forms of 23
fields). With CPython's defaults, collections in the middle of a request promote them to the
oldest generation, whose full passes then walk every object of Django and the project as well:
on this project's 2-core machine they pushed the p95 of a funds-table save from ~95 to ~170 ms
(benchmarks/section_save.py, docs/benchmarks.md). Freezing the start-up heap takes those objects
out of every pass; a larger first generation lets most of a request's objects die young.
"""

import gc

FIRST_GENERATION = 50_000  # allocations between young collections (CPython's default: 700)


def settle_heap() -> None:
    """Call once, after the application is loaded (before serving): loads the URLconf, and with
    it every view, so that they are part of the frozen heap."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads the views' modules)
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION, second, third)
