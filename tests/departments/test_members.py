"""Members with names: the bureau admin manages the bureau's and its departments' members, a
department head their department's fillers; lists show 姓名, 用户名, 邮箱 and 角色."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from departments.models import DepartmentMembership, JurisdictionMembership
from departments.roles import Role
from departments.services import MembershipRefused, membership_add, membership_remove
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

User = get_user_model()


def bureau_url(cast: Cast, name: str) -> str:
    return reverse(f"bureau:{name}", kwargs={"jurisdiction": cast.bureau.slug})


def department_url(cast: Cast, name: str) -> str:
    return reverse(f"department:{name}", kwargs={"department": cast.department_a.slug})


def membership_of(cast: Cast, user: str) -> DepartmentMembership:
    with scopes_disabled():
        return DepartmentMembership.objects.get(user=cast.users[user])


def roles_of(user: Any) -> set[str]:
    with scopes_disabled():
        return set(DepartmentMembership.objects.filter(user=user).values_list("role", flat=True))


def named(cast: Cast) -> None:
    filler = cast.users["filler_a"]
    filler.last_name, filler.first_name, filler.email = "陈", "晓梅", "chenxm@example.gov.cn"
    filler.save()


def test_the_bureau_list_shows_names_user_names_emails_and_roles(cast: Cast) -> None:
    named(cast)
    page = cast.client_for("bureau_admin").get(bureau_url(cast, "members")).content.decode()
    assert "陈晓梅" in page
    assert cast.users["filler_a"].username in page
    assert "chenxm@example.gov.cn" in page
    assert "甲市商务局" in page and "填报人" in page and "财政管理员" in page
    assert "子市商务局" not in page
    assert cast.users["outsider"].username not in page


def test_the_department_list_shows_its_members_only(cast: Cast) -> None:
    named(cast)
    page = cast.client_for("head_a").get(department_url(cast, "members")).content.decode()
    assert "陈晓梅" in page and "chenxm@example.gov.cn" in page
    assert cast.users["filler_b"].username not in page


def test_the_bureau_admin_adds_an_existing_user_by_user_name(cast: Cast) -> None:
    admin = cast.client_for("bureau_admin")
    data = {"place": str(cast.department_a.pk), "role": Role.FILLER, "username": "user-new"}
    User.objects.create_user(username="user-new", first_name="明", last_name="王")
    response = admin.post(bureau_url(cast, "member_add"), data, follow=True)
    assert "已添加王明（填报人）。" in response.content.decode()
    assert roles_of(User.objects.get(username="user-new")) == {Role.FILLER}


def test_the_bureau_admin_creates_a_user_with_name_and_email(cast: Cast) -> None:
    data = {
        "place": "bureau",
        "role": Role.REVIEWER,
        "username": "li-reviewer",
        "create": "on",
        "last_name": "李",
        "first_name": "审",
        "email": "li@example.gov.cn",
        "password": "a-long-enough-passphrase-2026",
    }
    response = cast.client_for("bureau_admin").post(bureau_url(cast, "member_add"), data)
    assert response.status_code == 302
    user = User.objects.get(username="li-reviewer")
    assert (user.last_name, user.first_name, user.email) == ("李", "审", "li@example.gov.cn")
    assert user.check_password("a-long-enough-passphrase-2026")
    with scopes_disabled():
        membership = JurisdictionMembership.objects.get(user=user)
    assert (membership.jurisdiction, membership.role) == (cast.bureau, Role.REVIEWER)


def test_adding_an_unknown_user_name_says_so_and_keeps_the_input(cast: Cast) -> None:
    data = {"place": str(cast.department_b.pk), "role": Role.FILLER, "username": "nobody-here"}
    response = cast.client_for("bureau_admin").post(bureau_url(cast, "member_add"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "没有用户名为「nobody-here」的用户" in page
    assert 'value="nobody-here"' in page


def test_creating_a_user_needs_a_name_an_email_and_a_fair_password(cast: Cast) -> None:
    data = {
        "place": "bureau",
        "role": Role.REVIEWER,
        "username": "half-done",
        "create": "on",
        "email": "not an email",
        "password": "123",
    }
    response = cast.client_for("bureau_admin").post(bureau_url(cast, "member_add"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["last_name"] == ["新建用户请填写姓名。"]
    assert errors["email"] == ["请填写有效的邮箱地址。"]
    assert "password" in errors
    assert not User.objects.filter(username="half-done").exists()


def test_a_role_that_does_not_fit_the_place_is_refused(cast: Cast) -> None:
    data = {"place": "bureau", "role": Role.FILLER, "username": cast.users["filler_b"].username}
    response = cast.client_for("bureau_admin").post(bureau_url(cast, "member_add"), data)
    assert response.status_code == 400
    assert "只能加入预算部门" in response.content.decode()


def test_a_role_held_already_is_not_given_twice(cast: Cast) -> None:
    data = {
        "place": str(cast.department_a.pk),
        "role": Role.FILLER,
        "username": cast.users["filler_a"].username,
    }
    response = cast.client_for("bureau_admin").post(bureau_url(cast, "member_add"), data)
    assert response.status_code == 400
    assert "该用户已是甲市商务局的填报人。" in response.content.decode()


def test_the_bureau_admin_changes_a_role(cast: Cast) -> None:
    membership = membership_of(cast, "filler_a")
    data = {"kind": "department", "membership": membership.pk, "role": Role.DEPARTMENT_HEAD}
    response = cast.client_for("bureau_admin").post(bureau_url(cast, "member_role"), data)
    assert response.status_code == 302
    assert roles_of(cast.users["filler_a"]) == {Role.DEPARTMENT_HEAD}


def test_removal_asks_for_confirmation_then_removes(cast: Cast) -> None:
    membership = membership_of(cast, "filler_b")
    admin = cast.client_for("bureau_admin")
    query = {"kind": "department", "membership": membership.pk}
    confirm = admin.get(bureau_url(cast, "member_remove"), query)
    assert confirm.status_code == 200
    assert "确定取消" in confirm.content.decode()
    assert roles_of(cast.users["filler_b"]) == {Role.FILLER}
    response = admin.post(bureau_url(cast, "member_remove"), query)
    assert response.status_code == 302
    assert roles_of(cast.users["filler_b"]) == set()
    assert User.objects.filter(pk=cast.users["filler_b"].pk).exists()


def test_the_head_adds_and_removes_fillers_of_their_department(cast: Cast) -> None:
    head = cast.client_for("head_a")
    newcomer = User.objects.create_user(username="newcomer")
    data = {"place": str(cast.department_a.pk), "role": Role.FILLER, "username": "newcomer"}
    assert head.post(department_url(cast, "member_add"), data).status_code == 302
    assert roles_of(newcomer) == {Role.FILLER}
    with scopes_disabled():
        added = DepartmentMembership.objects.get(user=newcomer)
    query = {"kind": "department", "membership": added.pk}
    assert head.post(department_url(cast, "member_remove"), query).status_code == 302
    assert roles_of(newcomer) == set()


def test_the_head_cannot_give_the_head_role(cast: Cast) -> None:
    User.objects.create_user(username="newcomer")
    data = {
        "place": str(cast.department_a.pk),
        "role": Role.DEPARTMENT_HEAD,
        "username": "newcomer",
    }
    response = cast.client_for("head_a").post(department_url(cast, "member_add"), data)
    assert response.status_code == 400
    assert roles_of(User.objects.get(username="newcomer")) == set()


def test_the_head_cannot_remove_another_head(cast: Cast) -> None:
    with scopes_disabled():
        other = DepartmentMembership.objects.create(
            user=User.objects.create_user(username="second-head"),
            department=cast.department_a,
            role=Role.DEPARTMENT_HEAD,
        )
    query = {"kind": "department", "membership": other.pk}
    response = cast.client_for("head_a").post(department_url(cast, "member_remove"), query)
    assert response.status_code == 302
    with scopes_disabled():
        assert DepartmentMembership.objects.filter(pk=other.pk).exists()


def test_the_head_cannot_reach_another_departments_member(cast: Cast) -> None:
    membership = membership_of(cast, "filler_b")
    query = {"kind": "department", "membership": membership.pk}
    response = cast.client_for("head_a").post(department_url(cast, "member_remove"), query)
    assert response.status_code == 404
    assert roles_of(cast.users["filler_b"]) == {Role.FILLER}


def test_the_bureau_admin_cannot_reach_another_bureaus_members(cast: Cast) -> None:
    with scopes_disabled():
        outsider = JurisdictionMembership.objects.get(user=cast.users["outsider"])
    query = {"kind": "bureau", "membership": outsider.pk}
    response = cast.client_for("bureau_admin").post(bureau_url(cast, "member_remove"), query)
    assert response.status_code == 404


def test_the_admin_keeps_their_own_admin_role(cast: Cast) -> None:
    with scopes_disabled():
        own = JurisdictionMembership.objects.get(user=cast.users["bureau_admin"])
    query = {"kind": "bureau", "membership": own.pk}
    response = cast.client_for("bureau_admin").post(
        bureau_url(cast, "member_remove"), query, follow=True
    )
    assert "不能取消您自己的财政管理员角色" in response.content.decode()
    with scopes_disabled():
        assert JurisdictionMembership.objects.filter(pk=own.pk).exists()


def test_the_services_refuse_fillers_and_reviewers(cast: Cast) -> None:
    with scope(jurisdiction=cast.bureau.pk, department=None):
        for user in ("filler_a", "reviewer", "outsider"):
            with pytest.raises(MembershipRefused):
                membership_add(
                    by=cast.users[user],
                    place=cast.department_a,
                    role=Role.FILLER,
                    username=cast.users["filler_b"].username,
                )
            with pytest.raises(MembershipRefused):
                membership_remove(by=cast.users[user], membership=membership_of(cast, "filler_b"))
    assert roles_of(cast.users["filler_b"]) == {Role.FILLER}
