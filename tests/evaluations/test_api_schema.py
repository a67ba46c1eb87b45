"""The OpenAPI schema documents every section's data field by field, and the errors it answers."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from jsonschema import Draft202012Validator

from evaluations.api import schema as api_schema
from evaluations.api.schema import component_of
from evaluations.models import Evaluation
from evaluations.tables import registry as section_registry
from evaluations.tables.registry import scoped_sections, sections_for
from tests.conftest import Cast

SECTION_PATH = "/api/d/{department}/evaluations/{id}/sections/{key}/"
REF = "#/components/schemas/"


@pytest.fixture(scope="module")
def schema(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """What `manage.py spectacular --validate --fail-on-warn` writes (it raises on any warning);
    made once for the module (it reads the database, writes nothing, and no test changes it)."""
    output = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))
    return yaml.safe_load(output.read_text(encoding="utf-8"))


def components(schema: dict[str, Any]) -> dict[str, Any]:
    return schema["components"]["schemas"]


def row_properties(component: dict[str, Any]) -> dict[str, Any]:
    return component["properties"]["rows"]["items"]["properties"]


def test_the_schema_validates_and_documents_the_funds_figures_field_by_field(
    schema: dict[str, Any],
) -> None:
    figures = components(schema)["FundsFigures"]
    assert "funds.figures" in figures["description"] and "资金数据" in figures["description"]
    columns = row_properties(figures)
    assert columns["budget_initial"] == {
        "type": "string",
        "format": "decimal",
        "pattern": r"^-?\d+(\.\d+)?$",
        "description": "部门年初预算数（万元）",
        "nullable": True,
    }
    assert columns["superior_received_on"]["format"] == "date"
    assert columns["superior_received_on"]["description"] == "收到上级资金文件时间"
    assert columns["remark"]["type"] == "string" and columns["remark"]["description"] == "备注"
    assert columns["id"]["type"] == "integer" and columns["id"]["nullable"] is True
    assert columns["parent"]["type"] == "integer"
    for column in ("carryover_prior", "adjustment", "city_spent_own", "balance"):
        assert columns[column]["format"] == "decimal", column


def test_the_basic_staffing_section_is_documented_with_its_labels_and_units(
    schema: dict[str, Any],
) -> None:
    staffing = components(schema)["BasicStaffing"]
    assert staffing["properties"] == {
        "staff_authorized": {
            "type": "integer",
            "minimum": 0,
            "description": "编制数（人）",
            "nullable": True,
        },
        "staff_actual": {
            "type": "integer",
            "minimum": 0,
            "description": "实有在职人数（人）",
            "nullable": True,
        },
    }
    assert staffing["description"].startswith(
        "栏目 basic.staffing：人员情况（整体绩效自评基础数据表）"
    )
    rate = components(schema)["BasicSpending"]["properties"]["three_public_rate_stated"]
    assert rate["description"] == "三公经费控制率（填报）（百分数：95 表示 95%）"
    published = components(schema)["BasicDisclosures"]["properties"]["budget_published"]
    assert published == {"type": "boolean", "description": "预算是否公开", "nullable": True}
    attribute = row_properties(components(schema)["TargetsDeclarations"])["attribute"]
    assert attribute["enum"] == ["one_off", "recurring", "multi_year"]
    assert row_properties(components(schema)["AssetsLines"])["DELETE"]["writeOnly"] is True


def test_every_registered_section_and_project_section_has_its_component(
    schema: dict[str, Any],
) -> None:
    listed = {ref["$ref"].removeprefix(REF) for ref in components(schema)["SectionData"]["anyOf"]}
    registered = {component_of(s) for s in section_registry._REGISTRY.values()}
    projects = {
        "ProjectInfo",
        "ProjectFunds",
        "ProjectTargets",
        "ProjectIndicators",
        "ProjectTotal",
    }
    assert listed == registered | projects
    assert "report.01 … report.15" in components(schema)["ReportChapter"]["description"]
    assert "project.{项目id}.indicators" in components(schema)["ProjectIndicators"]["description"]


def test_the_section_endpoint_documents_its_bodies_and_error_answers(
    schema: dict[str, Any],
) -> None:
    operations = schema["paths"][SECTION_PATH]
    get, put = operations["get"], operations["put"]

    def ref(operation: dict[str, Any], status: str) -> str:
        content = operation["responses"][status]["content"]["application/json"]
        return content["schema"]["$ref"].removeprefix(REF)

    assert ref(get, "200") == "SectionRead" and ref(get, "404") == "Detail"
    assert list(put["requestBody"]["content"]) == ["application/json"]
    assert put["requestBody"]["content"]["application/json"]["schema"]["$ref"] == (
        f"{REF}SectionWrite"
    )
    assert {status: ref(put, status) for status in ("200", "400", "403", "404", "409", "422")} == {
        "200": "SectionSaved",
        "400": "RequestError",
        "403": "Detail",
        "404": "Detail",
        "409": "SectionConflict",
        "422": "SectionInvalid",
    }
    for name in ("SectionRead", "SectionWrite", "SectionSaved", "SectionConflict"):
        data = components(schema)[name]["properties"]["data"]
        assert data["allOf"] == [{"$ref": f"{REF}SectionData"}], name
    assert components(schema)["SectionWrite"]["required"] == ["based_on", "data"]
    assert "errors" in components(schema)["SectionInvalid"]["properties"]


def test_the_docs_page_shows_the_schema(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    served = client.get(reverse("api-schema"), {"format": "json"})
    assert served.status_code == 200
    body = json.loads(served.content)
    assert "FundsFigures" in body["components"]["schemas"] and SECTION_PATH in body["paths"]
    # The page's start-up script is served apart (`?script`, for the CSP): it names the schema.
    docs = client.get(reverse("api-docs"), {"script": ""})
    assert docs.status_code == 200 and reverse("api-schema") in docs.content.decode()


# --- The documented shapes are the ones the API answers with ------------------------------------


def as_json_schema(node: Any, *, closed: bool) -> Any:
    """OpenAPI 3.0 → JSON Schema: `nullable` as a null type; `closed` objects allow no other
    properties (so a field the API sends but the docs leave out fails)."""
    if isinstance(node, list):
        return [as_json_schema(item, closed=closed) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: as_json_schema(value, closed=closed) for key, value in node.items()}
    if found.pop("nullable", False):
        if "enum" in found:
            found["enum"] = [*found["enum"], None]
        found["type"] = [found["type"], "null"]
    if closed and "properties" in found and "additionalProperties" not in found:
        found["additionalProperties"] = False
    return found


def validator(schema: dict[str, Any], name: str, *, closed: bool = False) -> Draft202012Validator:
    document = as_json_schema(copy.deepcopy(schema), closed=closed)
    return Draft202012Validator({**document, "$ref": f"{REF}{name}"})


def demo_clients() -> list[tuple[Evaluation, Client]]:
    call_command("load_demo", publish=False)
    found = []
    with scopes_disabled():
        evaluations = list(Evaluation.objects.select_related("department", "campaign"))
    for evaluation in evaluations:
        client = Client()
        client.force_login(
            get_user_model().objects.get(
                username=f"{evaluation.department.slug.split('-')[0]}-filler"
            )
        )
        found.append((evaluation, client))
    return found


def test_every_demo_sections_data_has_the_shape_its_component_documents(
    db: None, schema: dict[str, Any]
) -> None:
    checked = set()
    for evaluation, client in demo_clients():
        url = reverse(
            "department-api:evaluation",
            kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
        )
        document = client.get(url).json()
        validator(schema, "EvaluationDocument").validate(document)
        with scope(
            jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
        ):
            every = [*sections_for(evaluation), *scoped_sections(evaluation)]
        assert set(document["sections"]) == {section.key for section in every}
        for section in every:
            data = document["sections"][section.key]["data"]
            validator(schema, component_of(section), closed=True).validate(data)
            checked.add(component_of(section))
    # Each table set of the demo: 湛江 (广东), 岳阳 (湖南 and projects), 江门 (projects, report).
    assert {"FundsFigures", "BasicStaffing", "HunanBasicStaffing", "ProjectIndicators"} <= checked
    assert {"ReportChapter", "ScoresClaimed", "TargetsDeclarations"} <= checked


def test_the_error_answers_have_their_documented_shapes(cast: Cast, schema: dict[str, Any]) -> None:
    client = cast.client_for("filler_a")

    def put(key: str, body: dict[str, Any]) -> Any:
        kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "key": key}
        url = reverse("department-api:section", kwargs=kwargs)
        return client.put(url, data=body, content_type="application/json")

    saved = put("basic.staffing", {"based_on": 0, "data": {"staff_authorized": 61}})
    assert saved.status_code == 200
    validator(schema, "SectionSaved").validate(saved.json())
    stale = put("basic.staffing", {"based_on": 0, "data": {"staff_authorized": 62}})
    assert stale.status_code == 409
    validator(schema, "SectionConflict", closed=True).validate(stale.json())
    validator(schema, "BasicStaffing", closed=True).validate(stale.json()["data"])
    invalid = put("basic.staffing", {"based_on": 1, "data": {"staff_authorized": "六十一"}})
    assert invalid.status_code == 422
    validator(schema, "SectionInvalid", closed=True).validate(invalid.json())
    rows = put("assets.lines", {"based_on": 0, "data": {"rows": [{"quantity": 2}]}})
    assert rows.status_code == 422
    assert rows.json()["errors"]["rows"][0] == {"name": ["该字段是必填项。"]}
    validator(schema, "SectionInvalid", closed=True).validate(rows.json())
    malformed = put("basic.staffing", {"data": {}})
    assert malformed.status_code == 400
    validator(schema, "RequestError", closed=True).validate(malformed.json())
    refused = cast.client_for("reviewer").put(
        reverse(
            "department-api:section",
            kwargs={
                "department": cast.department_a.slug,
                "pk": cast.evaluation_a.pk,
                "key": "basic.staffing",
            },
        ),
        data={"based_on": 1, "data": {}},
        content_type="application/json",
    )
    assert refused.status_code == 403
    validator(schema, "Detail", closed=True).validate(refused.json())


def test_without_a_database_the_schema_still_generates_leaving_the_sections_out(
    monkeypatch: Any, tmp_path: Path
) -> None:
    """`manage.py check --deploy` generates the schema on machines without the database."""

    def unreachable(language: str | None) -> list[Any]:
        raise OperationalError("failed to resolve host 'db.example.gov.cn'")

    monkeypatch.setattr(api_schema, "_section_components", unreachable)
    output = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(output))
    schema = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert components(schema)["SectionData"]["anyOf"] == [{"$ref": f"{REF}UndocumentedSection"}]
    assert "BasicStaffing" not in components(schema)
