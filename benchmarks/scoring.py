"""Scoring speed: one evaluation, and a campaign of many rescored from the database.

    .venv/bin/python benchmarks/scoring.py [--departments 1000] [--repeat 1000]

1. the pure engine on 湛江市商务局 2019's inputs (`--repeat` times);
2. one evaluation's scoring sheet, inputs gathered from the database;
3. a campaign of `--departments` evaluations (copies of 湛江 2019 in as many departments),
   rescored by `campaign_scorings` (one query per table for the whole campaign);
4. one evaluation's scoring sheet in that campaign (the campaign's aggregates cached).
Uses a throw-away test database with the demo data.
"""

import argparse
import copy
import time
from typing import Any

from _setup import benchmark_database, describe_machine, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1000)
    args = parser.parse_args()
    with benchmark_database():
        run(args.departments, args.repeat)


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


if __name__ == "__main__":
    main()
