"""The data behind a publication, as JSON: attached to each of its PDFs, stored as an artifact of
its own, and read by the open data (the portal's CSV is `values`, one row each).

Numbers are decimal strings exactly as held (「1234.5678」, never a float: 万元 with four decimals
survive any reader). Its JSON Schema is publishing/schemas/publication-data.json, served at
/public/schema/publication-data.json; the document names its schema by that address.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from evaluations.selectors.snapshots import evaluation_snapshot
from publishing.documents.data import DocumentData
from publishing.models import Publication
from rubrics.engine.metrics import INPUTS, METRICS, MetricValue, plain
from rubrics.engine.scoring import Result

SCHEMA_NAME = "publication-data"
SCHEMA_PATH = Path(__file__).parent / "schemas" / f"{SCHEMA_NAME}.json"
MIMETYPE = "application/json"

# Units by the data dictionary's kinds; ratios are fractions (0.9773 is 97.73%).
UNITS = {"amount": "万元", "count": "个", "ratio": "比率", "datetime": "", "count_or_list": "项"}
PERSONS = {"staff_authorized", "staff_actual"}
# Kinds that are rows, not one value: they are in `tables`, as their sections hold them.
NOT_FLAT = {"list", "any", "rows"}


def schema_url() -> str:
    return settings.SITE_URL + reverse("portal:schema", args=[SCHEMA_NAME])


def publication_data(publication: Publication, data: DocumentData) -> dict[str, Any]:
    """The publication's data: what it is, every value and metric, every table, the scores."""
    return {
        "schema": schema_url(),
        "publication": _about(publication),
        "values": flat_values(data.values, data.metrics.values()),
        "tables": evaluation_snapshot(data.evaluation)["sections"],
        "scores": None if data.sheet is None else scores(data.sheet.result),
    }


def publication_json(publication: Publication, data: DocumentData) -> bytes:
    """`publication_data` as UTF-8 JSON, Chinese as written (not \\u escapes), indented."""
    return json.dumps(publication_data(publication, data), ensure_ascii=False, indent=2).encode()


def _about(publication: Publication) -> dict[str, Any]:
    return {
        "code": publication.code,
        "title": publication.title,
        "department": publication.department.name,
        "jurisdiction": publication.jurisdiction.name,
        "fiscal_year": publication.fiscal_year,
        "snapshot_sha256": publication.snapshot_sha256 or None,
        "rubric_version": publication.rubric_version or None,
        # When publishing was asked for, not when this file was made: a rerun after a killed
        # worker makes the same document.
        "generated_at": publication.requested_at.isoformat(),
        "verify_url": publication.verify_url,
    }


def flat_values(values: dict[str, Any], metrics: Any) -> list[dict[str, Any]]:
    """The data dictionary's inputs the evaluation holds, then its metrics: one value each."""
    rows = [
        {
            "key": key,
            "label": spec.label,
            "value": _value(values[key]),
            "unit": "人" if key in PERSONS else UNITS[spec.kind],
        }
        for key, spec in INPUTS.items()
        if key in values and spec.kind not in NOT_FLAT
    ]
    rows += [_metric(metric) for metric in metrics if metric.key in METRICS]
    return rows


def _metric(metric: MetricValue) -> dict[str, Any]:
    value = None if metric.value is None else plain(metric.value)
    return {"key": metric.key, "label": metric.label, "value": value, "unit": UNITS["ratio"]}


def _value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # 表彰事项 and 被问责事项 given item by item: their number
        return str(len(value))
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    return str(value)


def scores(result: Result) -> dict[str, Any]:
    """The scoring sheet: the total, the grade and every indicator with its working."""
    return {
        "total": plain(result.total),
        "grade": result.grade,
        "indicators": [
            {
                "code": item.code,
                "name": item.name,
                "weight": _number(item.weight),
                "computed": _number(item.score),
                "claimed": _number(item.claimed),
                "verified": _number(item.verified),
                "working": item.explanation,
                "flags": [item.flag] if item.flag else [],
            }
            for item in result.items
        ],
    }


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)
