"""REST endpoints for every table: one generic endpoint per section, with the forms' own validation.

Each section is read and written as JSON `{"based_on": version, "data": {...}}`; `data` holds the
section's form fields (for row tables, `{"rows": [{...}, ...]}`). Writes go through the same form,
the same optimistic version check and the same rules as the browser, so the API cannot store
anything the forms would refuse. URLs live under the tenant (`/api/d/<department>/…`).

The OpenAPI schema documents every section's `data` as its own component, generated from the
section's form (`section_components`): the fields' names, types and Chinese labels.
"""

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import DatabaseError
from django.forms import BaseFormSet
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django_scopes import scopes_disabled
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from departments.models import Department
from departments.roles import ALL_ROLES, Role
from evaluations import sections as section_registry
from evaluations.models import Campaign, Evaluation, ProjectEvaluation
from evaluations.models.basic import PercentInput
from evaluations.models.parts import MoneyFormField
from evaluations.sections import (
    Section,
    scoped_sections,
    section_for,
    sections_for,
    table_by_slug,
    tables_for,
)
from evaluations.selectors import (
    evaluation_metrics,
    evaluation_values,
    evaluation_violations,
    evaluations_of_department,
    section_versions,
)
from evaluations.services import SectionConflict, section_save


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    fiscal_year = serializers.IntegerField(source="campaign.fiscal_year")
    campaign = serializers.CharField(source="campaign.title")

    class Meta:
        model = Evaluation
        fields = ["id", "fiscal_year", "campaign", "state", "updated_at"]


def form_data(form: Any) -> dict[str, Any]:
    """The values a form shows, as JSON (rows for a formset)."""
    if isinstance(form, BaseFormSet):
        return {"rows": [_fields(row) for row in form.forms]}
    return _fields(form)


def _fields(form: Any) -> dict[str, Any]:
    # As the form shows it (a percentage as typed: 95 for a stored 0.95), so it can be sent back.
    return {
        name: _json(field.prepare_value(form[name].value()))
        for name, field in form.fields.items()
        if name not in {"DELETE", "ORDER"}
    }


def _json(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str | list) else str(value)


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


# --- OpenAPI: each section's data as a component generated from its form ---------------------

logger = logging.getLogger(__name__)
ROLE_NAMES = dict(Role.choices)


class FormSchema(serializers.Serializer[Any]):
    """Documentation only: a section's `data`, described by `schema` (see FormSchemaExtension)."""

    schema: dict[str, Any] = {}


class FormSchemaExtension(OpenApiSerializerExtension):
    """Gives drf-spectacular the JSON schema a FormSchema subclass carries, as its component."""

    target_class = FormSchema
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return self.target.schema


@dataclass(frozen=True)
class DocumentedSection:
    """One shape of section data: a registered section, or a family (every report chapter,
    each project's sections) whose keys differ only by a number."""

    keys: str  # as the docs show them: "basic.staffing", "project.{项目id}.funds"
    component: str  # the component's name, e.g. "BasicStaffing"
    section: Section
    form: Any  # the blank form or formset
    fields: dict[str, forms.Field]  # the form's, or a row's (a formset's empty form)


def _schema_evaluation() -> Evaluation:
    """An evaluation that exists nowhere: its forms are the blank forms, their fields complete."""
    campaign = Campaign(pk=0, fiscal_year=2000, title="")
    campaign._rubric = None  # type: ignore[attr-defined]  # see scoring.campaign_rubric
    department = Department(pk=0, slug="department", name="")
    return Evaluation(pk=0, campaign=campaign, department=department)


NUMBERED = re.compile(r"\.\d+$")  # numbered slots of one shape: report.01 … report.15


def component_of(section: Section) -> str:
    """The name of the component documenting a section's data: "hunan_basic.three_public" →
    "HunanBasicThreePublic", "project.12.funds" → "ProjectFunds", "report.03" → "ReportChapter"."""
    key = section.family or section.key
    words = re.split(r"[._]", NUMBERED.sub("", key))
    name = "".join(word.capitalize() for word in words if word)
    return f"{name}Chapter" if NUMBERED.search(key) else name


