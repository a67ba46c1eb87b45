"""The OpenAPI documentation of the section endpoints (evaluations/api.py).

Every section's `data` is its own component, generated from the section's form: the fields'
names, types and Chinese labels (with units), so that `/api/docs/` shows each table field by field.
The answers (saved, conflict, invalid, refused) are documented with their shapes and examples.
"""

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import DatabaseError
from django.forms import BaseFormSet
from django.utils.translation import get_language
from django_scopes import scopes_disabled
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers

from config.api_schema import DetailSerializer
from departments.models import Department
from departments.roles import Role
from evaluations.models import Campaign, Evaluation, ProjectEvaluation
from evaluations.models.basic import PercentInput
from evaluations.models.parts import MoneyFormField
from evaluations.tables import registry as section_registry
from evaluations.tables.registry import (
    Section,
    table_by_slug,
)

logger = logging.getLogger(__name__)
ROLE_NAMES = dict(Role.choices)


class EvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    fiscal_year = serializers.IntegerField(source="campaign.fiscal_year")
    campaign = serializers.CharField(source="campaign.title")

    class Meta:
        model = Evaluation
        fields = ["id", "fiscal_year", "campaign", "state", "updated_at"]


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
    """An evaluation that exists nowhere: its forms are the blank forms, their fields complete
    (the scoring sheets' with the default rubric's indicators, as a campaign without its own)."""
    campaign = Campaign(pk=0, fiscal_year=2000, title="")
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
                occasional: dict[str, forms.Field] = getattr(row, "occasional_fields", dict)()
                fields = {**row.fields, **occasional}
                found[component] = DocumentedSection(keys, component, section, form, fields)
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


REQUEST_ERROR = inline_serializer(
    "RequestError",
    {
        "detail": serializers.CharField(
            required=False,
            help_text="请求体不是可读的 JSON 时的说明（格式错误、不是 UTF-8、嵌套过深、含空字符等）",
        ),
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
