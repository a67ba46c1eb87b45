"""说明: a filler explains a warning where it is listed (a section card or the summary panel).

Saved with HTMX without reloading (the lists come back out of band), or as a plain form POST
that redirects back to the page it came from. Everyone who sees the evaluation reads the
explanations in those lists; only fillers write them, while the evaluation is editable.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.roles import Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.models import Evaluation
from evaluations.models.explanations import EXPLANATION_MAX_LENGTH
from evaluations.services.explanations import warning_explain
from evaluations.tables.registry import section_for
from evaluations.views.common import checks_context, evaluation_or_404
from evaluations.workflow import ensure_fillable

# The checks panel, on every page that has an explanation form: the message is shown there.
NEAR = "near-checks"


class ExplanationForm(forms.Form):
    code = forms.CharField(max_length=100)
    section = forms.CharField(max_length=100)
    target = forms.CharField(required=False, strip=False)
    text = forms.CharField(required=False, max_length=EXPLANATION_MAX_LENGTH)


@tenant_view(Role.FILLER)
@require_POST
def warning_explanation(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """Write (or, with a blank text, remove) the explanation of one warning raised now."""
    evaluation = evaluation_or_404(pk)
    ensure_fillable(evaluation, request.tenant.roles)
    form = ExplanationForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("说明最多 %(max)d 个字。") % {"max": EXPLANATION_MAX_LENGTH}
            if "text" in form.errors
            else _("缺少警告信息，请刷新页面后重试。")
        )
    checks = checks_context(request, evaluation)
    identity = (
        form.cleaned_data["code"],
        form.cleaned_data["section"],
        form.cleaned_data["target"],
    )
    warning = next(
        (v for v in checks["violations"] if not v.is_error and v.identity == identity), None
    )
    if warning is None:  # fixed meanwhile (or never a warning): show the lists as they are now
        if request.headers.get("HX-Request"):
            return _lists(request, evaluation, form.cleaned_data["section"])
        messages.error(
            request, _("此警告已不存在（数据可能已修改），请刷新页面。"), extra_tags=NEAR
        )
        return redirect(_back(request, evaluation))
    explanation = warning_explain(
        evaluation=evaluation,
        warning=warning,
        text=form.cleaned_data["text"],
        by=request.user,
        roles=request.tenant.roles,
    )
    if request.headers.get("HX-Request"):
        return _lists(request, evaluation, warning.section)
    if explanation is None:
        messages.success(request, _("已删除该警告的说明。"), extra_tags=NEAR)
    else:
        messages.success(request, _("已保存警告说明。"), extra_tags=NEAR)
    return redirect(_back(request, evaluation))


def _lists(request: TenantRequest, evaluation: Evaluation, key: str) -> HttpResponse:
    """The section card's findings and the panel as they are now, out of band (each where the
    page has it)."""
    context = {"evaluation": evaluation, "oob": True, **checks_context(request, evaluation)}
    parts = [render_to_string("evaluations/_checks.html", context, request)]
    section = section_for(evaluation, key)
    if section is not None:
        parts.insert(
            0,
            render_to_string(
                "evaluations/_section_violations.html", {**context, "section": section}, request
            ),
        )
    return HttpResponse("".join(parts))


def _back(request: TenantRequest, evaluation: Evaluation) -> str:
    """The page the form was on, if it is one of this site's; else the evaluation's overview."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse(
        "department:evaluation",
        kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
    )
