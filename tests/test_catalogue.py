"""The English catalogue is complete and compiled: no string shows up in Chinese to English users."""

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
