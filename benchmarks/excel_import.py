"""Excel import of a workbook with an extra sheet of 1.2 million cells, the old way and the new,
each in a fresh process, side by side.

    .venv/bin/python benchmarks/excel_import.py [--repeat 3] [--rows 40000] [--columns 30]

Builds, in a temporary directory, a genuine export of 湛江市商务局 2019 (24 funds lines) with one
cell changed, and the unchanged export plus an extra sheet of `--rows` × `--columns` random digits
(the issue's file: about 3.5 MB, 1.2 million cells, passing every check the import had). Then runs,
in turn and `--repeat` times, each in a new Python process with Django set up and its heap settled
as a server's:

    old      openpyxl.load_workbook(read_only=False) of the attack file, as the import did
    refused  the import service on the attack file (refused by the cell count)
    genuine  the import service on the genuine export (it saves 人员情况; rolled back)

and prints the wall time, the RSS before the step, the peak RSS (the child's ru_maxrss, from
wait4; the high-water mark is reset just before the step, so the set-up's own peak is not
counted), what the step added, and the RSS the process kept after it, with ratios to the old way.

The script that launches the children imports no Django: a child's ru_maxrss starts from the size
of the process that started it. A sibling process holds the throw-away test database with the
demo data (and the files) while the children run.
"""

import argparse
import gc
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _setup import ROOT, benchmark_database, describe_machine

VARIANTS = ("old", "refused", "genuine")
FILES = {"old": "附加工作表.xlsx", "refused": "附加工作表.xlsx", "genuine": "自评.xlsx"}
MB = 1024  # ru_maxrss and VmRSS are in KiB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--columns", type=int, default=30)
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.folder), args.database)
    elif args.prepare:
        prepare(Path(args.folder), rows=args.rows, columns=args.columns)
    else:
        run(repeat=args.repeat, rows=args.rows, columns=args.columns)


# ---------------------------------------------------------------------------------------------
# The parent: files, children, table


