"""Campaign management by the bureau admin: create, edit, open (drafts made in batches), close."""

import datetime
from typing import Any
from typing import cast as typed

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from departments.models import Department
from evaluations.models import Campaign, Evaluation, ProjectEvaluation, Staffing
from evaluations.services.campaigns import (
    CampaignFields,
    CampaignRefused,
    CampaignStateError,
    campaign_close,
    campaign_create,
    campaign_evaluations_create,
    campaign_open,
)
from tests.access import staffing
from tests.conftest import Cast
from tests.factories import CampaignFactory, DepartmentFactory, project_of

pytestmark = pytest.mark.django_db


def url(cast: Cast, name: str, **kwargs: Any) -> str:
    return reverse(f"bureau:{name}", kwargs={"jurisdiction": cast.bureau.slug, **kwargs})


def form_data(**changes: Any) -> dict[str, Any]:
    return {
        "fiscal_year": 2025,
        "title": "甲市2025年度部门整体支出绩效自评",
        "notice_number": "甲财绩〔2026〕3号",
        "opens_on": "2026-03-01",
        "due_on": "2026-04-30",
        "publishes_on": "2026-06-30",
        "reminder_days": 3,
        "table_set": Campaign.TableSet.GUANGDONG_OVERALL,
        "participation": "all",
        **changes,
    }


def preparing(cast: Cast, **fields: Any) -> Campaign:
    campaign = CampaignFactory(
        jurisdiction=cast.bureau, status=Campaign.Status.PREPARING, fiscal_year=2020, **fields
    )
    return typed(Campaign, campaign)


def department(cast: Cast, **fields: Any) -> Department:
    return typed(Department, DepartmentFactory(jurisdiction=cast.bureau, **fields))


def evaluated_departments(campaign: Campaign) -> list[int]:
    with scopes_disabled():
        return sorted(
            Evaluation.objects.filter(campaign=campaign).values_list("department_id", flat=True)
        )


def in_bureau(cast: Cast) -> Any:
    return scope(jurisdiction=cast.bureau.pk, department=None)


# Creating and editing


def test_it_creates_a_campaign_in_preparation(cast: Cast) -> None:
    response = cast.client_for("bureau_admin").post(url(cast, "campaign_new"), form_data())
    assert response.status_code == 302
    with scopes_disabled():
        campaign = Campaign.objects.get(title="甲市2025年度部门整体支出绩效自评")
    assert campaign.jurisdiction == cast.bureau
    assert campaign.status == Campaign.Status.PREPARING
    assert campaign.due_on == datetime.date(2026, 4, 30)
    assert campaign.notice_number == "甲财绩〔2026〕3号"
    assert not evaluated_departments(campaign)


