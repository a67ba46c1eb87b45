"""The dry run exists twice, as a command and as an endpoint, and both give the same JSON."""

import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from rubrics.models import Rubric
from rubrics.services import rubric_library_sync
from tests.conftest import Cast

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests" / "rubrics" / "cases" / "zhanjiang-2019.json"


def run_score(*args: str) -> str:
    out = StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


def test_the_command_and_the_api_agree(cast: Cast) -> None:
    from_command = json.loads(run_score("zhanjiang-2019-department", str(CASE)))
    client = cast.client_for("reviewer")
    response = client.post(
        reverse("rubrics-api:score", kwargs={"rubric_id": "zhanjiang-2019-department"}),
        data=CASE.read_text(encoding="utf-8"),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == from_command
    procurement = next(item for item in from_command["items"] if item["name"] == "政府采购执行率")
    assert procurement["display"]["score"] == "3.19"  # 4 × 613.0894 / 769.1121
    assert procurement["flag"]


def test_the_table_format_shows_the_working_and_the_flags(db: None) -> None:
    table = run_score("zhanjiang-2019-department", str(CASE), "--format", "table")
    assert "4165.93 ÷ (75.87 + 4186.81) = 97.73%" in table
    assert "自评 4 分，按规则计算为 3.19 分" in table
    assert "总分" in table and "等级" in table


def test_the_table_format_shows_level_one_subtotals_with_their_flags(db: None) -> None:
    table = run_score("zhanjiang-2019-department", str(CASE), "--format", "table")
    subtotals = table[table.index("一级指标小计") :]
    # Seed 001 claims 20 for 预算编制情况 (what the rules give) and 39 for 预算执行情况, where
    # two of its indicators cannot be computed from the report's figures.
    assert re.search(r"\n1 +预算编制情况 +20 +20\.00 +20\.00 *\n", subtotals)
    assert re.search(
        r"\n2 +预算执行情况 +40 +31\.19 +39\.00 +自评小计 39 分，超过可能的最高分 38\.19 分",
        subtotals,
    )
    assert "预算编制\n" not in subtotals  # level 2 (1.1 预算编制) stays out


def post_score(cast: Cast, body: str) -> Any:
    url = reverse("rubrics-api:score", kwargs={"rubric_id": "zhanjiang-2019-department"})
    return cast.client_for("reviewer").post(url, data=body, content_type="application/json")


def command_on(tmp_path: Path, body: str, *args: str) -> str:
    path = tmp_path / "input.json"
    path.write_text(body, encoding="utf-8")
    return run_score("zhanjiang-2019-department", str(path), *args)


def test_the_api_reads_numbers_as_decimals_as_the_command_does(cast: Cast, tmp_path: Path) -> None:
    # JSON numbers, not strings: a float would make this 0.3 (and 30.00%).
    body = '{"inputs": {"procurement_actual": 0.30000000000000001, "procurement_planned": 1.0}}'
    from_command = json.loads(command_on(tmp_path, body))
    response = post_score(cast, body)
    assert response.status_code == 200
    assert response.json() == from_command
    metric = next(i for i in from_command["items"] if i["name"] == "政府采购执行率")["metric"]
    assert metric["value"] == "0.30000000000000001"
    assert metric["working"] == "0.30000000000000001 ÷ 1 = 30.00%"


EXTREME = '{"inputs": {"actual_expenditure": 4165.93, "prior_carryover": 1e999999}}'


def test_a_number_too_large_to_compute_is_refused_by_the_command(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError) as raised:
        command_on(tmp_path, EXTREME)
    assert raised.value.returncode == 2
    assert "inputs.prior_carryover（上年结转结余）：「1E+999999」超出可计算的范围" in str(
        raised.value
    )


def test_a_number_too_large_to_compute_is_refused_by_the_api(cast: Cast) -> None:
    response = post_score(cast, EXTREME)
    assert response.status_code == 400
    assert "inputs.prior_carryover（上年结转结余）" in response.json()["detail"]


def test_a_result_too_large_to_compute_leaves_the_item_unscored_with_a_warning(
    cast: Cast, tmp_path: Path
) -> None:
    # Each figure is within range, but 4165.93 ÷ 1e-999999 overflows any Decimal.
    body = json.dumps(
        {
            "inputs": {
                "actual_expenditure": "4165.93",
                "prior_carryover": "1e-999999",
                "actual_revenue": "0",
            }
        }
    )
    from_command = json.loads(command_on(tmp_path, body))
    response = post_score(cast, body)
    assert response.status_code == 200 and response.json() == from_command
    item = next(i for i in from_command["items"] if i["name"] == "整体支出完成率")
    assert item["score"] is None
    warning = "指标 2.1.1「整体支出完成率」未评分：本年实际支出（actual_expenditure）"
    assert any(
        w.startswith(warning) and "上年结转结余（prior_carryover）" in w
        for w in from_command["warnings"]
    )
    table = command_on(tmp_path, body, "--format", "table")
    assert "超出可计算的范围" in table


def test_malformed_json_exits_with_status_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{inputs: ", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "score", "zhanjiang-2019-department", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "JSON 格式错误（第 1 行第 2 列）" in result.stderr


def test_a_wrong_shape_is_a_clear_error(db: None, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"inputs": {"actual_revenue": "many"}}), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run_score("zhanjiang-2019-department", str(wrong))
    assert raised.value.returncode == 2
    assert "actual_revenue" in str(raised.value)


def test_the_api_refuses_anonymous_users_and_unknown_rubrics(cast: Cast, client) -> None:
    url = reverse("rubrics-api:score", kwargs={"rubric_id": "zhanjiang-2019-department"})
    assert client.post(url, data={}, content_type="application/json").status_code == 401
    unknown = reverse("rubrics-api:score", kwargs={"rubric_id": "no-such-rubric"})
    response = cast.client_for("reviewer").post(unknown, data={}, content_type="application/json")
    assert response.status_code == 404


def test_the_library_is_loaded_into_rows_once(db: None) -> None:
    assert set(Rubric.objects.values_list("rubric_id", flat=True)) >= {
        "zhanjiang-2019-department",
        "yueyang-2023-department",
        "yueyang-2023-project",
        "mof-2020-project",
    }
    assert rubric_library_sync() == []  # nothing changed since migrate


def test_the_api_docs_are_served_from_our_own_static_files(cast: Cast) -> None:
    client = cast.client_for("reviewer")
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/rubrics/{rubric_id}/score/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar" in docs and "cdn" not in docs.lower()
