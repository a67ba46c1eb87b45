"""A campaign records the exact rubric version it scores with; the library never changes it."""

import importlib
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django_scopes import scope, scopes_disabled

from evaluations.models import Campaign
from evaluations.scoring.department import campaign_rubric
from evaluations.scoring.projects import project_rubric
from rubrics.engine.scoring import score
from rubrics.library_files import LIBRARY_DIR
from rubrics.models import Rubric, RubricLocked
from rubrics.services import SyncChange, campaign_rubrics_pin, rubric_library_sync
from tests.conftest import Cast
from tests.factories import CampaignFactory

ZHANJIANG = "zhanjiang-2019-department"
# Seed 001's 整体支出完成率: 4165.93 ÷ (75.87 + 4186.81) = 97.73%.
OVERALL_RATE_INPUTS = {
    "actual_expenditure": D("4165.93"),
    "prior_carryover": D("75.87"),
    "actual_revenue": D("4186.81"),
}


def latest(rubric_id: str) -> Rubric:
    return Rubric.objects.filter(rubric_id=rubric_id).order_by("-version")[0]


def overall_rate_points(rubric: Rubric) -> D | None:
    return score(rubric.definition(), OVERALL_RATE_INPUTS).item("整体支出完成率").score


def fresh(campaign: Campaign) -> Campaign:
    with scopes_disabled():
        return Campaign.objects.get(pk=campaign.pk)


def test_a_campaign_saved_without_rubrics_records_its_defaults(cast: Cast) -> None:
    campaign = fresh(cast.campaign)  # created by the factory with neither rubric named
    assert campaign.rubric == latest(ZHANJIANG)
    assert campaign.project_rubric == latest("mof-2020-project")
    assert campaign.rubric.in_use
    only_projects = fresh(CampaignFactory(jurisdiction=cast.bureau, table_set="project_only"))
    assert only_projects.rubric is None
    assert only_projects.project_rubric == latest("mof-2020-project")


def test_a_named_rubric_is_kept(cast: Cast) -> None:
    yueyang = latest("yueyang-2023-department")
    campaign = fresh(CampaignFactory(jurisdiction=cast.bureau, rubric=yueyang))
    assert campaign.rubric == yueyang


def test_scoring_a_campaign_that_recorded_nothing_reads_the_defaults_and_writes_nothing(
    cast: Cast,
) -> None:
    """A campaign saved before the library was loaded scores with the current defaults; only a
    write (the admin, the demo loader) records them."""
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(rubric=None, project_rubric=None)
    with scope(jurisdiction=cast.bureau.pk):
        assert campaign_rubric(fresh(cast.campaign)) == latest(ZHANJIANG)
        assert project_rubric(fresh(cast.campaign)) == latest("mof-2020-project")
    assert (fresh(cast.campaign).rubric_id, fresh(cast.campaign).project_rubric_id) == (None, None)
    assert campaign_rubrics_pin(campaign=fresh(cast.campaign)) == ["project_rubric", "rubric"]
    assert fresh(cast.campaign).rubric == latest(ZHANJIANG)


def test_the_migration_pins_existing_campaigns(cast: Cast) -> None:
    with scopes_disabled():
        Campaign.objects.update(rubric=None, project_rubric=None)
    migration = importlib.import_module("rubrics.migrations.0002_pin_campaign_rubrics")
    migration.pin(apps, None)
    campaign = fresh(cast.campaign)
    assert (campaign.rubric, campaign.project_rubric) == (
        latest(ZHANJIANG),
        latest("mof-2020-project"),
    )


def changed_library(tmp_path: Path, monkeypatch: Any) -> None:
    """The library as if someone raised 整体支出完成率's second band from 90% to 98%."""
    source = (LIBRARY_DIR / f"{ZHANJIANG}.yaml").read_text(encoding="utf-8")
    changed = source.replace("{at_least: 0.90, points: 4}", "{at_least: 0.98, points: 4}")
    assert changed != source
    path = tmp_path / f"{ZHANJIANG}.yaml"
    path.write_text(changed, encoding="utf-8")
    monkeypatch.setattr("rubrics.services.library_files", lambda: {ZHANJIANG: path})


def test_a_rubric_a_campaign_uses_is_immutable_and_changes_become_a_new_version(
    cast: Cast, tmp_path: Path, monkeypatch: Any
) -> None:
    used = fresh(cast.campaign).rubric  # recorded by default, never named by anyone
    assert used is not None
    source = used.source
    used.source = source.replace("title:", "title: 修改", 1)
    with pytest.raises(RubricLocked):
        used.save()

    changed_library(tmp_path, monkeypatch)
    assert rubric_library_sync() == [SyncChange(ZHANJIANG, used.version + 1, "created")]

    used.refresh_from_db()
    assert used.source == source  # the version in use is untouched
    newest = latest(ZHANJIANG)
    assert newest.version == used.version + 1
    with scope(jurisdiction=cast.bureau.pk):
        scoring_with = campaign_rubric(fresh(cast.campaign))
    assert scoring_with == used
    assert overall_rate_points(scoring_with) == 4  # [90%, 100%) as before
    assert overall_rate_points(newest) == 3  # below the new 98%: [80%, 98%)
    assert fresh(CampaignFactory(jurisdiction=cast.bureau)).rubric == newest


def test_an_unused_rubric_is_updated_in_place(cast: Cast, tmp_path: Path, monkeypatch: Any) -> None:
    with scopes_disabled():
        Campaign.objects.update(rubric=None)
    before = latest(ZHANJIANG)
    changed_library(tmp_path, monkeypatch)
    assert rubric_library_sync() == [SyncChange(ZHANJIANG, before.version, "updated")]
    assert overall_rate_points(latest(ZHANJIANG)) == 3
