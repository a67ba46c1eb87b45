"""Labels, never keys: the engine's working names inputs as 「label（key）」; people see the label."""

import re
from functools import cache

from django import template

from rubrics.engine.metrics import INPUTS, METRICS

register = template.Library()


@cache
def _labels() -> dict[str, str]:
    labels = {key: metric.label for key, metric in METRICS.items()}
    labels.update({key: spec.label for key, spec in INPUTS.items()})
    return labels


@cache
def _pattern() -> re.Pattern[str]:
    keys = "|".join(sorted(map(re.escape, _labels()), key=len, reverse=True))
    # A key in full-width brackets after its label goes; a bare key becomes its label.
    return re.compile(rf"[（(]({keys})[）)]|(?<![A-Za-z0-9_])({keys})(?![A-Za-z0-9_])")


def unkeyed_text(text: str) -> str:
    """The text with every data-dictionary key dropped after its label, or replaced by it."""
    labels = _labels()
    return _pattern().sub(lambda m: "" if m.group(1) else labels[m.group(2)], text)


@register.filter
def unkeyed(value: object) -> str:
    """For templates: `{{ item.explanation|unkeyed }}` (autoescaping still applies)."""
    return "" if value is None else unkeyed_text(str(value))
