"""Reads of rubric rows: the latest version of a rubric, the rubrics a campaign defaults to."""

from rubrics.engine.definition import Rubric as RubricDefinition
from rubrics.engine.definition import RubricError
from rubrics.models import Rubric

# The rubric a campaign uses when it names none, by its table set.
DEFAULT_DEPARTMENT_RUBRICS = {
    "guangdong_overall": "zhanjiang-2019-department",
    "hunan_overall": "yueyang-2023-department",
}
DEFAULT_PROJECT_RUBRICS = {"hunan_overall": "yueyang-2023-project"}
NATIONAL_PROJECT_RUBRIC = "mof-2020-project"


def latest_rubric(rubric_id: str) -> Rubric:
    """The newest version of a rubric; RubricError (Chinese) when there is none."""
    row = Rubric.objects.filter(rubric_id=rubric_id).order_by("-version").first()
    if row is None:
        raise RubricError(f"没有评分表「{rubric_id}」")
    return row


def latest_definition(rubric_id: str) -> RubricDefinition:
    return latest_rubric(rubric_id).definition()


def default_rubric_ids(table_set: str) -> dict[str, str]:
    """Campaign field → the library rubric it defaults to for this table set.

    A project_only campaign has no department rubric; every table set has a project rubric, the
    national framework (财预〔2020〕10号) unless the table set has its own.
    """
    found = {"project_rubric": DEFAULT_PROJECT_RUBRICS.get(table_set, NATIONAL_PROJECT_RUBRIC)}
    if table_set in DEFAULT_DEPARTMENT_RUBRICS:
        found["rubric"] = DEFAULT_DEPARTMENT_RUBRICS[table_set]
    return found
