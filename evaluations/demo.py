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
from evaluations.models import Campaign, Evaluation

DEMO_PASSWORD = "zipingjia-demo-2026"  # noqa: S105 -- published demo accounts

# (jurisdiction slug, bureau, area, area code, department slug, department, campaigns)
# campaigns: (fiscal year, title, notice number, opens, due), as the seeds name them.
SEED_TENANTS = [
    (
        "zhanjiang",
        "湛江市财政局",
        "湛江市",
        "440800",
        "zhanjiang-commerce",
        "湛江市商务局",
        [
            (
                2017,
                "2017年度市级部门单位整体支出自我绩效评价",
                "湛财评[2018]20号",
                datetime.date(2018, 4, 1),
                datetime.date(2018, 5, 31),
            ),
            (
                2019,
                "2020年市级财政资金绩效自评",
                "湛财绩〔2020〕6号",
                datetime.date(2020, 8, 1),
                datetime.date(2020, 8, 31),
            ),
        ],
    ),
    (
        "yueyang",
        "岳阳市财政局",
        "岳阳市",
        "430600",
        "yueyang-commerce",
        "岳阳市商务局",
        [
            (
                2023,
                "2023年度部门整体支出绩效自评",
                "",
                datetime.date(2024, 3, 1),
                datetime.date(2024, 4, 30),
            )
        ],
    ),
    (
        "jiangmen",
        "江门市财政局",
        "江门市",
        "440700",
        "jiangmen-commerce",
        "江门市商务局",
        [
            (
                2022,
                "2022年度项目支出绩效自评",
                "",
                datetime.date(2023, 3, 1),
                datetime.date(2023, 4, 30),
            )
        ],
    ),
]


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
        for slug, bureau, area, code, dept_slug, dept_name, campaigns in SEED_TENANTS:
            jurisdiction, _ = Jurisdiction.objects.update_or_create(
                slug=slug, defaults={"name": bureau, "area_name": area, "area_code": code}
            )
            department, _ = Department.objects.update_or_create(
                slug=dept_slug,
                defaults={"jurisdiction": jurisdiction, "name": dept_name},
            )
            for year, title, notice, opens, due in campaigns:
                campaign, _ = Campaign.objects.update_or_create(
                    jurisdiction=jurisdiction,
                    fiscal_year=year,
                    defaults={
                        "title": title,
                        "notice_number": notice,
                        "opens_on": opens,
                        "due_on": due,
                    },
                )
                Evaluation.objects.get_or_create(campaign=campaign, department=department)
            logins += _demo_users(slug, jurisdiction, department)
    return logins


def _demo_users(slug: str, jurisdiction: Jurisdiction, department: Department) -> list[DemoLogin]:
    logins = []
    for role in (Role.FILLER, Role.DEPARTMENT_HEAD, Role.REVIEWER, Role.BUREAU_ADMIN):
        username = f"{slug}-{role.value.replace('_', '-')}"
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
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