@functools.cache
def documented_sections() -> tuple[DocumentedSection, ...]:
    """Every section an evaluation can have, once per shape, with its blank form.

    Built when the schema is first generated (it reads the database for rows of an evaluation
    that does not exist, so never at import time) and remembered: forms change only with code.
    """
    from evaluations.tables.projects import project_sections

    evaluation = _schema_evaluation()
    project = ProjectEvaluation(pk=0, evaluation=evaluation, name="")
    found: dict[str, DocumentedSection] = {}
    with scopes_disabled():
        # Every registered section, whichever evaluations it applies to.
        registered = list(section_registry._REGISTRY.values())
        for section in [*registered, *project_sections(evaluation, project)]:
            component = component_of(section)
            if section.family:  # "project.0.funds" → "project.{项目id}.funds"
                keys = section.family.replace("project.", "project.{项目id}.", 1)
            elif NUMBERED.search(section.key):
                numbered = [s.key for s in registered if component_of(s) == component]
                keys = f"{numbered[0]} … {numbered[-1]}"
            else:
                keys = section.key
            if component not in found:
                form = section.form(evaluation)
                row = form.empty_form if isinstance(form, BaseFormSet) else form
                found[component] = DocumentedSection(keys, component, section, form, row.fields)
    return tuple(found.values())


def _label(field: forms.Field, name: str) -> str:
    if name == "DELETE":
        return "删除此行（仅用于写入：true 删除该行）"
    if isinstance(field, forms.ModelChoiceField):
        return "行 id：已有的行原样带回，新增的行为 null"
    label = str(field.label or name)
    unit = getattr(field, "unit", None) or ("万元" if isinstance(field, MoneyFormField) else None)
    if isinstance(field, PercentInput):
        label += "（百分数：95 表示 95%）"
    elif unit:
        label += f"（{unit}）"
    if isinstance(field, forms.TypedChoiceField) and field.coerce is int:
        label += "：上级行的 id，顶级为 null"
    if field.required:
        label += "。必填"
    if field.help_text:
        label += f"。{field.help_text}"
    return label


def field_schema(field: forms.Field, name: str) -> dict[str, Any]:
    """The JSON schema of one form field as the API reads and writes it."""
    schema: dict[str, Any]
    if name == "DELETE":
        return {"type": "boolean", "writeOnly": True, "description": _label(field, name)}
    if isinstance(field, forms.ModelChoiceField) or (
        isinstance(field, forms.TypedChoiceField) and field.coerce is int
    ):
        schema = {"type": "integer"}
    elif isinstance(field, forms.ChoiceField):
        listed: Any = field.choices
        choices = [(str(v), str(label)) for v, label in listed if v not in ("", None)]
        schema = {"type": "string", "enum": [v for v, _ in choices]}
        schema["description"] = "；".join(f"{v}：{label}" for v, label in choices)
    elif isinstance(field, forms.NullBooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, forms.BooleanField):
        return {"type": "boolean", "description": _label(field, name)}
    elif isinstance(field, forms.DecimalField | forms.FloatField):  # IntegerField subclasses
        # A decimal string ("1351.21"); a JSON number is accepted too.
        schema = {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.EmailField):
        schema = {"type": "string", "format": "email"}
    elif isinstance(field, forms.URLField):
        schema = {"type": "string", "format": "uri"}
    else:
        schema = {"type": "string"}
        if getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length  # type: ignore[attr-defined]
    label = _label(field, name)
    schema["description"] = (
        f"{label}。{schema['description']}" if "description" in schema else label
    )
    return {**schema, "nullable": True}


def _fields_schema(fields: dict[str, forms.Field]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            name: field_schema(field, name) for name, field in fields.items() if name != "ORDER"
        },
    }


def data_schema(documented: DocumentedSection) -> dict[str, Any]:
    """The component of one section's `data`: its form's fields, or `rows` of them."""
    from evaluations.tables.scores import ScoresForm

    section, form = documented.section, documented.form
    table = table_by_slug(section.table)
    title = "各部分的正文，标题取自任务的报告模板" if " … " in documented.keys else section.title
    editors = "、".join(str(ROLE_NAMES[role]) for role in sorted(section.editors))
    about = (
        f"栏目 {documented.keys}：{title.strip(' ·')}（{table.title if table else section.table}）。"
        f"可修改：{editors}，在允许修改的状态下。"
        "写入（PUT）替换整个栏目：未给出的字段视为空。"
    )
    if isinstance(form, ScoresForm):
        return {
            "type": "object",
            "description": about
            + "字段随任务的评分表而定：每个指标 score__<指标编码，点换成下划线>（得分，十进制字符串，"
            "0 至该指标分值；加减分项可为负）和 note__<同上>（扣分或核查说明）。",
            "additionalProperties": {"type": "string", "nullable": True},
            "example": {"score__1_1_1": "4.00", "note__1_1_1": ""},
        }
    if isinstance(form, BaseFormSet):
        row = _fields_schema(documented.fields)
        return {
            "type": "object",
            "description": about
            + "行表：rows 依次给出每一行；已有的行按顺序对应，多出的行为新增行；读取时末尾附有空白的新增行。",
            "properties": {"rows": {"type": "array", "items": row}},
            "required": ["rows"],
        }
    return {"description": about, **_fields_schema(documented.fields)}


