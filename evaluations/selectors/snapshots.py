"""What an evaluation holds, as JSON: every section's data as its form shows it.

The API reads sections this way, and a submission freezes the whole as a snapshot whose SHA-256
is computed over a canonical encoding (sorted keys, no spaces, UTF-8), so anyone holding the
content can recompute it.
"""

import hashlib
import json
from typing import Any

from django.forms import BaseFormSet

from evaluations.models import Evaluation
from evaluations.tables.registry import scoped_sections, sections_for


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


def evaluation_snapshot(evaluation: Evaluation) -> dict[str, Any]:
    """Every section of the evaluation (its projects' too): key → title, table and data."""
    sections = [*sections_for(evaluation), *scoped_sections(evaluation)]
    return {
        "evaluation": evaluation.pk,
        "department": evaluation.department.name,
        "fiscal_year": evaluation.campaign.fiscal_year,
        "sections": {
            section.key: {
                "title": section.title_for(evaluation) if section.title_for else section.title,
                "table": section.table,
                "data": form_data(section.form(evaluation)),
            }
            for section in sections
        },
    }


def canonical_sha256(content: Any) -> str:
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
