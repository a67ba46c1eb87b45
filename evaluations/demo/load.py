"""Demo data: the jurisdictions and departments of the seed reports, one user per role, campaigns.

Idempotent: running it again creates only what is missing and never changes a password that exists.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scopes_disabled

from departments.models import (
    Department,
    DepartmentMembership,
    Jurisdiction,
    JurisdictionMembership,
)
from departments.roles import Role
from evaluations.demo.figures import load_figures
from evaluations.models import Campaign, Evaluation
from rubrics.services import campaign_rubrics_pin

DEMO_PASSWORD = "zipingjia-demo-2026"  # noqa: S105 -- published demo accounts

GD, HN, PROJECT = (
    Campaign.TableSet.GUANGDONG_OVERALL,
    Campaign.TableSet.HUNAN_OVERALL,
    Campaign.TableSet.PROJECT_ONLY,
)


@dataclass(frozen=True)
class SeedCampaign:
    fiscal_year: int
    title: str
    notice_number: str
    opens_on: datetime.date
    due_on: datetime.date
    table_set: str


@dataclass(frozen=True)
class SeedTenant:
    slug: str
    bureau: str
    area: str
    area_code: str
    department_slug: str
    department: str
    campaigns: tuple[SeedCampaign, ...]


# As the seed reports name them.
SEED_TENANTS = (
    SeedTenant(
        "zhanjiang",
        "湛江市财政局",
        "湛江市",
        "440800",
        "zhanjiang-commerce",
        "湛江市商务局",
        (
            SeedCampaign(
                2017,
                "2017年度市级部门单位整体支出自我绩效评价",
                "湛财评[2018]20号",
                datetime.date(2018, 4, 1),
                datetime.date(2018, 5, 31),
                GD,
            ),
            SeedCampaign(
                2019,
                "2020年市级财政资金绩效自评",
                "湛财绩〔2020〕6号",
                datetime.date(2020, 8, 1),
                datetime.date(2020, 8, 31),
                GD,
            ),
        ),
    ),
    SeedTenant(
        "yueyang",
        "岳阳市财政局",
        "岳阳市",
        "430600",
        "yueyang-commerce",
        "岳阳市商务局",
        (
            SeedCampaign(
                2023,
                "2023年度部门整体支出绩效自评",
                "",
                datetime.date(2024, 3, 1),
                datetime.date(2024, 4, 30),
                HN,
            ),
        ),
    ),
    SeedTenant(
        "jiangmen",
        "江门市财政局",
        "江门市",
        "440700",
        "jiangmen-commerce",
        "江门市商务局",
        (
            SeedCampaign(
                2022,
                "2022年度项目支出绩效自评",
                "",
                datetime.date(2023, 3, 1),
                datetime.date(2023, 4, 30),
                PROJECT,
            ),
        ),
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    where: str
    password: str | None  # None when the user existed already and keeps their password


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create the seed tenants, their campaigns and evaluations, and one user per role in each."""
    logins: list[DemoLogin] = []
    with scopes_disabled():
        for seed in SEED_TENANTS:
            jurisdiction, department = _demo_tenant(seed)
            for seed_campaign in seed.campaigns:
                _demo_evaluation(seed_campaign, jurisdiction, department)
            logins += _demo_users(seed.slug, jurisdiction, department)
    return logins


def _demo_tenant(seed: SeedTenant) -> tuple[Jurisdiction, Department]:
    jurisdiction, _ = Jurisdiction.objects.update_or_create(
        slug=seed.slug,
        defaults={"name": seed.bureau, "area_name": seed.area, "area_code": seed.area_code},
    )
    department, _ = Department.objects.update_or_create(
        slug=seed.department_slug, defaults={"jurisdiction": jurisdiction, "name": seed.department}
    )
    return jurisdiction, department


def _demo_evaluation(
    seed: SeedCampaign, jurisdiction: Jurisdiction, department: Department
) -> None:
    campaign, _ = Campaign.objects.update_or_create(
        jurisdiction=jurisdiction,
        fiscal_year=seed.fiscal_year,
        defaults={
            "title": seed.title,
            "notice_number": seed.notice_number,
            "opens_on": seed.opens_on,
            "due_on": seed.due_on,
            "table_set": seed.table_set,
            "status": Campaign.Status.OPEN,
        },
    )
    campaign_rubrics_pin(campaign=campaign)
    evaluation, _ = Evaluation.objects.get_or_create(campaign=campaign, department=department)
    load_figures(evaluation)


# Made-up people, so that lists and the history show names rather than user names.
DEMO_NAMES = {
    Role.FILLER: ("陈", "晓梅"),
    Role.DEPARTMENT_HEAD: ("林", "国栋"),
    Role.REVIEWER: ("黄", "海燕"),
    Role.BUREAU_ADMIN: ("吴", "志强"),
}


def _demo_users(slug: str, jurisdiction: Jurisdiction, department: Department) -> list[DemoLogin]:
    logins = []
    for role in (Role.FILLER, Role.DEPARTMENT_HEAD, Role.REVIEWER, Role.BUREAU_ADMIN):
        username = f"{slug}-{role.value.replace('_', '-')}"
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.last_name, user.first_name = DEMO_NAMES[role]
            user.email = f"{username}@example.gov.cn"
        user.is_staff = role == Role.BUREAU_ADMIN  # bureau admins use the Django admin
        user.save()
        if role in (Role.FILLER, Role.DEPARTMENT_HEAD):
            DepartmentMembership.objects.get_or_create(user=user, department=department, role=role)
            where = department.name
        else:
            JurisdictionMembership.objects.get_or_create(
                user=user, jurisdiction=jurisdiction, role=role
            )
            where = jurisdiction.name
        logins.append(DemoLogin(username, role, where, DEMO_PASSWORD if created else None))
    return logins
