"""历史: every recorded change and step of an evaluation, filtered, paginated, exported to Excel."""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from departments.roles import ALL_ROLES
from departments.tenancy import TenantRequest, tenant_view
from evaluations.excel.history import history_workbook
from evaluations.excel.layout import CONTENT_TYPE
from evaluations.selectors.history import (
    HistoryOptions,
    evaluation_history,
    filter_history,
    history_options,
)
from evaluations.tables.registry import tables_for
from evaluations.views.common import evaluation_or_404

PER_PAGE = 50
XLSX = "xlsx"


class HistoryFilter(forms.Form):
    """人员, 类型, 栏目 and a date range; every field optional, choices from the history itself."""

    who = forms.TypedChoiceField(label=_("人员"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    section = forms.ChoiceField(label=_("栏目"), required=False)
    since = forms.DateField(
        label=_("日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("日期到"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any, *, options: HistoryOptions) -> None:
        super().__init__(data)
        everyone = [("", _("全部"))]
        self.fields["who"].choices = [*everyone, *options.people]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [*everyone, *options.kinds]  # type: ignore[attr-defined]
        self.fields["section"].choices = [*everyone, *options.sections]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("结束日期不能早于开始日期。"))
        return cleaned


@tenant_view(*ALL_ROLES)
def evaluation_history_view(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """The history page, or with `?format=xlsx` the filtered rows as a workbook."""
    evaluation = evaluation_or_404(pk)
    every = evaluation_history(evaluation=evaluation)
    form = HistoryFilter(request.GET, options=history_options(every))
    # An invalid filter shows its message and the whole history rather than nothing.
    chosen = form.cleaned_data if form.is_valid() else {}
    rows = filter_history(every, **{k: v for k, v in chosen.items() if v not in (None, "")})
    if request.GET.get("format") == XLSX:
        name = f"{evaluation.department.name}-{evaluation.campaign.fiscal_year}-历史.xlsx"
        response = HttpResponse(history_workbook(rows), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "evaluation": evaluation,
        "tables": tables_for(evaluation),
        "history_tab": True,
        "form": form,
        "page": page,
        "total": len(rows),
        "query": query.urlencode(),
    }
    return TemplateResponse(request, "evaluations/history.html", context)


department_urls: list[URLPattern] = [
    path("evaluations/<int:pk>/history/", evaluation_history_view, name="evaluation_history"),
]
jurisdiction_urls: list[URLPattern] = []
