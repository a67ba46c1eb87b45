"""render_documents DEPARTMENT YEAR --out DIR [--only NAME]."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import Cast
from tests.publishing import pdf

pytestmark = pytest.mark.django_db


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        call_command("render_documents", *args)
    assert raised.value.returncode == 2
    return raised.value


def test_it_writes_every_document_and_the_package(cast: Cast, tmp_path: Path) -> None:
    out = StringIO()
    call_command("render_documents", "jia-commerce", "2019", "--out", str(tmp_path), stdout=out)
    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    names = [name for name, _, _ in lines]
    # The cast's evaluation is empty: the report, the basic-data table and the scoring sheet
    # have something to print (headings, the rubric), the tables of rows do not.
    assert names == [
        "jia-commerce-2019-report.pdf",
        "jia-commerce-2019-scores.pdf",
        "jia-commerce-2019-basic.pdf",
        "jia-commerce-2019-package.pdf",
    ]
    for name, pages, seconds in lines:
        assert int(pages) >= 1
        assert seconds.endswith("s")
        content = (tmp_path / name).read_bytes()
        assert pdf.info(content)["Pages"] == pages
    assert "草稿" in pdf.flat_text((tmp_path / "jia-commerce-2019-report.pdf").read_bytes())


def test_only_writes_one_document(cast: Cast, tmp_path: Path) -> None:
    call_command(
        "render_documents",
        "jia-commerce",
        "2019",
        "--out",
        str(tmp_path),
        "--only",
        "report",
        stdout=StringIO(),
    )
    assert [path.name for path in tmp_path.iterdir()] == ["jia-commerce-2019-report.pdf"]


def test_unknown_department_year_or_document_exit_2_with_a_message(
    cast: Cast, tmp_path: Path
) -> None:
    out = str(tmp_path)
    assert (
        str(refused("no-such-department", "2019", "--out", out))
        == "没有部门「no-such-department」。"
    )
    assert str(refused("jia-commerce", "2018", "--out", out)) == "甲市商务局没有 2018 年度的自评。"
    assert str(refused("jia-commerce", "19", "--out", out)) == "甲市商务局没有 19 年度的自评。"
    assert "没有文件「funds2」" in str(
        refused("jia-commerce", "2019", "--out", out, "--only", "funds2")
    )
    assert list(tmp_path.iterdir()) == []
