"""Download, edit and upload an evaluation's workbook as a user does."""

import io
from collections.abc import Callable
from typing import Any

import openpyxl
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluations.excel.imports import read_workbook
from evaluations.models import Evaluation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASIC = "整体绩效自评基础数据表"
FUNDS = "整体绩效自评基础数据表（财政资金情况）"
HYPERLINK = '=HYPERLINK("http://example.com/steal","点此")'


def in_scope(evaluation: Evaluation) -> Any:
    return scope(
        jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
    )


def urls(evaluation: Evaluation) -> tuple[str, str]:
    kwargs = {"department": evaluation.department.slug, "pk": evaluation.pk}
    return (
        reverse("department:evaluation_excel", kwargs=kwargs),
        reverse("department:evaluation_excel_import", kwargs=kwargs),
    )


def download(client: Client, evaluation: Evaluation) -> bytes:
    response = client.get(urls(evaluation)[0])
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def upload(client: Client, evaluation: Evaluation, data: bytes, name: str = "自评.xlsx") -> Any:
    return client.post(urls(evaluation)[1], {"file": SimpleUploadedFile(name, data, XLSX)})


def edited(data: bytes, change: Callable[[Any], None]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def layout_of(data: bytes, evaluation: Evaluation, key: str) -> dict[str, Any]:
    with in_scope(evaluation):
        layouts = read_workbook(data, evaluation, name="自评.xlsx").layouts
    return next(layout for layout in layouts if layout["key"] == key)


def cell_of(data: bytes, evaluation: Evaluation, key: str, name: str, row: int = 0) -> Any:
    """(sheet title, coordinate) where the export wrote field `name` of section `key`."""
    layout = layout_of(data, evaluation, key)
    if layout["kind"] == "rows":
        return layout["sheet"], f"{layout['columns'][name]}{layout['first_row'] + row}"
    return layout["sheet"], layout["cells"][name]


def set_cell(data: bytes, place: tuple[str, str], value: Any, *, as_text: bool = True) -> bytes:
    def change(workbook: Any) -> None:
        cell = workbook[place[0]][place[1]]
        cell.value = value
        if as_text and isinstance(value, str):
            cell.data_type = "s"

    return edited(data, change)


def demo(department: str, year: int) -> tuple[Evaluation, Client]:
    """A demo evaluation and a client logged in as its department's filler (the test asks for the
    `demo_data` fixture: the demo is loaded once per module, not once per test)."""
    with scopes_disabled():
        evaluation = Evaluation.objects.select_related("department", "campaign").get(
            department__name=department, campaign__fiscal_year=year
        )
    filler = get_user_model().objects.get(
        username=f"{evaluation.department.slug.split('-')[0]}-filler"
    )
    client = Client()
    client.force_login(filler)
    return evaluation, client
