"""Documents: the 湛江市商务局 2019 package (自评报告, 评分表, 基础数据表, 财政资金情况表), timed.

    .venv/bin/python benchmarks/documents.py              # everything, 5 warm runs each, on CPU 0
    .venv/bin/python benchmarks/documents.py --runs 3 --skip-chromium
    PROFILE=cumulative .venv/bin/python benchmarks/documents.py --profile

1. The whole path as the command and the preview take it, in this process on one core: read the
   evaluation, build the HTML, lay it out and write the PDF; warm (fonts and stylesheet loaded).
2. The same HTML side by side, each variant in its own process (peak memory is the process's,
   or the process tree's for Chromium): (a) WeasyPrint with HarfBuzz subsetting, (b) WeasyPrint
   with its fontTools fallback, (c) headless Chromium's print-to-PDF from the command line
   (process start included) and (d) driven by Playwright in one running browser (start excluded).
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _setup import ROOT, benchmark_database, describe_machine

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


def render_in_process(runs: int, profile: bool) -> tuple[dict[str, Any], str]:
    """Warm timings of the whole path, and the package's HTML (for the side-by-side runs)."""
    from django_scopes import scopes_disabled

    from evaluations.models import Evaluation
    from evaluations.selectors.evaluations import evaluation_with_parts
    from publishing.documents.catalogue import PACKAGE, package_parts
    from publishing.documents.renderer import document_html, evaluation_data, render_document

    def zhanjiang_2019() -> Evaluation:
        pk = Evaluation.objects.get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        ).pk
        evaluation = evaluation_with_parts(pk=pk)
        assert evaluation is not None  # noqa: S101 -- loaded by load_demo just before
        return evaluation

    def once() -> tuple[float, float, Any]:
        started, cpu = time.perf_counter(), time.process_time()
        with scopes_disabled(), evaluation_data(zhanjiang_2019(), draft=False) as data:
            rendered = render_document(data, PACKAGE)
        return time.perf_counter() - started, time.process_time() - cpu, rendered

    cold_wall, _, rendered = once()
    warm = [once() for _ in range(runs)]
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        once()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE", "cumulative")).print_stats(40)
    with scopes_disabled(), evaluation_data(zhanjiang_2019(), draft=False) as data:
        html = document_html(data, package_parts(data), title="package", package=True)
    found = {
        "cold": cold_wall,
        "wall": statistics.median(w for w, _, _ in warm),
        "cpu": statistics.median(c for _, c, _ in warm),
        "pages": rendered.pages,
        "size": len(rendered.content),
    }
    return found, html


def weasyprint_child(html_path: str, runs: int, fonttools: bool) -> None:
    """Runs in its own process: the HTML to PDF, cold then warm; prints JSON."""
    import resource

    import weasyprint.pdf.fonts

    from publishing.documents.fetcher import AllowListFetcher
    from publishing.documents.renderer import renderer

    if fonttools:
        weasyprint.pdf.fonts.harfbuzz_subset = None  # as if libharfbuzz-subset were missing
    html = Path(html_path).read_text(encoding="utf-8")
    timings, cpu, content, pages = [], [], b"", 0
    for _ in range(runs + 1):
        began, began_cpu = time.perf_counter(), time.process_time()
        content, pages = renderer().render_html(html, AllowListFetcher())
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "first": timings[0],
                "first_cpu": cpu[0],
                "wall": statistics.median(timings[1:]) if runs else timings[0],
                "cpu": statistics.median(cpu[1:]) if runs else cpu[0],
                "pages": pages,
                "size": len(content),
                "peak": peak,
            }
        )
    )


