"""Reads of rubric rows: the latest version of a rubric, the versions a campaign scores with, and
the dry run of `manage.py score` and `POST /api/rubrics/{id}/score/`. None of them writes."""

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from rubrics.engine.definition import RubricError
from rubrics.engine.io import parse_request, result_to_dict
from rubrics.engine.scoring import score
from rubrics.models import Rubric

if TYPE_CHECKING:
    from evaluations.models import Campaign

# The rubric a campaign uses when it names none, by its table set.
DEFAULT_DEPARTMENT_RUBRICS = {
    "guangdong_overall": "zhanjiang-2019-department",
    "hunan_overall": "yueyang-2023-department",
}
DEFAULT_PROJECT_RUBRICS = {"hunan_overall": "yueyang-2023-project"}
NATIONAL_PROJECT_RUBRIC = "mof-2020-project"


def current_rubric(rubric_id: str) -> Rubric | None:
    """The newest version of a rubric, or None when the library has none loaded."""
    return Rubric.objects.filter(rubric_id=rubric_id).order_by("-version").first()


def latest_rubric(rubric_id: str) -> Rubric:
    """The newest version of a rubric; RubricError (Chinese) when there is none."""
    row = current_rubric(rubric_id)
    if row is None:
        raise RubricError(_("没有评分表「%(id)s」") % {"id": rubric_id})
    return row


def default_rubric_ids(table_set: str) -> dict[str, str]:
    """Campaign field → the library rubric it defaults to for this table set.

    A project_only campaign has no department rubric; every table set has a project rubric, the
    national framework (财预〔2020〕10号) unless the table set has its own.
    """
    found = {"project_rubric": DEFAULT_PROJECT_RUBRICS.get(table_set, NATIONAL_PROJECT_RUBRIC)}
    if table_set in DEFAULT_DEPARTMENT_RUBRICS:
        found["rubric"] = DEFAULT_DEPARTMENT_RUBRICS[table_set]
    return found


def campaign_rubric(*, campaign: "Campaign") -> Rubric | None:
    """The department rubric version a campaign scores with: the one pinned on it, else its
    table set's default as it is now (nothing is saved: pinning is `campaign_rubrics_pin`)."""
    if campaign.rubric_id is not None:
        return campaign.rubric
    return _current_default(campaign, "rubric")


def campaign_project_rubric(*, campaign: "Campaign") -> Rubric | None:
    """The project rubric version a campaign scores with, pinned or else the current default."""
    if campaign.project_rubric_id is not None:
        return campaign.project_rubric
    return _current_default(campaign, "project_rubric")


def _current_default(campaign: "Campaign", field: str) -> Rubric | None:
    rubric_id = default_rubric_ids(campaign.table_set).get(field)
    return None if rubric_id is None else current_rubric(rubric_id)


def rubric_dry_run(*, rubric_id: str, body: Any) -> dict[str, Any]:
    """Score a request body against the rubric's latest version, as JSON-ready data.

    RubricError when there is no such rubric, RequestError when the body is wrong.
    """
    definition = latest_rubric(rubric_id).definition()
    inputs, claimed = parse_request(body)
    return result_to_dict(score(definition, inputs, claimed))
