"""Bad input to the dry run is refused in Chinese: the `score` command exits 2 with a message on
stderr, the API answers 400 with `{"detail": …}`; never a traceback, never a 500."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from config.databases import url_of
from tests.conftest import Cast

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = "zhanjiang-2019-department"

DEEP = '{"inputs": {"funds_by_source": ' + "[" * 1000 + "]" * 1000 + "}}"
SURROGATE = '{"claimed": {"\\ud800": 1}}'
NUL = '{"claimed": {"预决算\\u0000": 1}}'
LONG_INTEGER = '{"inputs": {"actual_revenue": ' + "9" * 5000 + "}}"

REFUSED = [
    pytest.param(DEEP, "JSON 嵌套超过 64 层，未读取。", id="nested-1000-deep"),
    pytest.param(SURROGATE, "无效的 Unicode 代理字符", id="lone-surrogate"),
    pytest.param(NUL, "空字符（NUL）", id="nul"),
    pytest.param(LONG_INTEGER, "整数位数过多", id="integer-of-5000-digits"),
    pytest.param('{"claimed": {"总分": Infinity}}', "JSON 中不能有 Infinity", id="infinity"),
    pytest.param('{"inputs": {"actual_revenue": NaN}}', "JSON 中不能有 NaN", id="nan"),
]


def score_file(tmp_path: Path, body: bytes, *args: str) -> str:
    path = tmp_path / "input.json"
    path.write_bytes(body)
    out = StringIO()
    call_command("score", RUBRIC, str(path), *args, stdout=out)
    return out.getvalue()


def post_score(cast: Cast, body: bytes | str) -> Any:
    url = reverse("rubrics-api:score", kwargs={"rubric_id": RUBRIC})
    return cast.client_for("reviewer").post(url, data=body, content_type="application/json")


@pytest.mark.parametrize(("body", "message"), REFUSED)
def test_the_command_refuses_with_status_2(
    db: None, tmp_path: Path, body: str, message: str
) -> None:
    with pytest.raises(CommandError) as raised:
        score_file(tmp_path, body.encode())
    assert raised.value.returncode == 2
    assert message in str(raised.value)


@pytest.mark.parametrize(("body", "message"), REFUSED)
def test_the_api_refuses_with_400(cast: Cast, body: str, message: str) -> None:
    response = post_score(cast, body)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def run_on_stdin(data: bytes) -> subprocess.CompletedProcess[bytes]:
    """The command in its own process, on the test database (its rubrics were loaded by migrate)."""
    return subprocess.run(
        [sys.executable, "manage.py", "score", RUBRIC, "-"],
        cwd=ROOT,
        input=data,
        capture_output=True,
        env={**os.environ, "DATABASE_URL": database_url_of_the_tests()},
    )


def database_url_of_the_tests() -> str:
    return url_of(connection.settings_dict)


def test_invalid_utf8_on_stdin_exits_2(db: None) -> None:
    result = run_on_stdin(b'{"claimed": {"\xff\xfe": 1}}')
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "内容不是有效的 UTF-8 编码（第 15 个字节）" in stderr
    assert "Traceback" not in stderr


def test_nesting_1000_deep_on_stdin_exits_2(db: None) -> None:
    result = run_on_stdin(DEEP.encode())
    assert result.returncode == 2
    assert "JSON 嵌套超过 64 层" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_a_good_request_on_stdin_exits_0(db: None) -> None:
    result = run_on_stdin(json.dumps({"inputs": {"actual_revenue": "4186.81"}}).encode())
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["rubric"] == RUBRIC


def test_text_is_written_back_as_given(cast: Cast, tmp_path: Path) -> None:
    # Characters that are valid but unusual come back in the warnings, in both outputs.
    body = json.dumps({"claimed": {"𠀀\u200b\u2028": 1}}, ensure_ascii=False).encode()
    warning = "自评得分中的「𠀀\u200b\u2028」不是本评分表的指标，已忽略"
    assert warning in json.loads(score_file(tmp_path, body))["warnings"]
    assert warning in score_file(tmp_path, body, "--format", "table")
    assert warning in post_score(cast, body).json()["warnings"]


def test_a_missing_file_a_directory_or_a_bad_rubric_id_exits_2(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("score", RUBRIC, str(tmp_path / "none.json"))
    assert raised.value.returncode == 2 and "找不到输入文件" in str(raised.value)
    with pytest.raises(CommandError) as raised:
        call_command("score", RUBRIC, str(tmp_path))
    assert raised.value.returncode == 2 and "是一个目录" in str(raised.value)
    (tmp_path / "input.json").write_text("{}", encoding="utf-8")
    for rubric_id in ("no-such-rubric", "\udcff"):  # the second: a non-UTF-8 byte in argv
        with pytest.raises(CommandError) as raised:
            call_command("score", rubric_id, str(tmp_path / "input.json"))
        assert raised.value.returncode == 2 and "没有评分表" in str(raised.value)


def test_invalid_utf8_in_the_api_body_is_a_400(cast: Cast) -> None:
    response = post_score(cast, b'{"claimed": {"\xff": 1}}')
    assert response.status_code == 400
    assert "不是有效的 UTF-8" in response.json()["detail"]
