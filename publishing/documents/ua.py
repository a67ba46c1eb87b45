"""WeasyPrint's user-agent stylesheet without the rules that give every element pseudo-elements
our documents never have.

The stock stylesheet gives *every* element a `::marker`, `::footnote-call`, `::footnote-marker`,
`::note-call`, `::note-marker` and `::note-callback` style, and WeasyPrint computes each of them:
six pseudo-element styles per element, some 10,000 of the package's 11,800 computed styles and a
fifth of its render time. Our documents float nothing into footnotes or notes, and only `li` is
a list item, so the same stylesheet with `::marker` narrowed to `li` and the note rules left out
lays the documents out identically (tests/publishing/test_ua.py compares the pages' pixels).

WeasyPrint takes no user-agent stylesheet as an option; `HTML._ua_stylesheets` is the hook its
own form support uses, overridden here. If a WeasyPrint upgrade rewrites those rules, the plain
stylesheet is used (slower, never wrong) and `SMALL_UA` says so.
"""

from importlib.resources import files

from weasyprint import CSS, HTML, css
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA_STYLESHEET

_EVERY_ELEMENT = (
    "::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }",
    "::footnote-call { content: counter(footnote); vertical-align: super; font-size: smaller; "
    "line-height: inherit }",
    '::footnote-marker { content: counter(footnote) ". " }',
    "::note-call { content: counter(note); vertical-align: super; font-size: smaller; "
    "line-height: inherit }",
    '::note-marker { content: counter(note) ". " }',
    '::note-callback { content: "\u202f↩" }',  # a narrow no-break space
)
_LIST_ITEM_MARKER = (
    "li::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }"
)


def _small_ua() -> CSS | None:
    text = (files(css) / "html5_ua.css").read_text("utf-8")
    if not all(rule in text for rule in _EVERY_ELEMENT):
        return None
    for rule in _EVERY_ELEMENT:
        text = text.replace(rule, _LIST_ITEM_MARKER if rule.startswith("::marker") else "")
    # Its @counter-style rules are the stock ones, which documents take from UA_COUNTER_STYLE
    # (`HTML._ua_counter_style`); parsed into a dictionary of their own, not defined twice.
    return CSS(string=text, counter_style=CounterStyle())


SMALL_UA = _small_ua()


class PrintHTML(HTML):
    """A document laid out with the smaller user-agent stylesheet (no forms in our documents)."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [SMALL_UA or UA_STYLESHEET]
