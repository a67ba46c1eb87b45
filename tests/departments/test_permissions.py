"""Who may pass each door: every row of the table in tests/access.py, role by role."""

import pytest
from django.urls import reverse

from tests.access import DOORS, ROLES, Door, enter
from tests.conftest import Cast


@pytest.fixture
def cast(module_cast: Cast) -> Cast:
    """One cast for the module, its users logged in once (tests/conftest.py), not one per test."""
    return module_cast


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("door", DOORS, ids=str)
def test_permission_table(cast: Cast, door: Door, role: str) -> None:
    assert enter(cast, door, role).status_code == door.statuses[role]


def test_a_department_page_lists_only_its_own_evaluations(cast: Cast) -> None:
    response = cast.client_for("reviewer").get(
        reverse("department:home", kwargs={"department": "jia-commerce"})
    )
    assert list(response.context["evaluations"]) == [cast.evaluation_a]


def test_a_bureau_lists_only_its_own_departments(cast: Cast) -> None:
    response = cast.client_for("reviewer").get(
        reverse("bureau:departments", kwargs={"jurisdiction": "jia"})
    )
    assert set(response.context["departments"]) == {cast.department_a, cast.department_b}
