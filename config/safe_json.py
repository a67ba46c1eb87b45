"""JSON from outside (API bodies, the `score` command's input), refused before it can hurt.

`json.loads` recurses once per nesting level, so a body of a thousand `[` raises RecursionError;
it accepts lone surrogates (`"\\ud800"`), which no encoder can write back, and NUL characters, which
PostgreSQL text cannot hold. `loads` checks the depth before parsing and the strings after, and
raises `UnsafeJSON` with a message in the user's words.
"""

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

MAX_DEPTH = 64


class UnsafeJSON(ValueError):
    """JSON that is not read: malformed, too deep, or holding text that cannot be stored."""


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH, decimals: bool = True) -> Any:
    """Parse JSON text (UTF-8 bytes or str); numbers with a fraction become Decimals by default."""
    text = _decoded(data)
    if nesting_depth(text) > max_depth:
        raise UnsafeJSON(_("JSON 嵌套超过 %(depth)d 层，未读取。") % {"depth": max_depth})
    try:
        value = json.loads(
            text, parse_float=Decimal if decimals else float, parse_constant=_no_constant
        )
    except json.JSONDecodeError as error:
        raise UnsafeJSON(
            _("JSON 格式错误（第 %(line)d 行第 %(column)d 列）：%(reason)s。")
            % {"line": error.lineno, "column": error.colno, "reason": _reason(error.msg)}
        ) from error
    except UnsafeJSON:
        raise
    except ValueError as error:  # an integer of more than 4,300 digits, refused by Python itself
        raise UnsafeJSON(_("JSON 中的整数位数过多，未读取。")) from error
    for string in _strings(value):
        _check_text(string)
    return value


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259), though Python reads them."""
    raise UnsafeJSON(_("JSON 中不能有 %(name)s，请写数字。") % {"name": name})


def _decoded(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnsafeJSON(
            _("内容不是有效的 UTF-8 编码（第 %(offset)d 个字节）。") % {"offset": error.start + 1}
        ) from error


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counting only brackets outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _strings(value: Any) -> Iterator[str]:
    """Every key and string value (the depth is already bounded, so recursion is safe)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise UnsafeJSON(_("文本中含有空字符（NUL），未读取。"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise UnsafeJSON(_("文本中含有无效的 Unicode 代理字符（如 \\ud800），未读取。")) from error


def _reason(message: str) -> str:
    reasons = {
        "Expecting value": _("此处应为一个值"),
        "Expecting property name enclosed in double quotes": _("此处应为带双引号的键名"),
        "Expecting ',' delimiter": _("此处应为逗号"),
        "Expecting ':' delimiter": _("此处应为冒号"),
        "Extra data": _("末尾有多余内容"),
        "Unterminated string starting at": _("字符串没有结束"),
        "Invalid control character at": _("字符串中有无效的控制字符"),
        "Invalid \\escape": _("无效的转义"),
    }
    return next((text for key, text in reasons.items() if message.startswith(key)), message)