def test_it_refuses_a_due_date_before_the_open_date_at_the_field(cast: Cast) -> None:
    data = form_data(opens_on="2026-05-01", due_on="2026-04-30")
    response = cast.client_for("bureau_admin").post(url(cast, "campaign_new"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["due_on"] == ["截止日期不能早于开始日期。"]
    assert "截止日期不能早于开始日期。" in response.content.decode()
    # Nothing is lost: the title typed is shown again.
    assert "甲市2025年度部门整体支出绩效自评" in response.content.decode()
    with scopes_disabled():
        assert not Campaign.objects.filter(fiscal_year=2025).exists()


def test_it_refuses_a_publication_before_the_deadline(cast: Cast) -> None:
    data = form_data(publishes_on="2026-04-01")
    response = cast.client_for("bureau_admin").post(url(cast, "campaign_new"), data)
    assert response.context["form"].errors["publishes_on"] == ["公开日期不能早于截止日期。"]


def test_it_answers_bad_input_with_messages_not_an_error(cast: Cast) -> None:
    data = form_data(fiscal_year="二〇二五", due_on="not a date", participation="chosen")
    response = cast.client_for("bureau_admin").post(url(cast, "campaign_new"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"fiscal_year", "due_on", "chosen"}


def test_it_keeps_the_chosen_departments(cast: Cast) -> None:
    data = form_data(participation="chosen", chosen=[cast.department_b.pk])
    cast.client_for("bureau_admin").post(url(cast, "campaign_new"), data)
    with scopes_disabled():
        campaign = Campaign.objects.get(fiscal_year=2025)
        assert list(campaign.departments.all()) == [cast.department_b]


def test_it_edits_a_campaign(cast: Cast) -> None:
    campaign = preparing(cast)
    data = form_data(title="改过的标题", fiscal_year=2020)
    response = cast.client_for("bureau_admin").post(
        url(cast, "campaign_edit", pk=campaign.pk), data
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "改过的标题"


def test_it_keeps_the_year_of_an_open_campaign(cast: Cast) -> None:
    data = form_data(fiscal_year=2030, title="新标题")
    admin = cast.client_for("bureau_admin")
    response = admin.post(url(cast, "campaign_edit", pk=cast.campaign.pk), data)
    assert response.status_code == 302
    cast.campaign.refresh_from_db()
    assert (cast.campaign.fiscal_year, cast.campaign.title) == (2019, "新标题")


def test_it_lets_only_bureau_admins_manage_campaigns(cast: Cast) -> None:
    campaign = preparing(cast)
    reviewer = cast.client_for("reviewer")
    assert reviewer.get(url(cast, "campaign_new")).status_code == 403
    assert reviewer.post(url(cast, "campaign_open", pk=campaign.pk)).status_code == 403
    assert reviewer.post(url(cast, "campaign_close", pk=cast.campaign.pk)).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PREPARING


def test_the_services_refuse_anyone_but_a_bureau_admin(cast: Cast) -> None:
    campaign = preparing(cast)
    fields = CampaignFields(fiscal_year=2025, title="甲")
    with in_bureau(cast):
        for user in ("reviewer", "filler_a", "outsider"):
            with pytest.raises(CampaignRefused):
                campaign_open(campaign=campaign, by=cast.users[user])
            with pytest.raises(CampaignRefused):
                campaign_create(jurisdiction=cast.bureau, fields=fields, by=cast.users[user])
            with pytest.raises(CampaignRefused):
                campaign_close(campaign=cast.campaign, by=cast.users[user])
    assert evaluated_departments(campaign) == []


def test_it_does_not_edit_another_bureaus_campaign(cast: Cast) -> None:
    response = cast.client_for("bureau_admin").get(
        url(cast, "campaign_edit", pk=cast.other_campaign.pk)
    )
    assert response.status_code == 404


def test_a_department_joining_an_open_campaign_gets_its_draft(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    newcomer = department(cast)
    chosen = [cast.department_a.pk, cast.department_b.pk, newcomer.pk]
    data = form_data(fiscal_year=2019, participation="chosen", chosen=chosen)
    edit = url(cast, "campaign_edit", pk=cast.campaign.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("bureau_admin").post(edit, data)
    assert response.status_code == 302
    assert evaluated_departments(cast.campaign) == sorted(chosen)


def test_a_department_with_an_evaluation_cannot_leave_an_open_campaign(cast: Cast) -> None:
    data = form_data(fiscal_year=2019, participation="chosen", chosen=[cast.department_a.pk])
    edit = url(cast, "campaign_edit", pk=cast.campaign.pk)
    response = cast.client_for("bureau_admin").post(edit, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["participation"] == ["已创建自评的部门不能移出自评任务。"]
    with scopes_disabled():
        assert not cast.campaign.departments.exists()


# Opening


def test_opening_makes_one_draft_per_department_of_the_jurisdiction(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = preparing(cast)
    admin = cast.client_for("bureau_admin")
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        response = admin.post(url(cast, "campaign_open", pk=campaign.pk))
    assert len(jobs) == 1
    assert response.status_code == 302
    assert response["Location"] == url(cast, "campaign_opening", pk=campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    assert campaign.opened_at is not None
    assert (campaign.opening_done, campaign.opening_total) == (2, 2)
    assert evaluated_departments(campaign) == sorted([cast.department_a.pk, cast.department_b.pk])
    with scopes_disabled():
        states = set(Evaluation.objects.filter(campaign=campaign).values_list("state", flat=True))
    assert states == {Evaluation.State.DRAFT}


def test_opening_by_group_makes_drafts_for_the_parent_and_its_children(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    child = department(cast, parent=cast.department_a)
    grandchild = department(cast, parent=child)
    data = form_data(participation="group", group=cast.department_a.pk)
    admin = cast.client_for("bureau_admin")
    admin.post(url(cast, "campaign_new"), data)
    with scopes_disabled():
        campaign = Campaign.objects.get(fiscal_year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url(cast, "campaign_open", pk=campaign.pk))
    assert evaluated_departments(campaign) == sorted(
        [cast.department_a.pk, child.pk, grandchild.pk]
    )


def test_opening_chosen_departments_makes_theirs_only(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = preparing(cast)
    with scopes_disabled():
        campaign.departments.set([cast.department_b])
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("bureau_admin").post(url(cast, "campaign_open", pk=campaign.pk))
    assert evaluated_departments(campaign) == [cast.department_b.pk]


def test_opening_twice_is_refused(cast: Cast) -> None:
    campaign = preparing(cast)
    admin = cast.client_for("bureau_admin")
    admin.post(url(cast, "campaign_open", pk=campaign.pk))
    response = admin.post(url(cast, "campaign_open", pk=campaign.pk), follow=True)
    assert "此自评任务已开始填报或已截止，不能再次开始。" in response.content.decode()
    with in_bureau(cast), pytest.raises(CampaignStateError):
        campaign_open(campaign=campaign, by=cast.users["bureau_admin"])


def test_a_rerun_of_the_opening_job_makes_nothing_twice(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = preparing(cast)
    with in_bureau(cast), django_capture_on_commit_callbacks(execute=True):
        campaign_open(campaign=campaign, by=cast.users["bureau_admin"])
    first = evaluated_departments(campaign)
    late = department(cast)
    with in_bureau(cast):
        assert campaign_evaluations_create(campaign=campaign) == 3
        assert campaign_evaluations_create(campaign=campaign) == 3
    assert evaluated_departments(campaign) == sorted([*first, late.pk])


def test_opening_gives_last_years_projects_as_empty_shells(cast: Cast) -> None:
    # The cast's campaign is 2019: its projects become the 2020 campaign's shells.
    project_of(
        cast.evaluation_a, name="外贸发展专项", implementing_unit="甲市商务局", budget_executed=5
    )
    project_of(cast.evaluation_a, name="电商进农村")
    campaign = preparing(cast)
    with in_bureau(cast):
        campaign_open(campaign=campaign, by=cast.users["bureau_admin"])
        campaign_evaluations_create(campaign=campaign)
        shells = ProjectEvaluation.objects.filter(evaluation__campaign=campaign)
        rows = sorted(shells.values_list("evaluation__department_id", "name", "budget_executed"))
        unit = shells.get(name="外贸发展专项").implementing_unit
    assert rows == [
        (cast.department_a.pk, "外贸发展专项", None),
        (cast.department_a.pk, "电商进农村", None),
    ]
    assert unit == "甲市商务局"


def test_the_progress_page_polls_until_done(cast: Cast) -> None:
    campaign = preparing(cast)
    with scopes_disabled():
        Campaign.objects.filter(pk=campaign.pk).update(
            status=Campaign.Status.OPEN, opening_total=1000, opening_done=250
        )
    admin = cast.client_for("bureau_admin")
    page = admin.get(url(cast, "campaign_opening", pk=campaign.pk)).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="250"' in page
    with in_bureau(cast):
        campaign_evaluations_create(campaign=campaign)
    fragment = admin.get(url(cast, "campaign_opening", pk=campaign.pk), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "hx-trigger" not in body
    assert "<html" not in body
    assert "已为 2 / 2 个部门创建自评。" in body
    assert url(cast, "campaign", pk=campaign.pk) in body


# Closing


def test_closing_needs_a_confirmation(cast: Cast) -> None:
    admin = cast.client_for("bureau_admin")
    assert admin.get(url(cast, "campaign_close", pk=cast.campaign.pk)).status_code == 200
    response = admin.post(url(cast, "campaign_close", pk=cast.campaign.pk), {})
    assert response.status_code == 400
    assert "请勾选确认后再截止。" in response.content.decode()
    cast.campaign.refresh_from_db()
    assert cast.campaign.status == Campaign.Status.OPEN


def test_closing_locks_the_departments_filling(cast: Cast) -> None:
    save_url = reverse(
        "department:section_save",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "key": "basic.staffing",
        },
    )
    filler = cast.client_for("filler_a")
    assert filler.post(save_url, staffing(cast)).status_code == 302
    admin = cast.client_for("bureau_admin")
    response = admin.post(url(cast, "campaign_close", pk=cast.campaign.pk), {"confirm": "on"})
    assert response.status_code == 302
    cast.campaign.refresh_from_db()
    assert cast.campaign.status == Campaign.Status.CLOSED
    assert cast.campaign.closed_at is not None
    refused = filler.post(save_url, {**staffing(cast), "based_on": 1})
    assert refused.status_code == 403
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        assert Staffing.objects.get(evaluation=cast.evaluation_a).staff_authorized == 61


def test_closing_a_campaign_not_open_is_refused(cast: Cast) -> None:
    campaign = preparing(cast)
    with in_bureau(cast), pytest.raises(CampaignStateError):
        campaign_close(campaign=campaign, by=cast.users["bureau_admin"])
    response = cast.client_for("bureau_admin").post(
        url(cast, "campaign_close", pk=campaign.pk), {"confirm": "on"}, follow=True
    )
    assert "只有填报中的自评任务可以截止。" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PREPARING


def test_the_bureau_home_offers_the_admin_each_campaigns_actions(cast: Cast) -> None:
    campaign = preparing(cast)
    page = cast.client_for("bureau_admin").get(url(cast, "home")).content.decode()
    assert "新建自评任务" in page
    assert url(cast, "campaign_open", pk=campaign.pk) in page
    assert url(cast, "campaign_close", pk=cast.campaign.pk) in page
    assert url(cast, "campaign_edit", pk=campaign.pk) in page
    reviewers = cast.client_for("reviewer").get(url(cast, "home")).content.decode()
    assert "新建自评任务" not in reviewers
    assert url(cast, "campaign_edit", pk=campaign.pk) not in reviewers