class UndocumentedSectionSerializer(FormSchema):
    """Stands in for the sections' components when the database cannot be reached."""

    schema: dict[str, Any] = {
        "type": "object",
        "description": "生成文档时无法连接数据库，各栏目的字段未列出。",
        "additionalProperties": True,
    }


def section_components() -> list[type[FormSchema]]:
    """One FormSchema subclass per documented section (the component is named after it).

    Building the blank forms reads the database (for the rows of an evaluation that does not
    exist); without one (`manage.py check --deploy` on a build machine generates the schema),
    the sections are left undocumented rather than failing.
    """
    try:
        return _section_components(get_language())
    except DatabaseError:
        logger.warning("OpenAPI schema: no database, the sections' data is left undocumented.")
        return [UndocumentedSectionSerializer]


@functools.cache
def _section_components(language: str | None) -> list[type[FormSchema]]:
    return [
        type(
            f"{documented.component}Serializer", (FormSchema,), {"schema": data_schema(documented)}
        )
        for documented in documented_sections()
    ]


class SectionDataSchema(serializers.Serializer[Any]):
    """Documentation only: the data of any section (see SectionDataSchemaExtension)."""


class SectionDataSchemaExtension(OpenApiSerializerExtension):
    """`SectionData`: any of the sections' components, the one the URL's key names.

    anyOf, not oneOf: the key is in the URL, not in the body, so nothing in the data tells the
    shapes apart, and they overlap (every field may be left out; 湖南's staffing has basic's
    fields and one more). Each component's description names the keys it documents.
    """

    target_class = SectionDataSchema

    def get_name(self, auto_schema: Any, direction: Any) -> str:
        return "SectionData"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "description": "栏目的数据：URL 中的 key 所指栏目的组件（各组件的说明写明其 key）。",
            "anyOf": [
                auto_schema.resolve_serializer(component, direction).ref
                for component in section_components()
            ],
        }


@extend_schema_field(SectionDataSchema)
class SectionDataField(serializers.JSONField):
    """The section's data: the shape of the section the URL names (see SectionData)."""


class ViolationSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="规则编码")
    severity = serializers.ChoiceField(
        choices=[("error", "错误"), ("warning", "警告")],
        help_text="error：错误，提交前须改正；warning：警告，须书面说明",
    )
    section = serializers.CharField(help_text="栏目 key")
    field = serializers.CharField(help_text="所指向的输入项（字段名或 行号-字段名）")
    message = serializers.CharField(help_text="中文说明")
    target = serializers.CharField(help_text="所指对象，跨保存保持不变")


# Documentation only (the views build their answers themselves). `data`, `errors` and `label`
# are also attributes of DRF's serializers and fields, so these are declared inline.
SECTION_READ = inline_serializer(
    "SectionRead",
    {
        "key": serializers.CharField(help_text="栏目 key，如 basic.staffing"),
        "title": serializers.CharField(help_text="栏目标题"),
        "version": serializers.IntegerField(help_text="当前版本号；写入时作为 based_on 带回"),
        "data": SectionDataField(help_text="栏目的数据，结构见 SectionData 中该栏目的组件"),
    },
)
SECTION_WRITE = inline_serializer(
    "SectionWrite",
    {
        "based_on": serializers.IntegerField(
            min_value=0, help_text="所依据的版本号（读取时的 version）"
        ),
        "data": SectionDataField(help_text="栏目的全部数据，结构见 SectionData 中该栏目的组件"),
    },
)
SECTION_SAVED = inline_serializer(
    "SectionSaved",
    {
        "key": serializers.CharField(help_text="栏目 key"),
        "version": serializers.IntegerField(help_text="保存后的版本号"),
        "data": SectionDataField(help_text="保存后的数据"),
        "violations": ViolationSerializer(many=True, help_text="此栏目现有的校验结果"),
    },
)
SECTION_CONFLICT = inline_serializer(
    "SectionConflict",
    {
        "detail": serializers.CharField(help_text="他人已修改此栏目，未保存。"),
        "version": serializers.IntegerField(
            help_text="对方保存后的版本号：确认后以此为 based_on 重新提交"
        ),
        "data": SectionDataField(help_text="对方保存的值（当前数据）"),
    },
)


