"""Open data: JSON validated against the served JSON Schemas, CSV parsed as Excel would read it."""

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from jsonschema import Draft202012Validator

from publishing.models import Publication
from tests.conftest import Cast
from tests.factories import artifact_of, publication_of

FIGURES = {"total_score": "89.19", "grade": "良", "completion_rate": "97.73%"}
DATA = {
    "values": [
        {"key": "actual_expenditure", "label": "本年实际支出", "value": "4165.93", "unit": "万元"},
        {
            "key": "overall_expenditure_rate",
            "label": "整体支出完成率",
            "value": "0.9773",
            "unit": "",
        },
        {"key": "staff_authorized", "label": "编制数", "value": 61, "unit": "人"},
        {
            "key": "commendations",
            "label": "表彰事项，含\u201c逗号,引号\u201d",
            "value": None,
            "unit": "",
        },
    ]
}


def publish(evaluation: Any, **fields: Any) -> Publication:
    with scopes_disabled():
        return publication_of(evaluation, **fields)


@pytest.fixture
def published(cast: Cast) -> Publication:
    publication = publish(cast.evaluation_a, figures=FIGURES)
    with scopes_disabled():
        artifact_of(publication, "package", b"%PDF-1.7 package", pages=12)
        artifact_of(
            publication,
            "data",
            json.dumps(DATA, ensure_ascii=False).encode(),
            filename="data.json",
            mimetype="application/json",
            pages=None,
            position=1,
        )
    return publication


def schema_of(client: Client, name: str) -> Draft202012Validator:
    response = client.get(reverse("portal:schema", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    schema = json.loads(response.content)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def valid(client: Client, schema: str, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    errors = [error.message for error in schema_of(client, schema).iter_errors(document)]
    assert errors == []
    return document


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the Chinese
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_publication_as_json(published: Publication, settings: Any) -> None:
    client = Client()

    document = valid(
        client, "publication", reverse("portal:publication_json", args=[published.code])
    )

    site = settings.SITE_URL
    assert document["code"] == published.code
    assert document["state"] == "published"
    assert document["department"] == {"name": "甲市商务局", "slug": "jia-commerce"}
    assert document["jurisdiction"] == {"name": "甲市财政局", "slug": "jia"}
    assert document["figures"][:2] == [
        {"key": "total_score", "label": "总分", "value": "89.19"},
        {"key": "grade", "label": "等级", "value": "良"},
    ]
    package = document["files"][0]
    with scopes_disabled():
        stored = published.artifacts.get(document="package")
    assert package == {
        "document": "package",
        "title": stored.title,
        "filename": stored.filename,
        "mimetype": "application/pdf",
        "sha256": stored.sha256,
        "size": stored.size,
        "pages": 12,
        "url": site + reverse("portal:download", args=[published.code, "package"]),
    }
    assert document["data"] == {
        "json": site + reverse("portal:download", args=[published.code, "data"]),
        "csv": site + reverse("portal:publication_csv", args=[published.code]),
    }
    assert document["verify_url"] == published.verify_url


def test_a_withdrawn_publication_as_json_has_no_file_addresses(published: Publication) -> None:
    Publication.public.filter(pk=published.pk).update(
        state="withdrawn", withdrawn_at=timezone.now(), withdrawal_reason="数据有误"
    )
    client = Client()

    document = valid(
        client, "publication", reverse("portal:publication_json", args=[published.code])
    )

    assert document["state"] == "withdrawn"
    assert document["withdrawal_reason"] == "数据有误"
    assert [file["url"] for file in document["files"]] == [None, None]
    assert all(len(file["sha256"]) == 64 for file in document["files"])
    assert document["data"] == {"json": None, "csv": None}


def test_a_publication_as_csv(published: Publication) -> None:
    response = Client().get(reverse("portal:publication_csv", args=[published.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response.content) == [
        ["key", "label", "value", "unit"],
        ["actual_expenditure", "本年实际支出", "4165.93", "万元"],
        ["overall_expenditure_rate", "整体支出完成率", "0.9773", ""],
        ["staff_authorized", "编制数", "61", "人"],
        ["commendations", "表彰事项，含\u201c逗号,引号\u201d", "", ""],
    ]


def test_a_withdrawn_publications_csv_is_gone(published: Publication) -> None:
    Publication.public.filter(pk=published.pk).update(
        state="withdrawn", withdrawn_at=timezone.now()
    )
    response = Client().get(reverse("portal:publication_csv", args=[published.code]))
    assert response.status_code == 410


def test_a_publication_without_data_has_no_csv(cast: Cast) -> None:
    publication = publish(cast.evaluation_a)
    client = Client()
    assert client.get(reverse("portal:publication_csv", args=[publication.code])).status_code == 404
    document = valid(
        client, "publication", reverse("portal:publication_json", args=[publication.code])
    )
    assert document["data"] == {"json": None, "csv": None}


@pytest.mark.parametrize("state", ["pending", "failed"])
def test_no_open_data_for_a_publication_not_public(cast: Cast, state: str) -> None:
    publication = publish(cast.evaluation_a, state=state)
    client = Client()
    for name in ("portal:publication_json", "portal:publication_csv"):
        assert client.get(reverse(name, args=[publication.code])).status_code == 404


def test_a_campaign_as_json(cast: Cast, published: Publication) -> None:
    publish(
        cast.evaluation_b,
        state="withdrawn",
        withdrawn_at=timezone.now(),
        withdrawal_reason="更正",
        figures={"total_score": "70.00"},
    )
    publish(cast.other_evaluation)  # another bureau
    client = Client()

    document = valid(client, "campaign", reverse("portal:campaign_json", args=["jia", 2019]))

    assert document["jurisdiction"] == {"name": "甲市财政局", "slug": "jia"}
    assert document["fiscal_year"] == 2019
    by_department = {entry["department"]["slug"]: entry for entry in document["publications"]}
    assert set(by_department) == {"jia-commerce", "jia-culture"}
    assert by_department["jia-commerce"]["figures"] == FIGURES
    assert by_department["jia-culture"]["state"] == "withdrawn"
    assert by_department["jia-culture"]["withdrawal_reason"] == "更正"
    assert document["figure_labels"]["completion_rate"] == "整体支出完成率"


def test_a_campaign_as_csv(cast: Cast, published: Publication) -> None:
    publish(cast.evaluation_b, figures={"total_score": "70.00", "grade": "中"})
    response = Client().get(reverse("portal:campaign_csv", args=["jia", 2019]))

    assert response.status_code == 200
    rows = csv_rows(response.content)
    header = rows[0]
    assert header[:4] == ["code", "department", "title", "state"]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [record["department"] for record in records] == ["甲市商务局", "甲市文化局"]
    assert records[0]["code"] == published.code
    assert records[0]["completion_rate"] == "97.73%"
    assert records[1]["total_score"] == "70.00" and records[1]["completion_rate"] == ""


def test_an_empty_campaign_has_no_open_data(cast: Cast) -> None:
    client = Client()
    for name in ("portal:campaign_json", "portal:campaign_csv"):
        assert client.get(reverse(name, args=["jia", 2019])).status_code == 404


def test_it_serves_the_schemas_by_name_only(cast: Cast) -> None:
    client = Client()
    for name in ("publication", "campaign", "publication-data"):
        schema_of(client, name)
    assert client.get(reverse("portal:schema", args=["nothing"])).status_code == 404
