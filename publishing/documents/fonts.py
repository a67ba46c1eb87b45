"""Fonts for documents: WeasyPrint subsets them with HarfBuzz, or falls back to fontTools, some
30 times slower on a Chinese report. The check below says so at start-up (`manage.py check`,
`runserver`, `migrate`)."""

from typing import Any

from django.core import checks
from django.utils.translation import gettext as _


def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint found libharfbuzz-subset (it loads the library when imported)."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None


def check_harfbuzz_subset(**kwargs: Any) -> list[checks.CheckMessage]:
    if harfbuzz_subset_available():
        return []
    return [
        checks.Warning(
            _("未找到 libharfbuzz-subset：PDF 文件将改用 fontTools 裁剪字体，生成速度慢约 30 倍。"),
            hint=_("请安装 Debian 软件包 libharfbuzz-subset0。"),
            id="publishing.W001",
        )
    ]
