"""Scoring speed: one evaluation, a campaign of many rescored from the database, and an
indicator list of 50,000 rows.

    .venv/bin/python benchmarks/scoring.py [--departments 1000] [--repeat 1000] [--rows 50000]
    .venv/bin/python benchmarks/scoring.py --rows-only [--compare-with REV] [--rounds 3]

1. the pure engine on 湛江市商务局 2019's inputs (`--repeat` times);
2. one evaluation's scoring sheet, inputs gathered from the database;
3. a campaign of `--departments` evaluations (copies of 湛江 2019 in as many departments),
   rescored by `campaign_scorings` (one query per table for the whole campaign);
4. one evaluation's scoring sheet in that campaign (the campaign's aggregates cached);
5. `--rows` indicator rows (targets and actuals written as published tables write them, see
   `indicator_rows`) read and scored in process against yueyang-2023-project, with the reader's
   memory empty (a fresh process per run). `--compare-with REV` runs the engine of another
   commit on the same rows, alternating with this one, each run beside the reference loop.
Steps 1–4 use a throw-away test database with the demo data; step 5 needs none.
"""

import argparse
import copy
import gc
import json
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from _setup import ROOT, benchmark_database, describe_machine, reference_loop_ms, summary

ROWS_RUBRIC = "yueyang-2023-project"
# What the engine of any commit needs to score in process, without Django.
ENGINE_PATHS = [
    "rubrics/__init__.py",
    "rubrics/engine",
    "rubrics/library",
    "rubrics/library_files.py",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rows-only", action="store_true")
    parser.add_argument("--compare-with", metavar="REV")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--default-gc", action="store_true", help="without config/heap.py's settings"
    )
    parser.add_argument(
        "--plain-families",
        action="store_true",
        help="every row under 产出/效益/满意度指标 as written in the rubric (engines before issue 10 "
        "dropped 「产出指标（50分）」 and 「產出指標」 rows unscored)",
    )
    parser.add_argument("--worker", metavar="ENGINE_ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        timings = rows_run(
            args.rows,
            engine_root=args.worker,
            serving_gc=not args.default_gc,
            families=PLAIN_FAMILIES if args.plain_families else FAMILIES,
        )
        print(json.dumps(timings))
        return
    if not args.rows_only:
        with benchmark_database():
            run(args.departments, args.repeat)
    rows_case(args.rows, rounds=args.rounds, compare_with=args.compare_with, options=args)


def run(departments: int, repeat: int) -> None:
    from django_scopes import scope, scopes_disabled

    from evaluations.models import Evaluation
    from evaluations.scoring.department import (
        campaign_rubric,
        campaign_scorings,
        evaluation_scoring,
        scoring_inputs,
    )
    from evaluations.selectors.evaluations import evaluation_values
    from rubrics.engine.scoring import score

    with scopes_disabled():
        seed = Evaluation.objects.select_related("campaign", "department").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )
    campaign = seed.campaign
    print(describe_machine())
    with scope(jurisdiction=campaign.jurisdiction_id, department=None):
        rubric = campaign_rubric(campaign)
        assert rubric is not None  # noqa: S101
        definition = rubric.definition()
        inputs = scoring_inputs(evaluation_values(seed))
        engine = _timed(repeat, lambda: score(definition, inputs))
        print(summary("engine only, one evaluation", engine))
        gathered = _timed(100, lambda: evaluation_scoring(Evaluation.objects.get(pk=seed.pk)))
        print(summary("one evaluation, inputs from the database (campaign of 1)", gathered))
    with scopes_disabled():
        _clone(seed, departments - 1)
    with scope(jurisdiction=campaign.jurisdiction_id, department=None):
        for attempt in range(3):
            start = time.perf_counter()
            results = campaign_scorings(campaign)
            seconds = time.perf_counter() - start
            print(
                f"campaign of {len(results)} evaluations, batch rescoring #{attempt + 1}: {seconds:.2f} s"
            )
        sample = list(Evaluation.objects.filter(campaign=campaign).order_by("pk")[:20])
        evaluation_scoring(_fresh(sample[0]))  # the campaign's aggregates, computed once
        page = []
        for evaluation in sample:
            start = time.perf_counter()
            evaluation_scoring(_fresh(evaluation))
            page.append(time.perf_counter() - start)
        print(summary(f"one evaluation's scoring sheet in a campaign of {len(results)}", page))