class TreeMemory:
    """Peak resident memory of a process and its children, sampled every 10 ms."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.peak = 0
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        import psutil

        while self.running:
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.01)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak


def chromium_cli(html_path: Path, runs: int) -> dict[str, Any]:
    """chromium --print-to-pdf per run: process start included."""
    import resource

    out = html_path.with_suffix(".chromium.pdf")
    timings, peaks, cpu = [], [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 -- Debian's chromium on our own file
            [
                CHROMIUM,
                *CHROMIUM_ARGS,
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                html_path.as_uri(),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        memory = TreeMemory(process.pid)
        process.wait()
        peaks.append(memory.stop())
        timings.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return {
        "wall": statistics.median(timings),
        "cpu": statistics.median(cpu),
        "pages": pdf_pages(out),
        "size": out.stat().st_size,
        "peak": max(peaks),
    }


def chromium_playwright(html: str, runs: int) -> dict[str, Any]:
    """One running browser, a page per run: process start excluded."""
    import psutil
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS[1:])
        chromium_pids = [
            p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()
        ]
        memory = TreeMemory(chromium_pids[0].pid) if chromium_pids else None
        timings, cpu, content = [], [], b""
        for _ in range(runs + 1):
            page = browser.new_page()
            began, began_cpu = time.perf_counter(), tree_cpu(chromium_pids)
            page.set_content(html, wait_until="load")
            content = page.pdf(prefer_css_page_size=True)
            timings.append(time.perf_counter() - began)
            cpu.append(tree_cpu(chromium_pids) - began_cpu)
            page.close()
        browser.close()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        pages = pdf_pages(Path(file.name))
    return {
        "wall": statistics.median(timings[1:]),
        "cpu": statistics.median(cpu[1:]),
        "pages": pages,
        "size": len(content),
        "peak": memory.stop() if memory else 0,
    }


def tree_cpu(roots: list[Any]) -> float:
    """CPU seconds used so far by these processes and every child they have now."""
    import psutil

    total = 0.0
    for root in roots:
        try:
            for process in [root, *root.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            continue
    return total


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)  # noqa: S603, S607
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


def weasyprint_variant(html_path: Path, runs: int, *, fonttools: bool) -> dict[str, Any]:
    import resource

    args = [sys.executable, __file__, "--child", str(html_path), "--runs", str(runs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(  # noqa: S603 -- this script, in a fresh process
        [*args, *(["--fonttools"] if fonttools else [])],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LOG_LEVEL": "ERROR"},
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    found["process"] = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found["process_cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return found


def standalone_html(html: str) -> str:
    """The package's HTML with the print stylesheet inlined, for Chromium."""
    css = (ROOT / "templates" / "pdf" / "print.css").read_text(encoding="utf-8")
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


def row(label: str, found: dict[str, Any], base: float) -> str:
    """Wall time, and CPU time (this process, or the browser's tree), with its ratio to (a)'s."""
    wall, cpu = found["wall"], found.get("cpu", found["wall"])
    return (
        f"{label:<44} {wall:7.3f} s  CPU {cpu:6.3f} s  ×{cpu / base:5.2f}  "
        f"{found['pages'] / cpu:6.1f} pages/CPU-s  "
        f"{found['pages']:3d} pages  {found['size'] / 1024:7.0f} KiB  "
        f"peak {found.get('peak', 0) / 2**20:6.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child")
    parser.add_argument("--fonttools", action="store_true")
    parser.add_argument("--skip-chromium", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--core", type=int, default=0, help="the one CPU every variant runs on (inherited)"
    )
    options = parser.parse_args()
    os.sched_setaffinity(0, {options.core})  # children (WeasyPrint, Chromium) inherit it
    import django

    django.setup()
    if options.child:
        weasyprint_child(options.child, options.runs, options.fonttools)
        return
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "·", describe_machine())
    with benchmark_database():
        whole, html = render_in_process(options.runs, options.profile)
    print(
        f"whole path, in process: first {whole['cold']:.3f} s, warm median {whole['wall']:.3f} s "
        f"(CPU {whole['cpu']:.3f} s), {whole['pages']} pages, {whole['size'] / 1024:.0f} KiB"
    )
    with tempfile.TemporaryDirectory() as folder:
        html_path = Path(folder) / "package.html"
        html_path.write_text(standalone_html(html), encoding="utf-8")
        harfbuzz = weasyprint_variant(html_path, options.runs, fonttools=False)
        one_shot = weasyprint_variant(html_path, 0, fonttools=False)
        fonttools = weasyprint_variant(html_path, 1, fonttools=True)
        base = harfbuzz["cpu"]
        print(row("(a) WeasyPrint + HarfBuzz subsetting, warm", harfbuzz, base))
        first = {**harfbuzz, "wall": harfbuzz["first"], "cpu": harfbuzz["first_cpu"]}
        print(row("    first render of a process", first, base))
        started = {**one_shot, "wall": one_shot["process"], "cpu": one_shot["process_cpu"]}
        print(row("    one render, process start included", started, base))
        print(row("(b) WeasyPrint + fontTools subsetting, warm", fonttools, base))
        if not options.skip_chromium:
            print(
                row(
                    "(c) Chromium --print-to-pdf, start included",
                    chromium_cli(html_path, options.runs),
                    base,
                )
            )
            print(
                row(
                    "(d) Chromium (Playwright), start excluded",
                    chromium_playwright(standalone_html(html), options.runs),
                    base,
                )
            )
    print("reference loop after the runs:", describe_machine())


if __name__ == "__main__":
    main()
