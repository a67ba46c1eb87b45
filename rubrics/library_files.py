"""The built-in rubric library: one YAML file per official scoring sheet in rubrics/library/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rubrics.engine.definition import Rubric, RubricError, load_rubric_file

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
    return rubrics


def library_rubric(rubric_id: str) -> Rubric:
    """The library rubric with this id; RubricError when there is none."""
    try:
        return library()[rubric_id]
    except KeyError:
        raise RubricError(f"评分表库中没有「{rubric_id}」") from None
