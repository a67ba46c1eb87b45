"""Explanations (说明) of warnings where the warnings are listed: the section cards and the panel.

`{% warning_notes evaluation as notes %}` loads every explanation of the evaluation once per
request (remembered on the evaluation instance, which every list of one page shares), so a page
of many sections and the panel cost one query together.
"""

from dataclasses import dataclass
from functools import cached_property
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from departments.roles import Role
from evaluations.checks.engine import Violation
from evaluations.models import Evaluation
from evaluations.models.explanations import EXPLANATION_MAX_LENGTH
from evaluations.selectors.evaluations import (
    ExplanationIndex,
    explanation_for,
    explanations_of,
    unexplained_among,
)
from evaluations.workflow import EDITABLE_STATES

register = template.Library()

MEMO = "_warning_explanations"


@dataclass
class WarningNotes:
    """The evaluation's explanations, and whether (and where) this user may write them."""

    explanations: ExplanationIndex
    can_write: bool
    url: str
    next: str
    csrf_token: str

    @cached_property
    def form_start(self) -> str:
        """The opening of every explanation form on the page, escaped once."""
        url = escape(self.url)
        return (
            f'<form method="post" action="{url}" hx-post="{url}" hx-swap="none" '
            'class="explain-form">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(self.csrf_token)}">'
            f'<input type="hidden" name="next" value="{escape(self.next)}">'
        )


def forget_explanations(evaluation: Evaluation) -> None:
    """After an explanation is written, the lists read them afresh."""
    evaluation.__dict__.pop(MEMO, None)


def _explanations(evaluation: Evaluation) -> ExplanationIndex:
    if MEMO not in evaluation.__dict__:
        evaluation.__dict__[MEMO] = explanations_of(evaluation)
    found: ExplanationIndex = evaluation.__dict__[MEMO]
    return found


@register.simple_tag(takes_context=True)
def warning_notes(context: template.Context, evaluation: Evaluation) -> WarningNotes:
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    roles = tenant.roles if tenant is not None else frozenset()
    # Without JavaScript the form returns to the page it is on; a fragment HTMX re-rendered
    # after a POST (an autosave) names that page in HX-Current-URL.
    here = ""
    if request is not None:
        here = request.headers.get("HX-Current-URL") or (
            request.get_full_path() if request.method == "GET" else ""
        )
    return WarningNotes(
        explanations=_explanations(evaluation),
        can_write=Role.FILLER in roles and evaluation.state in EDITABLE_STATES,
        url=reverse(
            "department:warning_explanation",
            kwargs={"department": evaluation.department.slug, "pk": evaluation.pk},
        ),
        next=here,
        csrf_token=str(context.get("csrf_token") or ""),
    )


@register.filter
def unexplained_count(violations: list[Violation], notes: WarningNotes) -> int:
    """`violations|unexplained_count:notes`: how many warnings still lack an explanation."""
    return len(unexplained_among(violations, notes.explanations))


@register.simple_tag
def warning_explanation(violation: Violation, notes: WarningNotes) -> SafeString:
    """A warning's explanation (已说明 with its text), and for a filler the form to write it.

    Built here rather than by a template: the panel may list dozens of warnings on every save.
    """
    if violation.is_error:
        return SafeString("")
    explanation = explanation_for(violation, notes.explanations)
    text = escape(explanation.text) if explanation else ""
    # Translated words outside the f-strings: makemessages does not look inside them.
    if explanation:
        badge = escape(_("已说明"))
        shown = f'<p class="explanation"><span class="badge explained">{badge}</span> {text}</p>'
    else:
        missing = escape(_("未说明"))
        shown = f'<p class="explanation missing">{missing}</p>'
    if not notes.can_write:
        return mark_safe(shown)  # noqa: S308 (every part escaped above)
    summary = _("修改说明") if explanation else _("填写说明")
    label = _("说明（留空则删除）") if explanation else _("说明")
    button = _("保存说明")
    return mark_safe(  # noqa: S308 (every part escaped here or in WarningNotes.form_start)
        f'{shown}<details class="explain"><summary>{escape(summary)}</summary>'
        f"{notes.form_start}"
        f'<input type="hidden" name="code" value="{escape(violation.code)}">'
        f'<input type="hidden" name="section" value="{escape(violation.section)}">'
        f'<input type="hidden" name="target" value="{escape(violation.target)}">'
        f"<label>{escape(label)}"
        f'<textarea name="text" rows="2" maxlength="{EXPLANATION_MAX_LENGTH}">{text}</textarea>'
        f'</label><button type="submit">{escape(button)}</button></form></details>'
    )
