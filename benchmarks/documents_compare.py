"""The package of 湛江市商务局 2019 from two revisions, side by side in one process.

    .venv/bin/python benchmarks/documents_compare.py 6fb1512              # it against the work tree
    .venv/bin/python benchmarks/documents_compare.py 6fb1512 --pairs 15

These VMs' speed drifts (×1.5 to ×3 within an hour), so two runs of `benchmarks/documents.py`
one after the other compare poorly. Here each revision makes its package HTML and reads its print
stylesheet once (the other revision from a temporary `git worktree`, in a child process on the
same demo database); then this process lays out and writes both alternately, on one core, with
one font configuration, and prints the median CPU time of each and the median of the per-pair
ratios. Both revisions must share the database schema of the work tree.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _setup import ROOT, benchmark_database, describe_machine

# Run by a child in a revision's tree: that revision's package HTML and print stylesheet, as JSON.
DUMP = """
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django_scopes import scopes_disabled
from evaluations.models import Evaluation
from evaluations.selectors.evaluations import evaluation_with_parts
from publishing.documents.catalogue import package_parts
from publishing.documents.renderer import PRINT_CSS, document_html, evaluation_data
with scopes_disabled():
    pk = Evaluation.objects.get(
        department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
    ).pk
    with evaluation_data(evaluation_with_parts(pk=pk), draft=False) as data:
        html = document_html(data, package_parts(data), title="package", package=True)
json.dump({"html": html, "css": PRINT_CSS.read_text(encoding="utf-8")}, sys.stdout)
"""


def dump(tree: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(  # noqa: S603 -- this interpreter, our own code
        [sys.executable, "-c", DUMP], cwd=tree, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def revision_tree(revision: str, folder: str) -> Path:
    tree = Path(folder) / "tree"
    subprocess.run(  # noqa: S603 -- git, on the revision given on our command line
        ["git", "worktree", "add", "--detach", "--quiet", str(tree), revision],  # noqa: S607
        cwd=ROOT,
        check=True,
    )
    return tree


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("revision", help="the revision to compare the work tree with")
    parser.add_argument("--pairs", type=int, default=11)
    parser.add_argument("--core", type=int, default=0)
    options = parser.parse_args()
    os.sched_setaffinity(0, {options.core})
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "·", describe_machine())
    import django

    django.setup()
    from django.db import connection
    from weasyprint import CSS

    from config.databases import url_of
    from publishing.documents.fetcher import AllowListFetcher
    from publishing.documents.renderer import Renderer

    with benchmark_database(), tempfile.TemporaryDirectory() as folder:
        url = url_of(connection.settings_dict)
        tree = revision_tree(options.revision, folder)
        try:
            sources = {options.revision: dump(tree, url), "work tree": dump(ROOT, url)}
        finally:
            remove = ["git", "worktree", "remove", "--force", str(tree)]
            subprocess.run(remove, cwd=ROOT, check=True)  # noqa: S603 -- our own worktree

    renderer = Renderer()
    stylesheets = {
        name: CSS(
            string=source["css"], font_config=renderer.font_config, url_fetcher=AllowListFetcher()
        )
        for name, source in sources.items()
    }

    def once(name: str) -> tuple[float, int, int]:
        renderer.stylesheet = stylesheets[name]
        started = time.process_time()
        content, pages = renderer.render_html(sources[name]["html"], AllowListFetcher())
        return time.process_time() - started, pages, len(content)

    for name in sources:
        once(name)  # warm
    found: dict[str, list[Any]] = {name: [] for name in sources}
    for _ in range(options.pairs):
        for name in sources:
            found[name].append(once(name))
    base = options.revision
    for name, runs in found.items():
        ratios = [run[0] / old[0] for run, old in zip(runs, found[base], strict=True)]
        cpu = statistics.median(run[0] for run in runs)
        _, pages, size = runs[-1]
        print(
            f"{name:>12}  CPU median {cpu:.3f} s  × {statistics.median(ratios):.3f} (pairs)  "
            f"{pages} pages  {size / 1024:.0f} KiB"
        )
    print("reference loop after the runs:", describe_machine())


if __name__ == "__main__":
    main()
