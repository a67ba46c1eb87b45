import json
from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.roles import ALL_ROLES, Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.models import Evaluation
from evaluations.models.parts import rows_read_once
from evaluations.selectors.evaluations import (
    evaluations_of_department,
    evidence_by_section,
    section_versions,
)
from evaluations.selectors.workflow import workflow_panel
from evaluations.services.sections import Outcome, section_submit
from evaluations.tables.registry import (
    Section,
    Table,
    scoped_sections,
    section_for,
    sections_for,
    table_by_slug,
    tables_for,
)
from evaluations.views.common import checks_context, evaluation_or_404
from evaluations.workflow import fillable


@tenant_view(*ALL_ROLES)
def department_home(request: TenantRequest, department: str) -> HttpResponse:
    """本单位自评: the department's evaluations."""
    return TemplateResponse(
        request, "evaluations/department_home.html", {"evaluations": evaluations_of_department()}
    )


def _render_checked(
    request: TenantRequest,
    template: str,
    evaluation: Evaluation,
    context: dict[str, Any],
    status: int = 200,
) -> TemplateResponse:
    """A page with the metrics and findings, rendered while each table's rows are read once."""
    with rows_read_once(evaluation):
        context = {**context, **checks_context(request, evaluation)}
        response = TemplateResponse(request, template, context, status=status)
        response.render()
    return response


@tenant_view(*ALL_ROLES)
def evaluation_detail(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """概览: the evaluation's tables, metrics and every inconsistency found."""
    evaluation = evaluation_or_404(pk)
    context = {
        "evaluation": evaluation,
        "tables": tables_for(evaluation),
        "excel_importable": fillable(evaluation, request.tenant.roles),
        "workflow": workflow_panel(evaluation=evaluation, roles=request.tenant.roles),
    }
    return _render_checked(request, "evaluations/evaluation_detail.html", evaluation, context)


def _table(evaluation: Evaluation, slug: str) -> Table:
    table = table_by_slug(slug)
    if table is None or table not in tables_for(evaluation):
        raise Http404
    return table


def _render_table(
    request: TenantRequest,
    evaluation: Evaluation,
    table: Table,
    *,
    sections: list[Section] | None = None,
    bound: dict[str, dict[str, Any]] | None = None,
    status: int = 200,
) -> TemplateResponse:
    with rows_read_once(evaluation):
        sections = sections or sections_for(evaluation, table=table.slug)
        blocks = _blocks(request, evaluation, sections, bound or {})
        roles = request.tenant.roles
        context = {
            "evaluation": evaluation,
            "tables": tables_for(evaluation),
            "table": table,
            "blocks": blocks,
            # Page-level: may this user change anything here (sections, or a table's own actions)?
            "editable": any(block["editable"] for block in blocks) or fillable(evaluation, roles),
            "evidence_by_section": evidence_by_section(evaluation),
            "workflow": workflow_panel(evaluation=evaluation, roles=roles),
        }
        template = "evaluations/evaluation_table.html"
        return _render_checked(request, template, evaluation, context, status=status)


def _blocks(
    request: TenantRequest,
    evaluation: Evaluation,
    sections: list[Section],
    bound: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Each section's card: its form (the posted one where given), version and editability."""
    versions = section_versions(evaluation, sections)
    roles = request.tenant.roles
    blocks = []
    for section in sections:
        block = {
            "section": section,
            "form": section.form(evaluation),
            "version": versions[section.key],
            "editable": section.can_edit(roles, evaluation),
        }
        block.update(bound.get(section.key, {}))
        blocks.append(block)
    return blocks


@tenant_view(*ALL_ROLES)
def evaluation_table(request: TenantRequest, department: str, pk: int, table: str) -> HttpResponse:
    evaluation = evaluation_or_404(pk)
    return _render_table(request, evaluation, _table(evaluation, table))


@tenant_view(Role.FILLER, Role.REVIEWER)
@require_POST
def section_save_view(request: TenantRequest, department: str, pk: int, key: str) -> HttpResponse:
    """Autosave one section: refuse a save based on an old version, show the other's values."""
    evaluation = evaluation_or_404(pk)
    section = section_for(evaluation, key)
    if section is None:
        raise Http404
    try:
        based_on = int(request.POST.get("reapply") or request.POST["based_on"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest(_("缺少版本号，请刷新页面后重试。"))
    done = section_submit(
        evaluation=evaluation,
        section=section,
        data=request.POST,
        files=request.FILES,
        based_on=based_on,
        by=request.user,
        roles=request.tenant.roles,
    )
    result: dict[str, Any] = {"form": done.form, "version": done.version}
    if done.outcome is Outcome.SAVED:
        result["saved"] = done.state
    elif done.outcome is Outcome.CONFLICT:
        evaluation = evaluation_or_404(pk)  # the winner's values, read afresh
        result.update(conflict=done.state, differences=done.differences)
    return _section_response(request, evaluation, section, result, STATUS[done.outcome])


STATUS = {Outcome.SAVED: 200, Outcome.INVALID: 422, Outcome.CONFLICT: 409}


def field_errors(form: Any) -> dict[str, str]:
    """Each refused input's HTML id and its messages (of every row, for a formset)."""
    rows = form.forms if isinstance(form, BaseFormSet) else [form]
    if not form.is_bound:
        return {}
    return {
        row[name].auto_id: " ".join(messages)
        for row in rows
        for name, messages in row.errors.items()
        if name in row.fields
    }


def _section_response(
    request: TenantRequest,
    evaluation: Evaluation,
    section: Section,
    result: dict[str, Any],
    status: int,
) -> HttpResponse:
    if request.headers.get("HX-Request"):
        context = {"evaluation": evaluation, "section": section, **result}
        template = "evaluations/_section_response.html"
        response = _render_checked(request, template, evaluation, context, status=status)
        # The form is not swapped (typing goes on): static/js/field-errors.js marks each refused
        # input with its message, and clears the marks of a save that went through.
        errors = {"form": section.prefix, "errors": field_errors(result["form"])}
        response["HX-Trigger"] = json.dumps({"fielderrors": errors})
        return response
    table = _table(evaluation, section.table)
    if status == 200:
        messages.success(
            request,
            _("「%(title)s」已保存。") % {"title": section.title},
            extra_tags=f"near-{section.prefix}",
        )
        if section.url:
            return redirect(section.url)
        return redirect(
            "department:evaluation_table",
            department=evaluation.department.slug,
            pk=evaluation.pk,
            table=table.slug,
        )
    # A section made per object (a project's) is shown again with the other sections of its scope.
    siblings = (
        [other for other in scoped_sections(evaluation) if other.scope == section.scope]
        if section.scope
        else None
    )
    return _render_table(
        request,
        evaluation,
        table,
        sections=siblings,
        bound={section.key: result},
        status=status,
    )
