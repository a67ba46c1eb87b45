"""Odd requests through both doors of the dry run: the command exits 0 or 2, the API answers 200
or 400, never anything else (the engine's own fuzzing is tests/rubrics/test_any_input.py)."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.conftest import Cast

ROW = {"level1": "产出指标", "name": "参训人次", "target": "≥20", "actual": "18", "weight": 10}
BODIES: list[Any] = [
    [],
    "x",
    None,
    {"inputs": []},
    {"inputs": {"indicators": [None]}},
    {"inputs": {"indicators": [{**ROW, "target": {"a": 1}, "actual": [1, 2]}]}},
    {"inputs": {"indicators": [{**ROW, "weight": 999_999_999_999_999}]}},
    {"inputs": {"indicators": [{**ROW, "weight": -1}]}},
    {"inputs": {"indicators": [{**ROW, "target": "到0次", "actual": "第O份"}]}},
    {"inputs": {"indicators": [{**ROW, "target": "≥" * 5000 + "5%", "actual": "约" * 5000}]}},
    {"inputs": {"indicators": [{**ROW, "level1": "產出指標（50分）", "direction": "up"}]}},
    {"inputs": {"funds_by_source": {"当年财政拨款": [1]}, "budget_executed": "-5"}},
    {"inputs": {"funds_by_source": [{"source": None, "budget_executed": {"x": 1}}]}},
    {"inputs": {"commendations": [None, [], {}, "x"], "accountability_findings": [None]}},
    {"inputs": {"satisfaction": "95%"}, "claimed": {"总分": "1e14", "不存在的指标": "1"}},
]


@pytest.mark.parametrize("body", BODIES, ids=[str(i) for i in range(len(BODIES))])
@pytest.mark.parametrize("rubric_id", ["mof-2020-project", "mof-2013-department"])
def test_the_command_exits_0_or_2_and_the_api_answers_200_or_400(
    cast: Cast, tmp_path: Path, body: Any, rubric_id: str
) -> None:
    text = json.dumps(body, ensure_ascii=False)
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    try:
        call_command("score", rubric_id, str(path), "--format", "table", stdout=StringIO())
        command_ok = True
    except CommandError as error:
        assert error.returncode == 2
        command_ok = False
    response = cast.client_for("reviewer").post(
        reverse("rubrics-api:score", kwargs={"rubric_id": rubric_id}),
        data=text,
        content_type="application/json",
    )
    assert response.status_code == (200 if command_ok else 400)
    assert response.json()
