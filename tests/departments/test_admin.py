"""The Django admin: bureau admins manage their own jurisdiction only."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_scopes import scopes_disabled

from departments.models import DepartmentMembership
from tests.conftest import Cast


def test_a_bureau_admin_sees_only_their_departments(cast: Cast) -> None:
    response = cast.client_for("bureau_admin").get(
        reverse("admin:departments_department_changelist")
    )
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset)
    assert shown == {cast.department_a, cast.department_b}


def test_a_bureau_admin_cannot_open_another_bureaus_department(cast: Cast) -> None:
    url = reverse("admin:departments_department_change", args=[cast.other_department.pk])
    response = cast.client_for("bureau_admin").get(url)
    assert response.status_code == 302  # the admin redirects when the object is not in its queryset
    assert response["Location"] == reverse("admin:index")


def test_a_bureau_admin_sees_only_their_campaigns_and_users(cast: Cast) -> None:
    client = cast.client_for("bureau_admin")
    campaigns = client.get(reverse("admin:evaluations_campaign_changelist")).context["cl"].queryset
    assert set(campaigns) == {cast.campaign}
    users = set(client.get(reverse("admin:auth_user_changelist")).context["cl"].queryset)
    assert cast.users["outsider"] not in users
    assert {cast.users["filler_a"], cast.users["filler_b"], cast.users["reviewer"]} <= users


def test_a_bureau_admin_adds_a_user_into_one_of_their_departments(cast: Cast) -> None:
    client = cast.client_for("bureau_admin")
    form = client.get(reverse("admin:auth_user_add")).context["adminform"].form
    assert set(form.fields["department"].queryset) == {cast.department_a, cast.department_b}
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-filler",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "department": cast.department_b.pk,
            "role": "filler",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        membership = DepartmentMembership.objects.get(user__username="new-filler")
    assert membership.department == cast.department_b


def test_a_bureau_admin_cannot_pick_another_bureaus_department(cast: Cast) -> None:
    response = cast.client_for("bureau_admin").post(
        reverse("admin:auth_user_add"),
        {
            "username": "intruder",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "department": cast.other_department.pk,
            "role": "filler",
        },
    )
    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    assert not get_user_model().objects.filter(username="intruder").exists()


def test_reviewers_do_not_reach_the_admin(cast: Cast) -> None:
    response = cast.client_for("reviewer").get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_superuser_sees_every_department(cast: Cast, admin_client) -> None:
    response = admin_client.get(reverse("admin:departments_department_changelist"))
    assert set(response.context["cl"].queryset) == {
        cast.department_a,
        cast.department_b,
        cast.other_department,
    }
