"""Requests and results of the engine: a request mapping read into typed inputs and claims,
a result written out as JSON-ready data or as a plain-text table.

Reading checks the shape and every value and raises RequestError (Chinese, naming the field);
parsing the JSON text itself is the caller's, which bounds its depth first (`config.safe_json`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rubrics.engine.metrics import INPUTS, MetricValue, as_decimal, plain, points, points_fixed
from rubrics.engine.scoring import Claim, ItemResult, Result, Subtotal

REQUEST_KEYS = frozenset({"inputs", "claimed", "rubric", "source"})
ROW_KEYS = frozenset(
    {"level1", "level2", "name", "target", "actual", "weight", "direction", "claimed", "verified"}
)


class RequestError(ValueError):
    """A scoring request whose shape or values are wrong; the message says where (in Chinese)."""


# --- reading a request ----------------------------------------------------------------------


def parse_request(data: Any) -> tuple[dict[str, Any], dict[str, Claim]]:
    """Validate `{"inputs": {...}, "claimed": {...}}` and convert its values (Decimal, dates)."""
    if not isinstance(data, Mapping):
        raise RequestError("请求须是一个 JSON 对象")
    unknown = sorted(set(data) - REQUEST_KEYS)
    if unknown:
        raise RequestError(f"请求中有未知字段：{'、'.join(unknown)}（允许 inputs、claimed）")
    return parse_inputs(data.get("inputs") or {}), parse_claims(data.get("claimed") or {})


def parse_inputs(raw: Any) -> dict[str, Any]:
    """Data-dictionary keys to typed values; unknown keys and malformed values are refused."""
    if not isinstance(raw, Mapping):
        raise RequestError("inputs 须是一个对象")
    inputs: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in INPUTS:
            raise RequestError(f"inputs 中有未知输入项「{key}」（见数据字典）")
        if value is None:
            continue
        try:
            inputs[key] = _input_value(INPUTS[key].kind, value)
        except (ValueError, TypeError) as error:
            raise RequestError(f"inputs.{key}（{INPUTS[key].label}）：{error}") from error
    return inputs


def _input_value(kind: str, value: Any) -> Any:
    if kind == "amount":
        return as_decimal(value)
    if kind == "count":
        return _count(value)
    if kind == "ratio":
        return _ratio(value)
    if kind == "datetime":
        return _moment(value)
    if kind == "count_or_list":
        return list(value) if isinstance(value, list) else int(_count(value))
    if kind == "list":
        if not isinstance(value, list):
            raise ValueError("须是列表")
        return value
    if kind == "rows":
        return _rows(value)
    return value


def _count(value: Any) -> Decimal:
    number = as_decimal(value)
    if number < 0 or number != number.to_integral_value():
        raise ValueError(f"「{value}」须是非负整数")
    return number


def _ratio(value: Any) -> Decimal:
    if isinstance(value, str) and value.strip().endswith("%"):
        return as_decimal(value.strip()[:-1]) / Decimal(100)
    return as_decimal(value)


def _moment(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"「{value}」须是 ISO 日期或时间，如 2020-08-28")
    text = value.strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"「{value}」须是 ISO 日期或时间，如 2020-08-28") from error


def _rows(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueError("须是绩效指标行的列表")
    return [_row(raw, index) for index, raw in enumerate(value, start=1)]


def _row(raw: Any, index: int) -> dict[str, Any]:
    # Messages are built only when needed: a list may hold tens of thousands of rows.
    if not isinstance(raw, Mapping):
        raise ValueError(f"第 {index} 行须是对象")
    if not raw.keys() <= ROW_KEYS:
        unknown = "、".join(sorted(str(key) for key in set(raw) - ROW_KEYS))
        raise ValueError(f"第 {index} 行有未知字段：{unknown}")
    level1, name = _required_text(raw, "level1", index), _required_text(raw, "name", index)
    target, actual = raw.get("target"), raw.get("actual")
    weight = as_decimal(raw.get("weight"))
    if weight < 0:
        raise ValueError(f"第 {index} 行「{name}」的分值不能为负")
    direction = raw.get("direction")
    if direction is not None and direction != "higher" and direction != "lower":
        raise ValueError(f"第 {index} 行的 direction 只能是 higher、lower 或 null")
    claimed, verified = raw.get("claimed"), raw.get("verified")
    return {
        "level1": level1,
        "name": name,
        "level2": str(raw.get("level2") or "").strip(),
        "target": None if target is None else str(target).strip(),
        "actual": None if actual is None else str(actual).strip(),
        "weight": weight,
        "direction": direction,
        "claimed": None if claimed is None else as_decimal(claimed),
        "verified": None if verified is None else as_decimal(verified),
    }


def _required_text(raw: Mapping[str, Any], key: str, index: int) -> str:
    value = raw.get(key)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValueError(f"第 {index} 行缺少 {key}")
    return text


def parse_claims(raw: Any) -> dict[str, Claim]:
    """`{indicator name: score}` or `{name: {"score": …, "metric": "96.00%"}}` to Claims."""
    if not isinstance(raw, Mapping):
        raise RequestError("claimed 须是一个对象")
    claims = {}
    for name, value in raw.items():
        try:
            claims[str(name)] = _claim(value)
        except (ValueError, TypeError) as error:
            raise RequestError(f"claimed.{name}：{error}") from error
    return claims


def _claim(value: Any) -> Claim:
    if not isinstance(value, Mapping):
        return Claim(score=as_decimal(value))
    unknown = sorted(set(value) - {"score", "metric"})
    if unknown:
        raise ValueError(f"未知字段：{'、'.join(unknown)}（允许 score、metric）")
    score = None if value.get("score") is None else as_decimal(value["score"])
    metric = None if value.get("metric") is None else _ratio(value["metric"])
    return Claim(score=score, metric=metric)


# --- writing a result -----------------------------------------------------------------------


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def _metric_dict(metric: MetricValue) -> dict[str, Any]:
    return {
        "key": metric.key or None,
        "label": metric.label,
        "value": _number(metric.value),
        "display": metric.display,
        "working": metric.working,
    }


def _display_points(value: Decimal | None) -> str | None:
    return None if value is None else points_fixed(value)


def _item_dict(item: ItemResult) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "level": item.level,
        "group": item.group or None,
        "kind": item.kind,
        "weight": _number(item.weight),
        "metric": _metric_dict(item.metric) if item.metric else None,
        "metrics": [_metric_dict(metric) for metric in item.metrics],
        "score": _number(item.score),
        "claimed": _number(item.claimed),
        "claimed_metric": _number(item.claimed_metric),
        "verified": _number(item.verified),
        "flag": item.flag,
        "explanation": item.explanation,
        "display": {
            "weight": None if item.weight is None else points(item.weight),
            "score": _display_points(item.score),
            "claimed": _display_points(item.claimed),
            "verified": _display_points(item.verified),
        },
    }


def _subtotal_dict(subtotal: Subtotal) -> dict[str, Any]:
    return {
        "code": subtotal.code,
        "name": subtotal.name,
        "level": subtotal.level,
        "weight": _number(subtotal.weight),
        "score": _number(subtotal.score),
        "complete": subtotal.complete,
        "claimed": _number(subtotal.claimed),
        "flag": subtotal.flag,
        "explanation": subtotal.explanation or None,
        "display": {
            "weight": points(subtotal.weight),
            "score": points_fixed(subtotal.score),
            "claimed": _display_points(subtotal.claimed),
        },
    }


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data; numbers are exact decimal strings, `display` is rounded."""
    return {
        "rubric": result.rubric_id,
        "title": result.rubric_title,
        "items": [_item_dict(item) for item in result.items],
        "subtotals": [_subtotal_dict(subtotal) for subtotal in result.subtotals],
        "bonus": plain(result.bonus),
        "penalty": plain(result.penalty),
        "total": plain(result.total),
        "total_explanation": result.total_explanation,
        "claimed_total": _number(result.claimed_total),
        "total_flag": result.total_flag,
        "grade": result.grade,
        "complete": result.complete,
        "declared_weight": _number(result.declared_weight),
        "unmatched": [_item_dict(item) for item in result.unmatched],
        "warnings": list(result.warnings),
        "display": {
            "bonus": points_fixed(result.bonus),
            "penalty": points_fixed(result.penalty),
            "total": points_fixed(result.total),
        },
    }


