"""The reviewer's dashboard of a campaign (bureau:campaign), and its table as a workbook."""

import io
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import openpyxl
from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

from departments.roles import Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.excel.layout import CONTENT_TYPE
from evaluations.models import Campaign, Evaluation
from evaluations.selectors.review import (
    Dashboard,
    DashboardQuery,
    DashboardRow,
    campaign_dashboard,
)
from publishing.services import campaign_progress, requested_at_param

# The table shows a page of rows at a time: a thousand rows would make the page slow to render
# and to read; sorting and filtering reach every row, and the export holds them all.
ROWS_PER_PAGE = 100
# The overdue list and the largest departures list this many; the table filtered or sorted
# (linked under each) lists them all.
LIST_LIMIT = 30


@tenant_view(Role.REVIEWER, Role.BUREAU_ADMIN)
def campaign_dashboard_view(
    request: TenantRequest, jurisdiction: str, pk: int
) -> HttpResponse | FileResponse:
    """审核工作台: the campaign's progress, findings and scores; ?format=xlsx gives its table."""
    campaign = get_object_or_404(Campaign, pk=pk)
    dashboard = campaign_dashboard(campaign=campaign, query=DashboardQuery.from_params(request.GET))
    if request.GET.get("format") == "xlsx":
        return _workbook_response(dashboard)
    page = Paginator(dashboard.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "evaluations/review/dashboard.html",
        {
            "campaign": campaign,
            "dashboard": dashboard,
            "columns": _columns(dashboard.query),
            "page": page,
            "pages": _page_links(dashboard.query, page),
            "states": [(value, str(label)) for value, label in Evaluation.State.choices],
            "data": dashboard.charts,
            "export_query": urlencode({**dashboard.query.params(), "format": "xlsx"}),
            # 「公开全部已审核」 and the rendering's progress (publishing/views.py).
            "publishing_progress": campaign_progress(
                campaign, requested_at=requested_at_param(request.GET.get("publishing"))
            ),
            **_chart_tables(dashboard),
        },
    )


def _chart_tables(dashboard: Dashboard) -> dict[str, Any]:
    """The charts' figures as rows of tables: their text alternative for screen readers."""
    charts = dashboard.charts
    progress = charts["progress"]
    scores = charts["scores"]
    grades = charts["grades"]
    return {
        "progress_rows": [
            {"day": day, "counts": [series["data"][i] for series in progress["series"]]}
            for i, day in enumerate(progress["days"])
        ],
        "score_bins": [
            {"label": label, "count": count}
            for label, count in zip(scores["labels"], scores["counts"], strict=True)
        ],
        "grade_rows": [
            {"grade": grade, "count": count}
            for grade, count in zip(grades["grades"], grades["counts"], strict=True)
        ],
        "departing": sorted(
            (row for row in dashboard.rows_all if row.departs),
            key=lambda row: abs(row.departure or Decimal(0)),
            reverse=True,
        )[:LIST_LIMIT],
        "overdue_shown": dashboard.overdue[:LIST_LIMIT],
    }


def _page_links(query: DashboardQuery, page: Page[DashboardRow]) -> dict[str, str]:
    """The query strings of the previous and next pages, keeping the filters and the order."""
    links = {}
    if page.has_previous():
        links["previous"] = urlencode({**query.params(), "page": page.previous_page_number()})
    if page.has_next():
        links["next"] = urlencode({**query.params(), "page": page.next_page_number()})
    return links


# The table's columns: the ?sort= name, the heading, and whether it holds numbers.
COLUMNS = (
    ("department", gettext_lazy("预算部门"), False),
    ("state", gettext_lazy("状态"), False),
    ("submitted_at", gettext_lazy("提交时间"), False),
    ("late", gettext_lazy("逾期"), False),
    ("computed", gettext_lazy("计算得分"), True),
    ("claimed", gettext_lazy("自评得分"), True),
    ("verified", gettext_lazy("核查得分"), True),
    ("departure", gettext_lazy("自评−计算"), True),
    ("grade", gettext_lazy("等级"), False),
    ("errors", gettext_lazy("错误"), True),
    ("warnings", gettext_lazy("未说明的警告"), True),
    ("flags", gettext_lazy("评分提示"), True),
)


def _columns(query: DashboardQuery) -> list[dict[str, Any]]:
    """Each heading with the link that sorts by it (the other way round if it sorts already)."""
    found = []
    for name, heading, numeric in COLUMNS:
        current = query.sort == name
        descending = not query.descending if current else False
        found.append(
            {
                "name": name,
                "heading": heading,
                "numeric": numeric,
                "query": urlencode(query.params(sort=name, descending=descending)),
                "sort": ("descending" if query.descending else "ascending") if current else "",
            }
        )
    return found


def _workbook_response(dashboard: Dashboard) -> FileResponse:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = _("审核工作台")
    sheet.append([str(heading) for _name, heading, _numeric in COLUMNS])
    for row in dashboard.rows:
        sheet.append([_as_cell(value) for value in _line(row)])
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["C"].width = 18
    for cell in sheet["C"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    for cell in sheet["A"]:
        # Department names are data, never formulas, whatever they start with.
        cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    workbook.save(buffer)
    campaign = dashboard.campaign
    return FileResponse(
        io.BytesIO(buffer.getvalue()),
        as_attachment=True,
        filename=f"{campaign.fiscal_year}-{campaign.title}-审核工作台.xlsx",
        content_type=CONTENT_TYPE,
    )


def _line(row: DashboardRow) -> list[Any]:
    submitted = (
        timezone.localtime(row.submitted_at).replace(tzinfo=None) if row.submitted_at else None
    )
    late = _("逾期提交") if row.late else _("已逾期") if row.overdue else ""
    return [
        row.department,
        row.state_label,
        submitted,
        late,
        row.computed,
        row.claimed,
        row.verified,
        row.departure,
        row.grade,
        *((row.errors, row.warnings, row.flags) if row.summarized else (None, None, None)),
    ]


def _as_cell(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


department_urls: list[URLPattern] = []
jurisdiction_urls: list[URLPattern] = [
    path("campaigns/<int:pk>/", campaign_dashboard_view, name="campaign"),
]
