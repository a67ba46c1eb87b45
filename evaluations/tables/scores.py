"""评分表: the department's self-scores and the reviewer's verified scores, beside the computed ones.

Two sections: 自评得分 (fillers, while editable) and 核查得分 (reviewers, until published). The
computed scores, their working and the flags come from the rubric engine on every render.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from departments.roles import Role
from evaluations.models import Adjustments, Evaluation, IndicatorScore
from evaluations.models.parts import rows_of
from evaluations.scoring.department import campaign_rubric
from evaluations.tables.base import part_section
from evaluations.tables.registry import Section, Table, register, register_table
from evaluations.workflow import VERIFIABLE_STATES
from rubrics.engine.definition import Indicator


def has_rubric(evaluation: Evaluation) -> bool:
    return campaign_rubric(evaluation.campaign) is not None


TABLE = register_table(Table("scores", str(_("评分表")), applies_to=has_rubric, wide=True))


def field_key(code: str) -> str:
    """Indicator codes contain dots; form field names and HTML ids are safer without."""
    return code.replace(".", "_")


def scored_indicators(evaluation: Evaluation) -> list[Indicator]:
    """Every indicator that takes a score: the leaves, then the bonus and penalty item (加减分项)."""
    rubric = campaign_rubric(evaluation.campaign)
    if rubric is None:
        return []
    definition = rubric.definition()
    return [*definition.leaves, *([definition.adjustments] if definition.adjustments else [])]


class ScoresForm(forms.Form):
    """One score and one note per indicator of the campaign's rubric."""

    score_field = "claimed"
    note_field = "deduction_note"

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        rows: dict[str, IndicatorScore],
        signed: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            row = rows.get(indicator.code)
            key = field_key(indicator.code)
            self.fields[f"score__{key}"] = forms.DecimalField(
                label=f"{indicator.code} {indicator.name}",
                required=False,
                # 加减分 is signed and capped by the engine (which flags a claim above its cap).
                min_value=None if indicator.code in signed else Decimal(0),
                max_value=None if indicator.code in signed else indicator.weight,
                # The column's bounds (IndicatorScore: 7 digits, 2 decimals), or it would overflow.
                max_digits=7,
                decimal_places=2,
                initial=getattr(row, self.score_field, None),
            )
            self.fields[f"note__{key}"] = forms.CharField(
                label=f"{indicator.code} {self.note_label}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
                initial=getattr(row, self.note_field, ""),
            )

    note_label = _("扣分说明")

    def save_scores(self, evaluation: Evaluation) -> None:
        for indicator in self.indicators:
            key = field_key(indicator.code)
            IndicatorScore.objects.update_or_create(
                evaluation=evaluation,
                indicator_code=indicator.code,
                defaults={
                    self.score_field: self.cleaned_data[f"score__{key}"],
                    self.note_field: self.cleaned_data[f"note__{key}"],
                },
            )


class VerifiedScoresForm(ScoresForm):
    score_field = "verified"
    note_field = "verification_note"
    note_label = _("核查说明")


def _builder(form_class: type[ScoresForm]) -> Any:
    def build_form(
        evaluation: Evaluation, data: QueryDict | None = None, files: Any = None, *, prefix: str
    ) -> ScoresForm:
        rows = {
            row.indicator_code: row for row in IndicatorScore.objects.filter(evaluation=evaluation)
        }
        rubric = campaign_rubric(evaluation.campaign)
        adjustments = rubric.definition().adjustments if rubric else None
        return form_class(
            data,
            files,
            indicators=scored_indicators(evaluation),
            rows=rows,
            signed=frozenset({adjustments.code} if adjustments else ()),
            prefix=prefix,
        )

    return build_form


def claimed_values(evaluation: Evaluation) -> dict[str, Any]:
    """`score_rows`: each claimed score below its weight must say why (扣分说明)."""
    rows = {row.indicator_code: row for row in rows_of(evaluation, IndicatorScore)}
    found = []
    for indicator in scored_indicators(evaluation):
        row = rows.get(indicator.code)
        if row is None or row.claimed is None or indicator.weight is None:
            continue
        missing_note = row.claimed < indicator.weight and not row.deduction_note.strip()
        found.append(
            {
                "label": f"{indicator.code} {indicator.name}",
                "anchor": f"note__{field_key(indicator.code)}",
                "claimed": row.claimed,
                "weight": indicator.weight,
                "missing_note": Decimal(int(missing_note)),
            }
        )
    return {"score_rows": found}


register(
    part_section(
        key="scores.adjustments",
        title=str(_("加减分事项")),
        table=TABLE.slug,
        model=Adjustments,
        fields=[
            "commendations",
            "commendations_detail",
            "accountability_findings",
            "accountability_detail",
        ],
        units={"commendations": str(_("项")), "accountability_findings": str(_("项"))},
        values=lambda row: {
            "commendations": row.commendations,
            "accountability_findings": row.accountability_findings,
        },
    )
)

register(
    Section(
        key="scores.claimed",
        title=str(_("自评得分")),
        table=TABLE.slug,
        build_form=_builder(ScoresForm),
        save=lambda evaluation, form: form.save_scores(evaluation),
        values=claimed_values,
        inputs=lambda evaluation: {},
        template="evaluations/sections/scores_claimed.html",
        live_template="evaluations/sections/scores_live.html",
    )
)

register(
    Section(
        key="scores.verified",
        title=str(_("核查得分")),
        table=TABLE.slug,
        build_form=_builder(VerifiedScoresForm),
        save=lambda evaluation, form: form.save_scores(evaluation),
        values=lambda evaluation: {},
        template="evaluations/sections/scores_verified.html",
        live_template="evaluations/sections/scores_live.html",
        editors=frozenset({Role.REVIEWER}),
        editable_states=VERIFIABLE_STATES,
    )
)
