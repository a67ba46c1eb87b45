"""Explanations (说明) of warnings where the warnings are listed: the section cards and the panel.

The view passes `notes` (selectors.page.WarningNotes: every explanation, loaded once per request);
these tags only write them out.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from evaluations.checks.engine import Violation
from evaluations.models.explanations import EXPLANATION_MAX_LENGTH
from evaluations.selectors.checks import explanation_for, unexplained_among
from evaluations.selectors.page import WarningNotes

register = template.Library()


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
