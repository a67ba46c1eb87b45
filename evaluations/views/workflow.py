"""The workflow's screens: a transition's button (submit, approve, publish, reopen, withdraw) and
the reviewer's return page with its comments. The service decides; these views show the outcome."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from departments.roles import ALL_ROLES, Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.models import Evaluation
from evaluations.selectors.comments import CommentTarget, comment_targets
from evaluations.selectors.workflow import CONFIRMED, blocker_links
from evaluations.services.workflow import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    CommentInput,
    StateMoved,
    StepBlocked,
    UnknownStep,
    evaluation_transition,
)
from evaluations.views.common import evaluation_or_404
from evaluations.workflow import STEPS


def _evaluation_url(evaluation: Evaluation) -> str:
    return reverse(
        "department:evaluation",
        kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
    )


def _back(request: TenantRequest, evaluation: Evaluation) -> str:
    """The page the button was on (a table page or the overview), if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return _evaluation_url(evaluation)


@tenant_view(*ALL_ROLES)
@require_POST
def evaluation_transition_view(
    request: TenantRequest, department: str, pk: int, name: str
) -> HttpResponse:
    """Take one step of the workflow; say what happened, who was first, or what stands in the way."""
    evaluation = evaluation_or_404(pk)
    step = STEPS.get(name)
    if step is None:
        raise Http404
    asks = step.roles & request.tenant.roles and step.name in CONFIRMED
    if asks and request.POST.get("confirmed") != "yes":
        return _confirm(request, evaluation, name)
    try:
        evaluation_transition(
            evaluation=evaluation,
            name=name,
            by=request.user,
            roles=request.tenant.roles,
            reason=request.POST.get("reason", ""),
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
    except UnknownStep as unknown:
        raise Http404 from unknown
    except StateMoved as moved:
        messages.warning(request, moved.message)
        return redirect(_back(request, evaluation))
    except StepBlocked as blocked:
        return _blocked(request, evaluation, name, blocked)
    messages.success(
        request,
        _("已执行「%(step)s」：此自评现为「%(state)s」。")
        % {"step": step.label, "state": evaluation.get_state_display()},
    )
    return redirect(_back(request, evaluation))


def _confirm(request: TenantRequest, evaluation: Evaluation, name: str) -> HttpResponse:
    """The second page of a step that asks first (the panel's <details> skips it)."""
    context = {"evaluation": evaluation, "step": STEPS[name], "next": _back(request, evaluation)}
    return TemplateResponse(request, "evaluations/transition_confirm.html", context)


def _blocked(
    request: TenantRequest, evaluation: Evaluation, name: str, blocked: StepBlocked
) -> HttpResponse:
    context = {
        "evaluation": evaluation,
        "step": STEPS[name],
        "blockers": blocker_links(evaluation, blocked.blockers),
        "next": _back(request, evaluation),
    }
    return TemplateResponse(request, "evaluations/transition_blocked.html", context, status=422)


# --- the return page ------------------------------------------------------------------------------


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("退回理由"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("请填写退回理由。")},
    )


