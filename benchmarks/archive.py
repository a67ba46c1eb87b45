"""Publishing: what a published PDF costs beyond a preview, for the 湛江市商务局 2019 package.

    .venv/bin/python benchmarks/archive.py             # 5 warm runs each
    .venv/bin/python benchmarks/archive.py --runs 3

In this process, warm (fonts and stylesheet loaded), medians of wall and CPU time:
1. the preview: read the evaluation, lay the package out and write PDF/UA-1;
2. the published variant of the same: PDF/A-3b, tagged, the stamp (code and QR code) on every
   page and the data JSON and workbook attached (the JSON and workbook made beforehand);
3. the bureau's PAdES signature of that PDF (an incremental update), alone;
4. the data JSON and the workbook, each made once per publication;
5. `ArtifactBuilder.build("package")` as the publishing task calls it (2 + 3).
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _setup import benchmark_database, describe_machine


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of `runs` warm runs (one cold run first), and a result."""
    result = work()
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def measure(runs: int) -> list[tuple[str, float, float, str]]:
    from django.conf import settings
    from django.db import transaction
    from django_scopes import scopes_disabled

    from evaluations.excel.export import workbook_bytes
    from evaluations.models import Evaluation
    from evaluations.selectors.evaluations import evaluation_with_parts
    from publishing.archive import ArtifactBuilder
    from publishing.data_export import publication_json
    from publishing.documents.catalogue import PACKAGE
    from publishing.documents.renderer import evaluation_data, render_document
    from publishing.signing import demo_certificate_create, sign_pdf
    from tests.factories import publication_of

    settings.SIGNING_KEYS_DIR = Path(tempfile.mkdtemp()) / "keys"
    rows = []
    with scopes_disabled(), transaction.atomic():
        pk = Evaluation.objects.get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        ).pk
        evaluation = evaluation_with_parts(pk=pk)
        assert evaluation is not None  # noqa: S101 -- loaded by load_demo just before
        publication = publication_of(evaluation)
        jurisdiction = publication.jurisdiction
        demo_certificate_create(jurisdiction)

        def preview() -> Any:
            with evaluation_data(evaluation, draft=False) as data:
                return render_document(data, PACKAGE)

        wall, cpu, rendered = timed(runs, preview)
        rows.append(("1. preview (PDF/UA-1)", wall, cpu, f"{len(rendered.content):,} B"))

        with evaluation_data(evaluation, draft=False) as data:
            builder = ArtifactBuilder(publication, data)
            wall, cpu, made = timed(runs, lambda: publication_json(publication, data))
            rows.append(("4. data JSON", wall, cpu, f"{len(made):,} B"))
            wall, cpu, made = timed(runs, lambda: workbook_bytes(evaluation))
            rows.append(("4. workbook (.xlsx)", wall, cpu, f"{len(made):,} B"))
            archival = builder.archival  # the JSON and the workbook, made once

        def published() -> Any:
            with evaluation_data(evaluation, draft=False) as data:
                return render_document(data, PACKAGE, archival=archival)

        wall, cpu, archived = timed(runs, published)
        rows.append(("2. published (PDF/A-3b)", wall, cpu, f"{len(archived.content):,} B"))

        wall, cpu, signed = timed(runs, lambda: sign_pdf(archived.content, jurisdiction))
        rows.append(("3. signature", wall, cpu, f"+{len(signed) - len(archived.content):,} B"))

        def build() -> Any:
            with evaluation_data(evaluation, draft=False) as data:
                return ArtifactBuilder(publication, data).build(PACKAGE)

        wall, cpu, built = timed(runs, build)
        rows.append(("5. build('package')", wall, cpu, f"{len(built.content):,} B"))
        transaction.set_rollback(True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    print(describe_machine())
    with benchmark_database():
        rows = measure(options.runs)
    print(f"{'':28}{'wall':>9}{'CPU':>9}  size")
    for label, wall, cpu, size in rows:
        print(f"{label:28}{wall:8.2f}s{cpu:8.2f}s  {size}")


if __name__ == "__main__":
    main()