ERRORS_SCHEMA = {
    "description": "与表单相同的校验错误。单表：字段名 → 错误信息列表（__all__ 为整表错误）；"
    "行表：rows 为每行的（字段名 → 错误信息列表），non_field_errors 为整表错误。",
    "anyOf": [
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        {
            "type": "object",
            "properties": {
                "rows": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "non_field_errors": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["rows", "non_field_errors"],
        },
    ],
}


@extend_schema_field(ERRORS_SCHEMA)
class FormErrorsField(serializers.JSONField):
    pass


SECTION_INVALID = inline_serializer("SectionInvalid", {"errors": FormErrorsField()})


class DetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="中文说明")


REQUEST_ERROR = inline_serializer(
    "RequestError",
    {
        "based_on": serializers.CharField(required=False, help_text="缺少或不是整数时的说明"),
        "data": serializers.CharField(
            required=False, help_text="data 不是对象、行表缺少 rows 时的说明"
        ),
    },
)


class TableSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()


SECTION_SUMMARY = inline_serializer(
    "SectionSummary",
    {
        "title": serializers.CharField(help_text="栏目标题"),
        "table": serializers.CharField(help_text="所属表格的 slug"),
        "version": serializers.IntegerField(help_text="当前版本号"),
        "data": SectionDataField(help_text="栏目的数据"),
    },
)
METRIC = inline_serializer(
    "Metric",
    {
        "key": serializers.CharField(),
        "label": serializers.CharField(help_text="指标名称，如 整体支出完成率"),
        "value": serializers.CharField(
            allow_null=True, help_text="比率，十进制字符串（0.9773 即 97.73%）；无法计算时为 null"
        ),
        "display": serializers.CharField(help_text="显示值，如 97.73%；无法计算时为 —"),
        "working": serializers.CharField(help_text="计算过程"),
    },
)


class EvaluationDocumentSerializer(EvaluationSerializer):
    tables = TableSerializer(many=True, help_text="此自评填报的表格")
    sections = serializers.DictField(
        child=SECTION_SUMMARY, help_text="栏目 key → 栏目（含各项目的栏目）"
    )
    metrics = serializers.ListField(child=METRIC, help_text="数据字典中的比率")
    violations = ViolationSerializer(many=True, help_text="全部校验结果")

    class Meta(EvaluationSerializer.Meta):
        fields = [*EvaluationSerializer.Meta.fields, "tables", "sections", "metrics", "violations"]


SECTION_KEY = OpenApiParameter(
    "key",
    str,
    OpenApiParameter.PATH,
    description=(
        "栏目 key，如 basic.staffing、funds.figures、report.01、project.{项目id}.indicators。"
        "data 的结构是 SectionData 中该栏目的组件（组件说明写明其 key）。"
    ),
)
NOT_FOUND = OpenApiResponse(
    DetailSerializer,
    description="自评不存在或不属于此部门、栏目不适用于此自评，或您不是此部门的成员",
)


class TenantAPIView(APIView):
    tenant_roles = frozenset(ALL_ROLES)

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
    parser_classes = [JSONParser]

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
        if not section.can_edit(request.tenant.roles, evaluation):  # type: ignore[attr-defined]
            raise PermissionDenied("您的角色或此自评的状态不允许修改此栏目。")
        payload = request.data if isinstance(request.data, dict) else {}
        based_on = payload.get("based_on")
        if not isinstance(based_on, int):
            raise serializers.ValidationError({"based_on": "须给出所依据的版本号（整数）"})
        current = section.form(evaluation)
        form = section.form(evaluation, posted_data(section, current, payload.get("data")))
        if not form.is_valid():
            return Response(
                {"errors": form_errors(form)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY
            )
        try:
            state = section_save(
                evaluation=evaluation,
                section=section,
                form=form,
                based_on=based_on,
                by=request.user,
            )
        except SectionConflict as conflict:
            # The other's values as saved: read afresh, not from the objects this request loaded
            # (and cached, a blank row included) before the other save was committed.
            now = self.evaluation(pk)
            return Response(
                {
                    "detail": "他人已修改此栏目，未保存。",
                    "version": conflict.state.version,
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
                "version": state.version,
                "data": form_data(section.form(evaluation)),
                "violations": violations,
            }
        )
