"""Key figures of the demo's 湛江市商务局 2019, from publication to the portal and its open data."""

import csv
import io
import json
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from jsonschema import Draft202012Validator

from evaluations.models import Evaluation, IndicatorScore
from evaluations.scoring.department import evaluation_scoring
from publishing.data_export import SCHEMA_PATH, publication_json
from publishing.documents.data import DocumentData
from publishing.figures import (
    FIGURE_LABELS,
    SCORE_BASIS_COMPUTED,
    SCORE_BASIS_PARTLY_VERIFIED,
    SCORE_BASIS_VERIFIED,
    publication_figures,
)
from tests.factories import artifact_of, publication_of


def zhanjiang(year: int) -> Evaluation:
    with scopes_disabled():
        return Evaluation.objects.select_related("department", "campaign").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=year
        )


def figures_of(evaluation: Evaluation) -> dict[str, str]:
    department = evaluation.department
    with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
        return publication_figures(evaluation)


def test_the_2019_figures_are_those_of_its_documents(demo_data: None) -> None:
    evaluation = zhanjiang(2019)

    figures = figures_of(evaluation)

    assert figures["completion_rate"] == "97.73%"  # 4165.93 / (75.87 + 4186.81)
    assert figures["actual_expenditure"] == "4165.93"
    # The engine's total and grade, as the score sheet prints them; the department claimed 110.
    assert figures["total_score"] == "89.19"
    assert figures["score_basis"] == str(SCORE_BASIS_COMPUTED)
    assert figures["claimed_score"] == "110.00"
    assert figures["grade"] == "良"
    assert list(figures) == [key for key in FIGURE_LABELS if key in figures]  # display order


def verify(evaluation: Evaluation, scores: dict[str, str]) -> None:
    with scopes_disabled():
        for code, score in scores.items():
            IndicatorScore.objects.update_or_create(
                evaluation=evaluation, indicator_code=code, defaults={"verified": Decimal(score)}
            )


def test_verified_scores_replace_the_computed_ones_and_say_so(demo_data: None) -> None:
    evaluation = zhanjiang(2019)
    computed = figures_of(evaluation)
    with scopes_disabled():
        scoring = evaluation_scoring(evaluation)
    assert scoring is not None
    definition, result = scoring
    first = result.items[0]
    assert first.score is not None
    verify(evaluation, {first.code: str(first.score - 1)})

    partly = figures_of(evaluation)

    # One indicator verified a point lower: the total drops by one, the rest stays computed.
    assert Decimal(partly["total_score"]) == Decimal(computed["total_score"]) - 1
    assert partly["score_basis"] == str(SCORE_BASIS_PARTLY_VERIFIED)
    assert partly["grade"] == definition.grade_for(Decimal(partly["total_score"]))

    verify(evaluation, {item.code: "0" for item in result.items})
    nothing = figures_of(evaluation)  # every indicator verified at 0
    assert nothing["score_basis"] == str(SCORE_BASIS_VERIFIED)
    assert nothing["grade"] == definition.grade_for(Decimal(nothing["total_score"]))
    assert Decimal(nothing["total_score"]) < Decimal(partly["total_score"])


def test_only_the_figures_an_evaluation_has_are_given(demo_data: None) -> None:
    with scopes_disabled():
        project_only = Evaluation.objects.select_related("department").get(
            campaign__table_set="project_only"
        )
    figures = figures_of(project_only)
    assert "completion_rate" not in figures
    assert all(value for value in figures.values())


def test_the_portal_shows_what_was_published(demo_data: None) -> None:
    """Figures stored at publication, the data artifact as the archive step writes it: the
    detail page, the CSV (valid rows of the publication-data schema) agree with the documents."""
    evaluation = zhanjiang(2019)
    department = evaluation.department
    with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
        publication = publication_of(evaluation, figures=publication_figures(evaluation))
        data = publication_json(publication, DocumentData(evaluation, draft=False))
        artifact_of(publication, "data", data, filename="data.json", mimetype="application/json")
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator(schema).validate(json.loads(data))
    client = Client()

    page = client.get(reverse("portal:publication", args=[publication.code])).content.decode()
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("portal:publication_csv", args=[publication.code])
                ).content.decode("utf-8-sig")
            )
        )
    )

    assert "<dt>整体支出完成率</dt><dd>97.73%</dd>" in page
    assert "<dt>本年实际支出（万元）</dt><dd>4165.93</dd>" in page
    by_key = {row["key"]: row for row in rows}
    assert Decimal(by_key["actual_expenditure"]["value"]) == Decimal("4165.93")
    assert by_key["actual_expenditure"]["unit"] == "万元"
    assert by_key["overall_expenditure_rate"]["label"] == "整体支出完成率"
