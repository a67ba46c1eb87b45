import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rubrics.api import dry_run
from rubrics.engine.definition import RubricError
from rubrics.engine.scoring import RequestError, load_request_json


class Command(BaseCommand):
    help = "按评分表计算得分（试算）：score RUBRIC_ID INPUT.json [--format json|table]；INPUT 为 - 时读标准输入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("rubric_id")
        parser.add_argument("input", help='JSON 文件：{"inputs": {...}, "claimed": {...}}')
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        body = self._read(options["input"])
        try:
            result = dry_run(options["rubric_id"], body)
        except (RequestError, RubricError) as error:
            raise CommandError(str(error), returncode=2) from error
        if options["format"] == "table":
            self.stdout.write(render_table(result))
        else:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _read(self, name: str) -> Any:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            return load_request_json(text)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"无法读取输入文件：{error}", returncode=2) from error
        except RequestError as error:
            raise CommandError(str(error), returncode=2) from error


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
    lines += _subtotal_lines(result["subtotals"])
    totals = result["display"]
    lines += [
        "-" * 88,
        f"加分 {totals['bonus']}　扣分 {totals['penalty']}　总分 {totals['total']}　等级 {result['grade']}",
    ]
    if result.get("total_flag"):
        lines.append(f"标记：{result['total_flag']}")
    lines += [f"警告：{warning}" for warning in result["warnings"]]
    return "\n".join(lines)


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
