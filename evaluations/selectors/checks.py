"""Reads of what the checks find: the rule violations of an evaluation and their explanations."""

import dataclasses
from collections.abc import Iterable
from typing import Any

from evaluations.checks.engine import Violation, validate
from evaluations.models import Evaluation, WarningExplanation
from evaluations.selectors.evaluations import as_numbers, evaluation_values
from evaluations.tables.registry import Section, scoped_sections, sections_for


def evaluation_violations(evaluation: Evaluation, values: dict[str, Any]) -> list[Violation]:
    """The evaluation-wide sections' violations, then those of each scope (each project)."""
    found = validate(values, sections=(section.key for section in sections_for(evaluation)))
    scopes: dict[str, list[Section]] = {}
    for section in scoped_sections(evaluation):
        scopes.setdefault(section.scope, []).append(section)
    for sections in scopes.values():
        found += scope_violations(evaluation, sections)
    return found


def scope_violations(evaluation: Evaluation, sections: Iterable[Section]) -> list[Violation]:
    """Rules over the values of one scope's sections, pointing at the scope's own section keys."""
    by_family = {section.rules_key: section for section in sections}
    values: dict[str, Any] = {}
    for section in by_family.values():
        values.update(section.values(evaluation))
    values = as_numbers(values)
    return [
        dataclasses.replace(violation, section=by_family[violation.section].key)
        for violation in validate(values, sections=by_family)
    ]


ExplanationIndex = dict[tuple[str, str, str], WarningExplanation]


def explanations_of(evaluation: Evaluation) -> ExplanationIndex:
    """Every explanation of the evaluation's warnings by identity (rule, section, target), in one
    query; those whose warning no longer fires are among them, and simply never looked up."""
    return {
        explanation.identity: explanation
        for explanation in WarningExplanation.objects.filter(evaluation=evaluation)
    }


def explanation_for(
    violation: Violation, explanations: ExplanationIndex
) -> WarningExplanation | None:
    """The explanation of a warning, if it has one (errors are not explained, they are fixed)."""
    if violation.is_error:
        return None
    return explanations.get(violation.identity)


def unexplained_among(
    violations: Iterable[Violation], explanations: ExplanationIndex
) -> list[Violation]:
    """The warnings among `violations` that have no written explanation yet."""
    return [
        violation
        for violation in violations
        if not violation.is_error and violation.identity not in explanations
    ]


def unexplained_warnings(evaluation: Evaluation) -> list[Violation]:
    """The evaluation's warnings that still need a written explanation before submission."""
    violations = evaluation_violations(evaluation, evaluation_values(evaluation))
    return unexplained_among(violations, explanations_of(evaluation))