def run(*, repeat: int, rows: int, columns: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        size = ["--rows", str(rows), "--columns", str(columns)]
        holder = subprocess.Popen(  # noqa: S603 -- our own interpreter and script
            [sys.executable, __file__, "--prepare", "--folder", name, *size],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        database = read_line(holder.stdout)
        results: dict[str, list[dict[str, Any]]] = {variant: [] for variant in VARIANTS}
        try:
            for _ in range(repeat):
                for variant in VARIANTS:
                    results[variant].append(spawn(variant, folder, database))
        finally:
            holder.communicate("done\n")
        attack, genuine = (folder / FILES[variant] for variant in ("old", "genuine"))
        sizes = (
            f"attack file: {attack.stat().st_size / 1024 / 1024:.2f} MB, {rows * columns:,} cells "
            f"in the extra sheet; genuine export: {genuine.stat().st_size / 1024:.1f} KB"
        )
    print(describe_machine())
    print(machine_facts())
    print(sizes)
    print(table(results))


def read_line(stream: Any) -> str:
    line = stream.readline().strip() if stream else ""
    if not line:
        raise SystemExit("the database could not be prepared")
    return str(line)


def prepare(folder: Path, *, rows: int, columns: int) -> None:
    """The test database and the files, kept until the launcher says it is done."""
    with benchmark_database():
        from django.db import connection

        build_files(folder, rows=rows, columns=columns)
        print(connection.settings_dict["NAME"], flush=True)
        sys.stdin.readline()


def build_files(folder: Path, *, rows: int, columns: int) -> None:
    """The genuine export with one cell changed, and the export with the extra sheet."""
    import openpyxl
    from django_scopes import scope

    from evaluations.excel.export import workbook_bytes
    from evaluations.excel.imports import read_workbook
    from tests.evaluations.excel.files import sheet_xml, with_extra_sheet

    evaluation = demo_evaluation()
    with scope(
        jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
    ):
        exported = workbook_bytes(evaluation)
        layouts = read_workbook(exported, evaluation, name="自评.xlsx").layouts
    staffing = next(layout for layout in layouts if layout["key"] == "basic.staffing")
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    workbook[staffing["sheet"]][staffing["cells"]["staff_authorized"]].value = 62
    changed = io.BytesIO()
    workbook.save(changed)
    attack = with_extra_sheet(exported, sheet_xml(rows, columns))
    (folder / FILES["old"]).write_bytes(attack)
    (folder / FILES["genuine"]).write_bytes(changed.getvalue())


def demo_evaluation() -> Any:
    from django_scopes import scopes_disabled

    from evaluations.models import Evaluation

    with scopes_disabled():
        return Evaluation.objects.select_related("department", "campaign").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )


def spawn(variant: str, folder: Path, database: str) -> dict[str, Any]:
    """One variant in a new process: its report, and its peak RSS as the kernel counted it."""
    command = [sys.executable, __file__, "--child", variant, "--folder", str(folder)]
    report_file = folder / f"{variant}.json"
    with report_file.open("w") as output:
        # Popen and wait4 rather than run: wait4 returns the child's own resource usage.
        process = subprocess.Popen(  # noqa: S603 -- our own interpreter and script
            [*command, "--database", database], stdout=output, cwd=ROOT
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{variant} exited with {process.returncode}")
    report: dict[str, Any] = json.loads(report_file.read_text().strip().splitlines()[-1])
    report["peak_kb"] = usage.ru_maxrss
    return report


def table(results: dict[str, list[dict[str, Any]]]) -> str:
    """Medians over the runs, and their ratios to the old way's."""
    medians = {
        variant: {
            key: statistics.median(run[key] for run in runs)
            for key in ("seconds", "before_kb", "peak_kb", "after_kb")
        }
        for variant, runs in results.items()
    }
    old = medians["old"]
    old_added = old["peak_kb"] - old["before_kb"]
    lines = [
        "| variant | outcome | wall time | RSS before | peak RSS | added by the step | "
        "RSS kept after | time ÷ old | added ÷ old |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for variant, figures in medians.items():
        # The kernel updates the high-water mark lazily: a step that adds nothing can read a
        # fraction of a MB below the RSS before it.
        added = max(figures["peak_kb"] - figures["before_kb"], 0)
        lines.append(
            f"| {variant} | {results[variant][0]['outcome']} | {figures['seconds']:.2f} s | "
            f"{figures['before_kb'] / MB:.0f} MB | {figures['peak_kb'] / MB:.0f} MB | "
            f"{added / MB:.1f} MB | {figures['after_kb'] / MB:.0f} MB | "
            f"{figures['seconds'] / old['seconds']:.3f} | {added / old_added:.3f} |"
        )
    runs = "; ".join(
        f"{variant} "
        + ", ".join(
            f"{run['seconds']:.2f} s / {run['peak_kb'] / MB:.0f} MB" for run in results[variant]
        )
        for variant in VARIANTS
    )
    return "\n".join([*lines, f"each run (wall time / peak RSS): {runs}"])


def machine_facts() -> str:
    """nproc, free -h and the CPU model, as docs/benchmarks.md records them."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    free = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    return f"nproc {os.cpu_count()} · {model}\n{free.rstrip()}"


# ---------------------------------------------------------------------------------------------
# A child: one step, measured


def child(variant: str, folder: Path, database: str) -> None:
    import django

    django.setup()
    from django.db import connection

    from config.heap import settle_heap

    connection.settings_dict["NAME"] = database
    steps = {"old": old_way, "refused": new_way, "genuine": new_way}
    # Everything but the step itself: imports, queries, the file's bytes.
    step = steps[variant](folder / FILES[variant])
    settle_heap()
    reset_peak()
    before = current_rss_kb()
    start = time.perf_counter()
    outcome = step()
    seconds = time.perf_counter() - start
    gc.collect()
    report = {"outcome": outcome, "seconds": seconds, "before_kb": before}
    print(json.dumps({**report, "after_kb": current_rss_kb()}))


def reset_peak() -> None:
    """Reset the process's RSS high-water mark, which ru_maxrss reads (Linux 4.0 and later)."""
    Path("/proc/self/clear_refs").write_text("5")


def old_way(file: Path) -> Any:
    import openpyxl

    data = file.read_bytes()

    def step() -> str:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=False, data_only=False, keep_links=False
        )
        cells = sum(sheet.max_row * sheet.max_column for sheet in workbook.worksheets)
        del workbook
        return f"loaded ({cells:,} cells in the sheets' ranges)"

    return step


def new_way(file: Path) -> Any:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django_scopes import scope

    from departments.roles import Role
    from evaluations.excel.layout import CONTENT_TYPE, ExcelRefused
    from evaluations.services.excel_import import excel_import

    evaluation = demo_evaluation()
    filler = get_user_model().objects.get(username="zhanjiang-filler")
    upload = SimpleUploadedFile(file.name, file.read_bytes(), CONTENT_TYPE)

    def step() -> str:
        tenant = scope(
            jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
        )
        with tenant, transaction.atomic():
            try:
                result = excel_import(
                    evaluation=evaluation, upload=upload, by=filler, roles=frozenset({Role.FILLER})
                )
            except ExcelRefused as refusal:
                return f"refused: {refusal}"
            transaction.set_rollback(True)
        return f"imported, saved {'、'.join(result.saved) or 'nothing'} (rolled back)"

    return step


def current_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
