"""The built-in rubric library: one YAML file per official scoring sheet in rubrics/library/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rubrics.engine.definition import Rubric, RubricError, RubricKind, load_rubric_file

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


def library_files() -> dict[str, Path]:
    """Rubric id (the file's stem) → path, for every YAML file of the library."""
    return {path.stem: path for path in sorted(LIBRARY_DIR.glob("*.yaml"))}


@cache
def library() -> dict[str, Rubric]:
    """Every library rubric, parsed and checked once per process (rubrics are immutable)."""
    rubrics = {}
    for stem, path in library_files().items():
        rubric = load_rubric_file(path)
        if rubric.id != stem:
            raise RubricError(f"评分表文件 {path.name} 的 id「{rubric.id}」与文件名不一致")
        rubrics[rubric.id] = rubric
    for kind in ("department_overall", "project"):
        defaults = [r.id for r in rubrics.values() if r.kind == kind and r.default]
        if len(defaults) > 1:
            raise RubricError(f"{kind} 类评分表有多个默认：{'、'.join(defaults)}")
    return rubrics


def library_rubric(rubric_id: str) -> Rubric:
    """The library rubric with this id; RubricError when there is none."""
    try:
        return library()[rubric_id]
    except KeyError:
        raise RubricError(f"评分表库中没有「{rubric_id}」") from None


def default_rubric(kind: RubricKind) -> Rubric | None:
    """The library's default rubric for a kind of evaluation (mof-2020-project for projects)."""
    return next((r for r in library().values() if r.kind == kind and r.default), None)