def _fresh(evaluation: Any) -> Any:
    from evaluations.models import Evaluation

    return Evaluation.objects.select_related("campaign", "department").get(pk=evaluation.pk)


def _timed(times: int, work: Any) -> list[float]:
    found = []
    for _ in range(times):
        start = time.perf_counter()
        work()
        found.append(time.perf_counter() - start)
    return found


def _clone(seed: Any, copies: int) -> None:
    """`copies` departments, each with an evaluation holding seed's rows (bulk inserts)."""
    from django.apps import apps

    from departments.models import Department
    from evaluations.models import Evaluation, FundLine
    from evaluations.models.parts import EvaluationPart

    departments = Department.objects.bulk_create(
        Department(
            jurisdiction_id=seed.department.jurisdiction_id, slug=f"bench-{i}", name=f"基准单位{i}"
        )
        for i in range(copies)
    )
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(campaign_id=seed.campaign_id, department=department)
        for department in departments
    )
    for model in apps.get_app_config("evaluations").get_models():
        if model is FundLine or not any(f.name == "evaluation" for f in model._meta.fields):
            continue
        if model.__name__ in {"SectionState", "Evidence"}:
            continue
        rows = list(model._default_manager.filter(evaluation=seed))
        if issubclass(model, EvaluationPart) or rows:
            model._default_manager.bulk_create(
                _copy(row, evaluation) for evaluation in evaluations for row in rows
            )
    _clone_fund_lines(seed, evaluations)


def _copy(row: Any, evaluation: Any) -> Any:
    clone = copy.copy(row)
    clone.pk = None
    clone.id = None
    clone._state = copy.copy(row._state)
    clone._state.adding = True
    clone.evaluation = evaluation
    return clone


def _clone_fund_lines(seed: Any, evaluations: Any) -> None:
    """Fund lines level by level, so every copy's parent is that evaluation's copy."""
    from evaluations.models import FundLine

    lines = list(FundLine.objects.filter(evaluation=seed))
    new_pk: dict[tuple[int, int], int] = {}
    level = [line for line in lines if line.parent_id is None]
    while level:
        clones = []
        for evaluation in evaluations:
            for line in level:
                clone = _copy(line, evaluation)
                clone.parent_id = (
                    new_pk.get((evaluation.pk, line.parent_id)) if line.parent_id else None
                )
                clones.append((line.pk, clone))
        FundLine.objects.bulk_create(clone for _, clone in clones)
        for origin, clone in clones:
            new_pk[(clone.evaluation_id, origin)] = clone.pk
        parents = {line.pk for line in level}
        level = [line for line in lines if line.parent_id in parents]


# --- 50,000 indicator rows ---------------------------------------------------------------------

NAMES = [
    "参训人次",
    "验收合格率",
    "财政供养人员控制率",
    "预算调整率",
    "结转结余率",
    "群众满意度",
    "办结时限",
    "人均培训成本",
    "资金拨付率",
    "业务工作支出安排金额",
    "新设外资企业",
]
FAMILIES = ["产出指标", "效益指标", "满意度指标", "产出指标（50分）", "產出指標"]
PLAIN_FAMILIES = ["产出指标", "效益指标", "满意度指标"]


def indicator_rows(
    count: int, seed: int = 10, families: list[str] = FAMILIES
) -> list[dict[str, str]]:
    """Rows as published tables write them (tests/rubrics/data/phrasings.yaml): percentages, counts,
    万元, working days, words, deadlines and the odd garbled or ambiguous cell; the figures vary
    from row to row, as a province's lists do, so most texts are read afresh."""
    pick = random.Random(seed)  # noqa: S311 -- the same rows every run, not a secret
    rows = []
    for _ in range(count):
        target, actual = _cells(pick)
        rows.append(
            {
                "level1": pick.choice(families),
                "level2": "数量指标",
                "name": pick.choice(NAMES),
                "target": target,
                "actual": actual,
                "weight": "0.0018",
                "claimed": "0.0018",
            }
        )
    return rows


