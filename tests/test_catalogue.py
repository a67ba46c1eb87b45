"""The English catalogue is complete and compiled: no string shows up in Chinese to English users."""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# GNU gettext (xgettext, msgmerge, msgattrib, msgfmt) is among the system packages the README lists.
ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale") / "en" / "LC_MESSAGES" / "django.po"
LOCALE = ROOT / CATALOGUE.parent


def makemessages_ignores() -> list[str]:
    """The --ignore patterns of `make messages`, read from the Makefile so the two cannot differ."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    command = next(line for line in makefile.splitlines() if "makemessages" in line)
    return re.findall(r"--ignore=(\S+)", command)


@pytest.fixture(scope="module")
def refreshed_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogue as `make messages` would leave it now, made in a copy of the tree: the working
    tree's own locale/ is never written (other people's work may be under way in it)."""
    ignores = makemessages_ignores()
    copy = tmp_path_factory.mktemp("tree") / "tree"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".*", "__pycache__", *ignores))
    # Settings want a PostgreSQL URL; makemessages never connects (nor starts the embedded one).
    env = {**os.environ, "DATABASE_URL": "postgresql://127.0.0.1/makemessages-never-connects"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
        + [f"--ignore={pattern}" for pattern in ignores],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy / CATALOGUE


def entries(catalogue: Path, *options: str) -> list[str]:
    """The entries `msgattrib` selects with `options`, each as "msgid  (where it is used)"."""
    found = subprocess.run(
        ["msgattrib", *options, "--no-wrap", "--no-obsolete", str(catalogue)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    listed = []
    for block in found.split("\n\n"):
        lines = block.splitlines()
        msgid = next((line for line in lines if line.startswith("msgid ")), 'msgid ""')
        if msgid == 'msgid ""':  # the header
            continue
        places = " ".join(line[3:] for line in lines if line.startswith("#: "))
        listed.append(f"{msgid[6:]}  ({places})")
    return listed


def test_every_string_in_the_code_has_an_english_translation(refreshed_catalogue: Path) -> None:
    """Strings added since the catalogue was last refreshed show up here untranslated."""
    untranslated = entries(refreshed_catalogue, "--untranslated")
    fuzzy = entries(refreshed_catalogue, "--only-fuzzy")
    if untranslated or fuzzy:
        report = [
            "Run `make messages` and translate in locale/en/LC_MESSAGES/django.po:",
            f"{len(untranslated)} untranslated:",
            *untranslated,
            f"{len(fuzzy)} fuzzy (a guess from a similar string, to check):",
            *fuzzy,
        ]
        pytest.fail("\n".join(report), pytrace=False)


def test_it_lists_a_string_the_catalogue_lacks(tmp_path: Path) -> None:
    """The check above reads what makemessages and msgattrib produce as expected."""
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: evaluations/views/x.py:7\nmsgid "新的字"\nmsgstr ""\n\n'
        '#, fuzzy\n#: evaluations/views/x.py:9\nmsgid "已保存。"\nmsgstr "Saved"\n\n'
        'msgid "已删除"\nmsgstr "Deleted"\n',
        encoding="utf-8",
    )
    assert entries(catalogue, "--untranslated") == ['"新的字"  (evaluations/views/x.py:7)']
    assert entries(catalogue, "--only-fuzzy") == ['"已保存。"  (evaluations/views/x.py:9)']


def test_the_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(LOCALE / "django.po")], check=True)
    with compiled.open("rb") as fresh, (LOCALE / "django.mo").open("rb") as shipped:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]


def test_no_translated_word_hides_inside_an_f_string() -> None:
    """makemessages (xgettext) does not look inside f-strings: a `_("…")` there never reaches
    the catalogue, and English users see it in Chinese."""
    translators = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}
    hidden = []
    for package in ("config", "departments", "evaluations", "rubrics", "publishing"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    hidden += [
                        f"{path.relative_to(ROOT)}:{call.lineno}"
                        for call in ast.walk(node)
                        if isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Name)
                        and call.func.id in translators
                    ]
    assert hidden == []
