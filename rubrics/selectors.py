"""Reads of rubric rows: the latest version of a rubric, the rubric a campaign scores with."""

from rubrics.definition import Rubric as RubricDefinition
from rubrics.definition import RubricError
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