def _cells(pick: random.Random) -> tuple[str, str]:
    kind = pick.random()
    if kind < 0.3:
        return f"≥{pick.randint(80, 100)}%", f"{pick.randint(7000, 10000) / 100}%"
    if kind < 0.5:
        planned = pick.randint(1, 5000)
        return f"≥{planned}个", f"{pick.randint(planned // 2, planned * 2)}个"
    if kind < 0.6:
        return f"≤{pick.randint(1, 999)}万元", f"{pick.randint(1, 999)}.{pick.randint(0, 99)}万元"
    if kind < 0.7:
        return f"{pick.randint(1, 30)}个工作日内", f"{pick.randint(1, 40)}个工作日"
    if kind < 0.8:
        return pick.choice(["完成", "显著提升", "达标", "应保尽保"]), pick.choice(
            ["完成", "达标", "基本完成", "未完成"]
        )
    if kind < 0.9:
        return pick.choice(["年底前", "6月底前", "2023年12月31日前"]), f"{pick.randint(1, 12)}月"
    return pick.choice(["到0次", "≥95%", "2.5万", "100"]), pick.choice(
        ["26次", "0.96", "20000", f"{pick.randint(50, 100)}%"]
    )


def rows_run(
    count: int, *, engine_root: str | None, serving_gc: bool, families: list[str]
) -> dict[str, float]:
    """Read and score `count` rows in this process: seconds to read the request and to score it
    (wall clock, and this process's CPU time: the VM is shared, and waiting for a core is not the
    engine's), and the reference loop's milliseconds just after."""
    if engine_root:
        sys.path.insert(0, engine_root)
    from config.heap import FIRST_GENERATION
    from rubrics.engine.io import parse_inputs
    from rubrics.engine.scoring import score
    from rubrics.library_files import library_rubric

    rubric = library_rubric(ROWS_RUBRIC)
    if serving_gc:  # the collector as a serving process sets it (config/heap.py)
        gc.collect()
        gc.freeze()
        gc.set_threshold(FIRST_GENERATION, *gc.get_threshold()[1:])
    rows = indicator_rows(count, families=families)
    raw = {"indicators": rows, "budget_full_year": "100", "budget_executed": "90"}
    start, cpu_start = time.perf_counter(), time.process_time()
    inputs = parse_inputs(raw)
    parsed = time.perf_counter()
    score(rubric, inputs)
    scored, cpu_scored = time.perf_counter(), time.process_time()
    return {
        "parse": parsed - start,
        "score": scored - parsed,
        "cpu": cpu_scored - cpu_start,
        "reference_ms": reference_loop_ms(),
    }


def rows_case(
    count: int, *, rounds: int, compare_with: str | None, options: argparse.Namespace
) -> None:
    """Each variant in a fresh process per round, alternating; medians beside the reference loop."""
    print(describe_machine())
    collector = (
        "CPython's default collector"
        if options.default_gc
        else "collector as config/heap.py sets it"
    )
    families = "families as the rubric writes them" if options.plain_families else "mixed families"
    print(f"{count:,} indicator rows of {ROWS_RUBRIC}, {families}, {collector}:")
    variants = {"this tree": str(ROOT)}
    with tempfile.TemporaryDirectory() as scratch:
        if compare_with:
            variants = {compare_with: _engine_of(compare_with, Path(scratch)), **variants}
        found: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
        for _ in range(rounds):
            for name, root in variants.items():
                found[name].append(_worker(count, root, options=options))
    for name, runs in found.items():
        parse = statistics.median(run["parse"] for run in runs)
        scored = statistics.median(run["score"] for run in runs)
        fastest = min(run["parse"] + run["score"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        reference = statistics.median(run["reference_ms"] for run in runs)
        print(
            f"  {name}: read {parse:.2f} s + score {scored:.2f} s = "
            f"{parse + scored:.2f} s (fastest {fastest:.2f} s), CPU {cpu:.2f} s "
            f"(median of {len(runs)}; reference loop {reference:.2f} ms)"
        )


def _engine_of(revision: str, scratch: Path) -> str:
    """The engine and library of `revision`, unpacked into `scratch`."""
    archive = subprocess.run(  # noqa: S603 -- git on our own repository
        ["git", "archive", revision, *ENGINE_PATHS],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
    return str(scratch)


def _worker(count: int, root: str, *, options: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, __file__, "--worker", root, "--rows", str(count)]
    command += ["--default-gc"] if options.default_gc else []
    command += ["--plain-families"] if options.plain_families else []
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603 -- this script
    return json.loads(done.stdout)


if __name__ == "__main__":
    main()
