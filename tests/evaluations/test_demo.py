from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from departments.models import (
    Department,
    DepartmentMembership,
    Jurisdiction,
    JurisdictionMembership,
)
from evaluations.demo.load import DEMO_PASSWORD
from evaluations.models import Campaign, Evaluation


def counts() -> tuple[int, ...]:
    with scopes_disabled():
        models = [
            Jurisdiction,
            Department,
            Campaign,
            Evaluation,
            DepartmentMembership,
            JurisdictionMembership,
        ]
        return (
            *tuple(model._default_manager.count() for model in models),
            get_user_model().objects.count(),
        )


def test_it_creates_the_seed_tenants_and_one_user_per_role(db: None, capsys) -> None:
    call_command("load_demo", publish=False)
    with scopes_disabled():
        assert set(Department.objects.values_list("name", flat=True)) == {
            "湛江市商务局",
            "岳阳市商务局",
            "江门市商务局",
        }
        assert Department.objects.get(name="湛江市商务局").jurisdiction.name == "湛江市财政局"
        roles = set(DepartmentMembership.objects.values_list("role", flat=True)) | set(
            JurisdictionMembership.objects.values_list("role", flat=True)
        )
    assert roles == {"filler", "department_head", "reviewer", "bureau_admin"}
    output = capsys.readouterr().out
    assert "zhanjiang-filler" in output and DEMO_PASSWORD in output


def test_it_is_idempotent_and_keeps_changed_passwords(db: None) -> None:
    call_command("load_demo", publish=False)
    before = counts()
    user = get_user_model().objects.get(username="zhanjiang-filler")
    user.set_password("changed-by-the-user-1")
    user.save()
    call_command("load_demo", publish=False)
    assert counts() == before
    user.refresh_from_db()
    assert user.check_password("changed-by-the-user-1")


def test_the_demo_filler_logs_in_and_sees_the_2019_evaluation(db: None) -> None:
    call_command("load_demo", publish=False)
    client = Client()
    response = client.post(
        reverse("login"), {"username": "zhanjiang-filler", "password": DEMO_PASSWORD}, follow=True
    )
    assert "湛江市商务局" in response.content.decode()
    page = client.get(
        reverse("department:home", kwargs={"department": "zhanjiang-commerce"})
    ).content.decode()
    assert "湛财绩〔2020〕6号" in page
