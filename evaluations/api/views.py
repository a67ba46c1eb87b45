"""REST endpoints for every table: one generic endpoint per section, with the forms' own validation.

Each section is read and written as JSON `{"based_on": version, "data": {...}}`; `data` holds the
section's form fields (for row tables, `{"rows": [{...}, ...]}`). Writes go through the same form,
the same optimistic version check and the same rules as the browser, so the API cannot store
anything the forms would refuse. URLs live under the tenant (`/api/d/<department>/…`).

The OpenAPI schema documents every section's `data` as its own component, generated from the
section's form: see `api_schema.py`.
"""

from typing import Any, cast

from django.forms import BaseFormSet
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from departments.roles import ALL_ROLES
from departments.tenancy import Tenant, TenantRequest
from evaluations.api.schema import (
    NOT_FOUND,
    REQUEST_ERROR,
    SECTION_CONFLICT,
    SECTION_INVALID,
    SECTION_KEY,
    SECTION_READ,
    SECTION_SAVED,
    SECTION_WRITE,
    DetailSerializer,
    EvaluationDocumentSerializer,
    EvaluationSerializer,
)
from evaluations.models import Evaluation
from evaluations.selectors.checks import evaluation_violations
from evaluations.selectors.evaluations import (
    evaluation_metrics,
    evaluation_values,
    evaluations_of_department,
    section_versions,
)
from evaluations.selectors.snapshots import form_data
from evaluations.services.sections import Outcome, SectionNotEditable, section_submit
from evaluations.tables.registry import (
    Section,
    scoped_sections,
    section_for,
    sections_for,
    tables_for,
)


def posted_data(section: Section, current: Any, data: Any) -> QueryDict:
    """JSON from the API as the form-encoded data the section's form reads."""
    if not isinstance(data, dict):
        raise serializers.ValidationError({"data": "须是一个对象"})
    posted = QueryDict(mutable=True)
    if isinstance(current, BaseFormSet):
        rows = data.get("rows")
        if not isinstance(rows, list):
            raise serializers.ValidationError({"data": "行表须提供 rows 列表"})
        prefix = current.prefix
        posted.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(current.initial_form_count()),
            }
        )
        for index, row in enumerate(rows):
            _put(posted, f"{prefix}-{index}", row)
    else:
        _put(posted, section.prefix, data)
    return posted


def _put(posted: QueryDict, prefix: str, row: Any) -> None:
    if not isinstance(row, dict):
        raise serializers.ValidationError({"data": "每一行须是一个对象"})
    for name, value in row.items():
        if value is None:
            continue
        # "true"/"false" read right for both check boxes and 是/否 selects (NullBooleanSelect).
        posted[f"{prefix}-{name}"] = str(value).lower() if isinstance(value, bool) else str(value)


def form_errors(form: Any) -> Any:
    if isinstance(form, BaseFormSet):
        return {"rows": form.errors, "non_field_errors": form.non_form_errors()}
    return form.errors


class TenantAPIView(APIView):
    tenant_roles = frozenset(ALL_ROLES)

    @property
    def tenant(self) -> Tenant:
        return cast(TenantRequest, self.request._request).tenant

    def evaluation(self, pk: int) -> Evaluation:
        return get_object_or_404(Evaluation.objects.select_related("campaign", "department"), pk=pk)

    def section(self, evaluation: Evaluation, key: str) -> Section:
        section = section_for(evaluation, key)
        if section is None:
            raise Http404
        return section


class EvaluationListView(TenantAPIView):
    @extend_schema(responses=EvaluationSerializer(many=True))
    def get(self, request: Request, department: str) -> Response:
        return Response(EvaluationSerializer(evaluations_of_department(), many=True).data)


class EvaluationDetailView(TenantAPIView):
    """An evaluation with every section's data and version, its metrics and its violations."""

    @extend_schema(responses={200: EvaluationDocumentSerializer, 404: NOT_FOUND})
    def get(self, request: Request, department: str, pk: int) -> Response:
        evaluation = self.evaluation(pk)
        sections = [*sections_for(evaluation), *scoped_sections(evaluation)]
        versions = section_versions(evaluation, sections)
        values = evaluation_values(evaluation)
        return Response(
            {
                **EvaluationSerializer(evaluation).data,
                "tables": [{"slug": t.slug, "title": t.title} for t in tables_for(evaluation)],
                "sections": {
                    s.key: {
                        "title": s.title,
                        "table": s.table,
                        "version": versions[s.key],
                        "data": form_data(s.form(evaluation)),
                    }
                    for s in sections
                },
                "metrics": [
                    {
                        "key": m.key,
                        "label": m.label,
                        "value": None if m.value is None else str(m.value),
                        "display": m.display,
                        "working": m.working,
                    }
                    for m in evaluation_metrics(values)
                ],
                "violations": [v.__dict__ for v in evaluation_violations(evaluation, values)],
            }
        )


