"""项目支出绩效自评表 (seeds 003, 004): a list of projects, and per project its own sections,
autosaved like the others under keys such as "project.12.indicators"."""

import copy
import functools
from collections.abc import Callable
from typing import Any

from django.forms import BaseForm, modelform_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations.models import Evaluation, ProjectEvaluation
from evaluations.scoring.projects import (
    AMOUNTS,
    ProjectScoring,
    fresh_project_scoring,
    project_scoring,
)
from evaluations.tables.base import owned_fields, save_owned
from evaluations.tables.hunan import FUNDS_FIELDS, as_written, funds_values, sum_present
from evaluations.tables.indicators import indicator_formset, indicator_values, save_indicators
from evaluations.tables.registry import Section, Table, register_source, register_table

TABLE = register_table(
    Table("projects", str(_("项目支出绩效自评")), template="evaluations/projects/_list.html")
)
SOURCES = [
    ("current", _("其中：当年财政拨款")),
    ("carryover", _("上年结转金额")),
    ("other", _("其它资金")),
]
# After a save of the funds, the rows or the total, every computed score of the project follows.
SCORING_LIVE = "evaluations/projects/_scoring_live.html"
SOURCE_FIELDS = [f"{source}_{amount}" for source, _label in SOURCES for amount in AMOUNTS]


def funds_by_source(project: ProjectEvaluation) -> dict[str, Any]:
    """`funds_by_source` rows and, per amount, whether the sources add up to the stated total."""
    rows: list[dict[str, Any]] = [
        {
            "label": str(label),
            "anchor": f"{source}_initial",
            "source": source,
            **{
                f"budget_{amount}": as_written(getattr(project, f"{source}_{amount}"))
                for amount in AMOUNTS
            },
        }
        for source, label in SOURCES
    ]
    columns = [
        {
            "label": str(label),
            "anchor": f"budget_{amount}",
            "stated_total": as_written(getattr(project, f"budget_{amount}")),
            "sources_total": sum_present(*(row[f"budget_{amount}"] for row in rows)),
        }
        for amount, label in zip(
            AMOUNTS, (_("年初预算数"), _("全年预算数"), _("全年执行数")), strict=True
        )
    ]
    return {**funds_values(project), "funds_by_source": rows, "funds_columns": columns}


def funds_section_values(
    project: ProjectEvaluation, scoring: Callable[[], ProjectScoring | None]
) -> dict[str, Any]:
    """The funds values, with the 预算执行率 score the rules check taken from the rubric engine
    (the model's hand-coded 分值 × 执行率 stays for the department-overall sheet only)."""
    scored = scoring()
    computed = scored.funds_score_shown if scored else None
    return {**funds_by_source(project), "funds_score_computed": computed}


def with_scoring(
    form: Any,
    evaluation: Evaluation,
    project: ProjectEvaluation,
    scoring: Callable[[], ProjectScoring | None],
    *,
    bound: bool,
) -> Any:
    """Give a project section's form its `scoring`, a callable the templates call only if shown.

    An unbound form (the page) shares the project's scoring with the other sections; a bound
    one (a save's response) reads the project afresh, as the save has just changed it.
    """
    if bound:
        form.scoring = functools.cache(lambda: fresh_project_scoring(evaluation, project.pk))
    else:
        form.scoring = scoring
    return form


def project_sections(evaluation: Evaluation, project: ProjectEvaluation) -> list[Section]:
    """The sections of one project's sheet, in the order of the official table."""
    stem = f"project.{project.pk}"
    # Scored once for all the sections of this project that show it (and the rules' values).
    scoring = functools.cache(functools.partial(project_scoring, evaluation, project))
    url = reverse(
        "department:project",
        kwargs={
            "department": evaluation.department.slug,
            "pk": evaluation.pk,
            "project_pk": project.pk,
        },
    )

    def section(key: str, title: Any, template: str, **options: Any) -> Section:
        return Section(
            key=f"{stem}.{key}",
            title=f"{project.name} · {title}",
            table=TABLE.slug,
            template=template,
            scope=stem,
            family=f"project.{key}",
            url=url,
            **options,
        )

    def part(
        key: str,
        title: Any,
        fields: list[str],
        template: str,
        values: Callable[[ProjectEvaluation], Any],
        **options: Any,
    ) -> Section:
        form_class = modelform_factory(ProjectEvaluation, fields=fields)

        def build_form(
            evaluation: Evaluation, data: Any = None, files: Any = None, *, prefix: str
        ) -> BaseForm:
            # A copy: validating a bound form writes into its instance, and the conflict view
            # compares with an unbound form that must still hold the saved values.
            form = form_class(data, files, instance=copy.copy(project), prefix=prefix)
            for field in form.fields.values():
                field.widget.attrs.setdefault("aria-label", str(field.label))
            return with_scoring(form, evaluation, project, scoring, bound=data is not None)

        return section(
            key,
            title,
            template,
            build_form=build_form,
            save=lambda evaluation, form: save_owned(form.instance, owned_fields(form)),
            values=lambda evaluation: values(project),
            **options,
        )

    return [
        part(
            "info",
            _("项目基本情况"),
            ["name", "supervising_department", "implementing_unit"],
            "evaluations/sections/_grid.html",
            lambda row: {"project_name": row.name},
        ),
        part(
            "funds",
            _("项目资金"),
            [*SOURCE_FIELDS, *FUNDS_FIELDS],
            "evaluations/sections/_project_funds.html",
            lambda row: funds_section_values(row, scoring),
            live_template=SCORING_LIVE,
        ),
        part(
            "targets",
            _("年度总体目标"),
            ["target_expected", "target_achieved"],
            "evaluations/sections/_grid.html",
            lambda row: {"target_expected": row.target_expected or None},
        ),
        section(
            "indicators",
            _("绩效指标"),
            "evaluations/sections/_indicators.html",
            build_form=lambda evaluation, data=None, files=None, *, prefix: with_scoring(
                indicator_formset(evaluation, project, data, files, prefix=prefix),
                evaluation,
                project,
                scoring,
                bound=data is not None,
            ),
            save=lambda evaluation, formset: save_indicators(evaluation, project, formset),
            values=lambda evaluation: indicator_values(project.indicators.all()),
            live_template=SCORING_LIVE,
        ),
        part(
            "total",
            _("总分"),
            ["total_weight", "total_score"],
            "evaluations/projects/_total.html",
            lambda row: {"total_weight": row.total_weight, "total_score": row.total_score},
            live_template=SCORING_LIVE,
        ),
    ]


def all_project_sections(evaluation: Evaluation) -> list[Section]:
    return [
        section
        for project in ProjectEvaluation.objects.filter(evaluation=evaluation).prefetch_related(
            "indicators"
        )
        for section in project_sections(evaluation, project)
    ]


register_source(all_project_sections)
