"""Campaigns that named no rubric scored with the latest version of their table set's default,
so a library change could rewrite their scores. Record that version on each of them."""

from typing import Any

from django.db import migrations

# As rubrics.selectors had them when this migration was written (migrations keep their own copy).
DEPARTMENT_DEFAULTS = {
    "guangdong_overall": "zhanjiang-2019-department",
    "hunan_overall": "yueyang-2023-department",
}
PROJECT_DEFAULTS = {"hunan_overall": "yueyang-2023-project"}
NATIONAL_PROJECT = "mof-2020-project"


def pin(apps: Any, schema_editor: Any) -> None:
    Campaign = apps.get_model("evaluations", "Campaign")
    Rubric = apps.get_model("rubrics", "Rubric")

    def latest(rubric_id: str | None) -> Any:
        if rubric_id is None:
            return None
        return Rubric._base_manager.filter(rubric_id=rubric_id).order_by("-version").first()

    for campaign in Campaign._base_manager.filter(rubric__isnull=True):
        found = latest(DEPARTMENT_DEFAULTS.get(campaign.table_set))
        if found is not None:
            campaign.rubric = found
            campaign.save(update_fields=["rubric"])
    for campaign in Campaign._base_manager.filter(project_rubric__isnull=True):
        found = latest(PROJECT_DEFAULTS.get(campaign.table_set, NATIONAL_PROJECT))
        if found is not None:
            campaign.project_rubric = found
            campaign.save(update_fields=["project_rubric"])


class Migration(migrations.Migration):
    dependencies = [
        ("rubrics", "0001_initial"),
        ("evaluations", "0011_adjustments"),
    ]

    # Backwards leaves the campaigns pinned: the versions they recorded are still the right ones.
    operations = [migrations.RunPython(pin, migrations.RunPython.noop)]
