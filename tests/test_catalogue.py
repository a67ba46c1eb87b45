"""The English catalogue is complete and compiled: no string shows up in Chinese to English users."""

import ast
import gettext
import subprocess
from pathlib import Path

# GNU gettext (msgattrib, msgfmt) is among the system packages the README lists.
LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def entries(*options: str) -> list[str]:
    """msgids that `msgattrib` selects with `options` (the header excluded)."""
    found = subprocess.run(
        ["msgattrib", *options, "--no-wrap", "--no-location", str(LOCALE / "django.po")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line for line in found.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


def test_every_string_has_an_english_translation() -> None:
    assert entries("--untranslated") == []
    assert entries("--only-fuzzy") == []


def test_the_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(LOCALE / "django.po")], check=True)
    with compiled.open("rb") as fresh, (LOCALE / "django.mo").open("rb") as shipped:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]


def test_no_translated_word_hides_inside_an_f_string() -> None:
    """makemessages (xgettext) does not look inside f-strings: a `_("…")` there never reaches
    the catalogue, and English users see it in Chinese."""
    root = LOCALE.parents[2]
    translators = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}
    hidden = []
    for package in ("config", "departments", "evaluations", "rubrics", "publishing"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    hidden += [
                        f"{path.relative_to(root)}:{call.lineno}"
                        for call in ast.walk(node)
                        if isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Name)
                        and call.func.id in translators
                    ]
    assert hidden == []