class SectionView(TenantAPIView):
    """Read or write one section. A write names the version it is based on (409 if stale)."""

    tenant_roles = frozenset(ALL_ROLES)

    @extend_schema(
        summary="读取一个栏目",
        description="栏目的当前数据与版本号。此部门的成员和本财政区划的审核人可读。",
        parameters=[SECTION_KEY],
        responses={200: SECTION_READ, 403: DetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, department: str, pk: int, key: str) -> Response:
        evaluation = self.evaluation(pk)
        section = self.section(evaluation, key)
        version = section_versions(evaluation, [section])[key]
        return Response(
            {
                "key": key,
                "title": section.title,
                "version": version,
                "data": form_data(section.form(evaluation)),
            }
        )

    @extend_schema(
        summary="保存一个栏目",
        parameters=[SECTION_KEY],
        description=(
            "以 based_on 所依据的版本保存整个栏目（与网页表单相同的校验与规则）。"
            "若他人已在此后保存，不覆盖，返回 409 及对方的值。"
        ),
        request=SECTION_WRITE,
        responses={
            200: SECTION_SAVED,
            400: OpenApiResponse(
                REQUEST_ERROR,
                description="请求体不合格式：缺少 based_on，或 data 不是对象",
            ),
            403: OpenApiResponse(
                DetailSerializer, description="您的角色或此自评的状态不允许修改此栏目"
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(
                SECTION_CONFLICT, description="他人已修改此栏目：未保存，附对方的值"
            ),
            422: OpenApiResponse(SECTION_INVALID, description="数据未通过校验：未保存"),
        },
        examples=[
            OpenApiExample(
                "basic.staffing",
                summary="单表：人员情况",
                value={"based_on": 0, "data": {"staff_authorized": 61, "staff_actual": 55}},
                request_only=True,
            ),
            OpenApiExample(
                "assets.lines",
                summary="行表：固定资产情况表（第二行删除）",
                value={
                    "based_on": 3,
                    "data": {
                        "rows": [
                            {"name": "房屋", "quantity": 2, "amount": "1351.21"},
                            {"name": "车辆", "DELETE": True},
                        ]
                    },
                },
                request_only=True,
            ),
            OpenApiExample(
                "conflict",
                summary="409：他人已修改",
                value={
                    "detail": "他人已修改此栏目，未保存。",
                    "version": 2,
                    "data": {"staff_authorized": 61, "staff_actual": 55},
                },
                response_only=True,
                status_codes=["409"],
            ),
            OpenApiExample(
                "invalid",
                summary="422：校验错误",
                value={"errors": {"staff_authorized": ["输入整数。"]}},
                response_only=True,
                status_codes=["422"],
            ),
        ],
    )
    def put(self, request: Request, department: str, pk: int, key: str) -> Response:
        evaluation = self.evaluation(pk)
        section = self.section(evaluation, key)
        if not section.can_edit(self.tenant.roles, evaluation):
            raise PermissionDenied(SectionNotEditable().args[0])
        payload = request.data if isinstance(request.data, dict) else {}
        based_on = payload.get("based_on")
        if not isinstance(based_on, int) or isinstance(based_on, bool):
            raise serializers.ValidationError({"based_on": "须给出所依据的版本号（整数）"})
        done = section_submit(
            evaluation=evaluation,
            section=section,
            data=posted_data(section, section.form(evaluation), payload.get("data")),
            based_on=based_on,
            by=request.user,
            roles=self.tenant.roles,
        )
        if done.outcome is Outcome.INVALID:
            return Response(
                {"errors": form_errors(done.form)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY
            )
        if done.outcome is Outcome.CONFLICT:
            # The other's values as saved: read afresh, not from the objects this request loaded
            # (and cached, a blank row included) before the other save was committed.
            now = self.evaluation(pk)
            return Response(
                {
                    "detail": "他人已修改此栏目，未保存。",
                    "version": done.version,
                    "data": form_data(self.section(now, key).form(now)),
                },
                status=status.HTTP_409_CONFLICT,
            )
        values = evaluation_values(evaluation)
        violations = [
            v.__dict__ for v in evaluation_violations(evaluation, values) if v.section == key
        ]
        return Response(
            {
                "key": key,
                "version": done.version,
                "data": form_data(section.form(evaluation)),
                "violations": violations,
            }
        )
