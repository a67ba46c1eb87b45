"""Pages of a project evaluation (项目支出绩效自评): its sections, and adding a project."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from departments.roles import ALL_ROLES, Role
from departments.tenancy import TenantRequest, tenant_view
from evaluations.models import ProjectEvaluation
from evaluations.scoring.projects import project_scoring
from evaluations.selectors.evaluations import evidence_by_section, section_versions
from evaluations.services.projects import project_create
from evaluations.tables.projects import TABLE, project_sections
from evaluations.tables.registry import table_by_slug, tables_for
from evaluations.views.common import checks_context, evaluation_or_404
from evaluations.workflow import ensure_fillable


class ProjectForm(forms.ModelForm):
    class Meta:
        model = ProjectEvaluation
        fields = ["name", "supervising_department", "implementing_unit"]


@tenant_view(*ALL_ROLES)
def project_detail(
    request: TenantRequest, department: str, pk: int, project_pk: int
) -> HttpResponse:
    """One project's 项目支出绩效自评表, section by section, each with what the rubric computes."""
    evaluation = evaluation_or_404(pk)
    project = get_object_or_404(ProjectEvaluation, pk=project_pk, evaluation=evaluation)
    sections = project_sections(evaluation, project)
    versions = section_versions(evaluation, sections)
    roles = request.tenant.roles
    blocks = [
        {
            "section": section,
            "form": section.form(evaluation),
            "version": versions[section.key],
            "editable": section.can_edit(roles, evaluation),
        }
        for section in sections
    ]
    context = {
        "evaluation": evaluation,
        "tables": tables_for(evaluation),
        "table": table_by_slug(TABLE.slug),
        "project": project,
        # The same instance the sections score: the rubric engine runs once for the page.
        "scoring": project_scoring(evaluation, project),
        "blocks": blocks,
        "editable": any(block["editable"] for block in blocks),
        "evidence_by_section": evidence_by_section(evaluation),
        **checks_context(request, evaluation),
    }
    return TemplateResponse(request, "evaluations/project_detail.html", context)


@tenant_view(Role.FILLER)
@require_POST
def project_add(request: TenantRequest, department: str, pk: int) -> HttpResponse:
    """「新增项目」: create the project and open its page."""
    evaluation = evaluation_or_404(pk)
    ensure_fillable(evaluation, request.tenant.roles)
    form = ProjectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写项目支出名称。"), extra_tags="near-project-add")
        return redirect(
            "department:evaluation_table", department=department, pk=pk, table=TABLE.slug
        )
    project = project_create(evaluation=evaluation, roles=request.tenant.roles, **form.cleaned_data)
    messages.success(request, _("已新增项目「%(name)s」。") % {"name": project.name})
    return redirect("department:project", department=department, pk=pk, project_pk=project.pk)
