"""The dry run exists twice, as a command and as an endpoint, and both give the same JSON."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from rubrics.models import Rubric, RubricLocked
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
    assert "不是合法的 JSON" in result.stderr


def test_a_wrong_shape_is_a_clear_error(db: None, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"inputs": {"actual_revenue": "many"}}), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        run_score("zhanjiang-2019-department", str(wrong))
    assert raised.value.returncode == 2
    assert "actual_revenue" in str(raised.value)


def test_the_api_refuses_anonymous_users_and_unknown_rubrics(cast: Cast, client) -> None:
    url = reverse("rubrics-api:score", kwargs={"rubric_id": "zhanjiang-2019-department"})
    assert client.post(url, data={}, content_type="application/json").status_code == 403
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


def test_a_rubric_a_campaign_uses_is_immutable_and_changes_become_a_new_version(cast: Cast) -> None:
    rubric = Rubric.objects.get(rubric_id="zhanjiang-2019-department")
    cast.campaign.rubric = rubric
    cast.campaign.save()
    rubric.source = rubric.source.replace("title:", "title: 修改", 1)
    with pytest.raises(RubricLocked):
        rubric.save()


def test_the_api_docs_are_served_from_our_own_static_files(cast: Cast) -> None:
    client = cast.client_for("reviewer")
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/rubrics/{rubric_id}/score/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar" in docs and "cdn" not in docs.lower()