def render_table(result: dict[str, Any]) -> str:
    """A readable scoring sheet: one line per indicator, its working below, then the totals."""
    lines = [f"评分表：{result['title']}（{result['rubric']}）", ""]
    lines += [
        f"{'编码':<8}{'指标':<20}{'分值':>6}{'指标值':>10}{'得分':>8}{'自评':>8}  标记",
        "-" * 88,
    ]
    for item in result["items"]:
        shown = item["display"]
        metric = (item.get("metric") or {}).get("display", "")
        lines.append(
            f"{item['code']:<8}{item['name'][:18]:<20}{_n(shown['weight']):>6}{metric:>10}"
            f"{_n(shown['score']):>8}{_n(shown['claimed']):>8}  {item['flag'] or ''}"
        )
        lines.append(f"{'':8}{item['explanation']}")
    lines += _unmatched_lines(result.get("unmatched") or [])
    lines += _subtotal_lines(result["subtotals"])
    totals = result["display"]
    lines += [
        "-" * 88,
        f"加分 {totals['bonus']}　扣分 {totals['penalty']}　总分 {totals['total']}　等级 {result['grade']}",
    ]
    lines.append(f"计算：{result['total_explanation']}")
    if result.get("total_flag"):
        lines.append(f"标记：{result['total_flag']}")
    lines += [f"警告：{warning}" for warning in result["warnings"]]
    return "\n".join(lines)


def _unmatched_lines(unmatched: list[dict[str, Any]]) -> list[str]:
    """Declared rows no family of the rubric collects: listed, not scored."""
    if not unmatched:
        return []
    lines = ["-" * 88, "未归入评分表的申报指标"]
    for item in unmatched:
        lines.append(
            f"{item['code']:<8}{item['name'][:18]:<20}{_n(item['display']['weight']):>6}  {item['flag']}"
        )
        lines.append(f"{'':8}{item['explanation']}")
    return lines


def _subtotal_lines(subtotals: list[dict[str, Any]]) -> list[str]:
    """一级指标小计, laid out like the items: computed, claimed, and the flag where they differ."""
    lines = ["-" * 88, "一级指标小计"]
    for subtotal in subtotals:
        if subtotal["level"] != 1:
            continue
        shown = subtotal["display"]
        provisional = "" if subtotal["complete"] else "（未完成）"
        lines.append(
            f"{subtotal['code']:<8}{subtotal['name'][:18]:<20}{shown['weight']:>6}{'':>10}"
            f"{shown['score']:>8}{_n(shown['claimed']):>8}  {subtotal['flag'] or ''}{provisional}"
        )
        if subtotal["explanation"]:
            lines.append(f"{'':8}{subtotal['explanation']}")
    return lines


def _n(value: Any) -> str:
    return "—" if value is None else str(value)
