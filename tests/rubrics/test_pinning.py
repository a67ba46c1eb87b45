"""Pinning is a write of its own, done where a campaign is created or changed; reads never pin."""

from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.models import Campaign
from rubrics.models import Rubric
from rubrics.services import rubric_library_sync
from tests.conftest import Cast
from tests.rubrics.test_versions import ZHANJIANG, changed_library, fresh, latest

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_a_get_of_the_scoring_page_of_an_unpinned_campaign_writes_nothing(cast: Cast) -> None:
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(rubric=None, project_rubric=None)
    url = reverse(
        "department:evaluation_table",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "table": "scores",
        },
    )
    client = cast.client_for("filler_a")  # logging in writes the session: before counting
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert "整体支出完成率" in response.content.decode()  # scored with the current default
    writes = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    campaign = fresh(cast.campaign)
    assert (campaign.rubric_id, campaign.project_rubric_id) == (None, None)


def admin_post(client: Any, url: str, cast: Cast, **fields: Any) -> Any:
    data = {
        "jurisdiction": cast.bureau.pk,
        "fiscal_year": "2023",
        "title": "自评",
        "reminder_days": "3",
        **fields,
    }
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def test_creating_a_campaign_in_the_admin_pins_its_defaults(cast: Cast) -> None:
    client = cast.client_for("bureau_admin")
    response = admin_post(
        client, reverse("admin:evaluations_campaign_add"), cast, table_set="hunan_overall"
    )
    assert response.status_code == 302, response.content.decode()
    with scopes_disabled():
        campaign = Campaign.objects.get(jurisdiction=cast.bureau, fiscal_year=2023)
    assert campaign.rubric == latest("yueyang-2023-department")
    assert campaign.project_rubric == latest("yueyang-2023-project")


def test_clearing_a_rubric_in_the_admin_pins_the_default_again(cast: Cast) -> None:
    yueyang = latest("yueyang-2023-department")
    with scopes_disabled():
        Campaign.objects.filter(pk=cast.campaign.pk).update(rubric=yueyang)
    url = reverse("admin:evaluations_campaign_change", args=[cast.campaign.pk])
    response = admin_post(cast.client_for("bureau_admin"), url, cast, table_set="guangdong_overall")
    assert response.status_code == 302, response.content.decode()
    assert fresh(cast.campaign).rubric == latest(ZHANJIANG)


def test_a_version_is_parsed_once_and_a_rewritten_one_again(
    db: None, tmp_path: Path, monkeypatch: Any
) -> None:
    row = latest(ZHANJIANG)
    assert row.definition() is Rubric.objects.get(pk=row.pk).definition()  # any instance
    before = row.definition()
    changed_library(tmp_path, monkeypatch)
    rubric_library_sync()  # unused by any campaign here: rewritten in place, same id
    rewritten = Rubric.objects.get(pk=row.pk)
    assert rewritten.definition() is not before
    assert (
        rewritten.definition().indicator("整体支出完成率").rule
        != before.indicator("整体支出完成率").rule
    )