class CommentForm(forms.Form):
    """One comment: a section, optionally one of its rows and fields (values "key|…"), the text."""

    section = forms.ChoiceField(label=gettext_lazy("栏目"), required=False)
    row = forms.ChoiceField(label=gettext_lazy("行"), required=False)
    field = forms.ChoiceField(label=gettext_lazy("字段"), required=False)
    text = forms.CharField(
        label=gettext_lazy("意见"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, targets: list[CommentTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {target.key: target for target in targets}
        self._choice("section").choices = [("", _("（请选择）"))] + [
            (t.key, t.title) for t in targets
        ]
        self._choice("row").choices = [("", _("（不指定行）"))] + [
            (t.title, [(f"{t.key}|{i}", label) for i, label in t.rows]) for t in targets if t.rows
        ]
        self._choice("field").choices = [("", _("（不指定字段）"))] + [
            (t.title, [(f"{t.key}|{n}", label) for n, label in t.fields])
            for t in targets
            if t.fields
        ]

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, text = data.get("section"), (data.get("text") or "").strip()
        if not key and (text or data.get("row") or data.get("field")):
            self.add_error("section", _("请选择意见所针对的栏目。"))
        elif key and not text:
            self.add_error("text", _("请填写意见。"))
        for part in ("row", "field"):
            if key and data.get(part) and data[part].split("|", 1)[0] != key:
                self.add_error(part, _("所选的行或字段不属于该栏目。"))
        return data

    def comment(self) -> CommentInput | None:
        data = self.cleaned_data
        if not data.get("section"):
            return None
        row = data.get("row") or ""
        field = data.get("field") or ""
        return CommentInput(
            section=data["section"],
            text=data["text"].strip(),
            row=int(row.split("|", 1)[1]) if row else None,
            field=field.split("|", 1)[1] if field else "",
        )


CommentFormSet = forms.formset_factory(CommentForm, extra=0)
BLANK_COMMENTS = 2


def _prefill(request: TenantRequest, targets: list[CommentTarget]) -> list[dict[str, str]]:
    """One comment from the 「写意见」 link's query string, if it names a section of ours."""
    key = request.GET.get("section", "")
    target = next((t for t in targets if t.key == key), None)
    if target is None:
        return []
    initial = {"section": key}
    row = request.GET.get("row", "")
    if row.isdigit() and int(row) in dict(target.rows):
        initial["row"] = f"{key}|{row}"
    field = request.GET.get("field", "")
    if field in dict(target.fields):
        initial["field"] = f"{key}|{field}"
    return [initial]


def _comment_formset(
    request: TenantRequest, targets: list[CommentTarget], *, more: bool = False
) -> Any:
    if request.method == "POST":
        data = request.POST.copy()
        if more:  # 「再加一条」: the same comments again, and one blank more
            total = int(data.get("comments-TOTAL_FORMS") or 0)
            data["comments-TOTAL_FORMS"] = str(total + 1)
        return CommentFormSet(data, prefix="comments", form_kwargs={"targets": targets})
    initial = _prefill(request, targets)
    formset_class = forms.formset_factory(CommentForm, extra=BLANK_COMMENTS)
    return formset_class(initial=initial, prefix="comments", form_kwargs={"targets": targets})


@tenant_view(Role.REVIEWER)
def evaluation_return(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """退回修改: the reason, and comments each on a section, a row, a field."""
    evaluation = evaluation_or_404(pk)
    targets = comment_targets(evaluation)
    more = request.method == "POST" and "more" in request.POST
    form = ReturnForm(request.POST if request.method == "POST" else None)
    comments = _comment_formset(request, targets, more=more)
    status = 200
    if request.method == "POST" and not more:
        if form.is_valid() and comments.is_valid():
            done = _return(request, evaluation, form, comments)
            if done is not None:
                return done
        status = 422
    context = {
        "evaluation": evaluation,
        "form": form,
        "comments": comments,
        "step": STEPS["return"],
        "returnable": evaluation.state == Evaluation.State.SUBMITTED,
    }
    return TemplateResponse(request, "evaluations/return.html", context, status=status)


def _return(
    request: TenantRequest, evaluation: Evaluation, form: ReturnForm, comments: Any
) -> HttpResponse | None:
    """Return the evaluation; None when the service refused (its reasons added to the form)."""
    found = [c for c in (each.comment() for each in comments.forms) if c is not None]
    try:
        evaluation_transition(
            evaluation=evaluation,
            name="return",
            by=request.user,
            roles=request.tenant.roles,
            reason=form.cleaned_data["reason"],
            comments=found,
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
    except StateMoved as moved:
        messages.warning(request, moved.message)
        return redirect(_evaluation_url(evaluation))
    except StepBlocked as blocked:
        for blocker in blocked.blockers:
            form.add_error(None, blocker["message"])
        return None
    messages.success(
        request,
        _("已退回修改，附 %(n)s 条意见；填报人和单位负责人会收到通知。") % {"n": len(found)},
    )
    return redirect(_evaluation_url(evaluation))


department_urls: list[URLPattern] = [
    path(
        "evaluations/<int:pk>/transitions/<slug:name>/",
        evaluation_transition_view,
        name="evaluation_transition",
    ),
    path("evaluations/<int:pk>/return/", evaluation_return, name="evaluation_return"),
]
jurisdiction_urls: list[URLPattern] = []
