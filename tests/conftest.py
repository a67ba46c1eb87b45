"""The fixed cast of every tenancy test (after healthchecks' alice, bob and charlie).

Bureau A (甲市财政局) has departments A and B; bureau Z is another city.
- filler_a, head_a: filler and head of department A
- reviewer, bureau_admin: reviewer and admin of bureau A
- filler_b: filler of department B, same bureau
- outsider: admin of bureau Z (the strongest user who must still see nothing of A)
"""

import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings

from departments.models import Department, Jurisdiction
from departments.roles import Role
from evaluations.demo.load import load_demo
from evaluations.models import Campaign, Evaluation
from tests.factories import (
    CampaignFactory,
    DepartmentFactory,
    DepartmentMembershipFactory,
    EvaluationFactory,
    JurisdictionFactory,
    JurisdictionMembershipFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery"


@dataclass
class Cast:
    bureau: Jurisdiction
    department_a: Department
    department_b: Department
    other_bureau: Jurisdiction
    other_department: Department
    campaign: Campaign
    evaluation_a: Evaluation
    evaluation_b: Evaluation
    other_campaign: Campaign
    other_evaluation: Evaluation
    users: dict[str, Any]
    # Session keys of users logged in once for many tests (module_cast).
    sessions: dict[str, str] = field(default_factory=dict)

    def client_for(self, name: str) -> Client:
        client = Client()
        if name in self.sessions:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[name]
        elif name != "anonymous":
            client.force_login(self.users[name])
        return client


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    """Uploaded files (evidence) go to a throwaway directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(db: None) -> Cast:
    return cast_of_tenants()


def cast_of_tenants() -> Cast:
    bureau = JurisdictionFactory(slug="jia", name="甲市财政局")
    department_a = DepartmentFactory(jurisdiction=bureau, slug="jia-commerce", name="甲市商务局")
    department_b = DepartmentFactory(jurisdiction=bureau, slug="jia-culture", name="甲市文化局")
    other_bureau = JurisdictionFactory(slug="zi", name="子市财政局")
    other_department = DepartmentFactory(
        jurisdiction=other_bureau, slug="zi-commerce", name="子市商务局"
    )
    campaign = CampaignFactory(jurisdiction=bureau, title="甲市2019年度自评")
    other_campaign = CampaignFactory(jurisdiction=other_bureau, title="子市2019年度自评")
    users = {
        "filler_a": DepartmentMembershipFactory(department=department_a, role=Role.FILLER).user,
        "head_a": DepartmentMembershipFactory(
            department=department_a, role=Role.DEPARTMENT_HEAD
        ).user,
        "reviewer": JurisdictionMembershipFactory(jurisdiction=bureau, role=Role.REVIEWER).user,
        "bureau_admin": JurisdictionMembershipFactory(
            jurisdiction=bureau, role=Role.BUREAU_ADMIN, user__is_staff=True
        ).user,
        "filler_b": DepartmentMembershipFactory(department=department_b, role=Role.FILLER).user,
        "outsider": JurisdictionMembershipFactory(
            jurisdiction=other_bureau, role=Role.BUREAU_ADMIN, user__is_staff=True
        ).user,
    }
    return Cast(
        bureau=bureau,
        department_a=department_a,
        department_b=department_b,
        other_bureau=other_bureau,
        other_department=other_department,
        campaign=campaign,
        evaluation_a=EvaluationFactory(campaign=campaign, department=department_a),
        evaluation_b=EvaluationFactory(campaign=campaign, department=department_b),
        other_campaign=other_campaign,
        other_evaluation=EvaluationFactory(campaign=other_campaign, department=other_department),
        users=users,
    )


@pytest.fixture(scope="module")
def cast_for_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[Cast]:
    """The cast made once for a module of many short tests, its users logged in once.

    Made inside a transaction left open for the module and rolled back after it, as Django's
    TestCase.setUpTestData does: each test runs in a savepoint of it, so its changes still roll
    back, and nothing of the cast outlives the module. Not for modules with transactional tests.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
            made = cast_of_tenants()
            made.sessions = {name: session_of(user) for name, user in made.users.items()}
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def session_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def module_cast(cast_for_module: Cast, db: None) -> Cast:
    """`cast_for_module` for one test: a copy, so a test changing an object changes only its own."""
    return copy.deepcopy(cast_for_module)


@pytest.fixture
def user_factory() -> type[UserFactory]:
    return UserFactory


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data (`load_demo`), loaded once for the tests of a module that ask for it.

    As `cast_for_module`: made in a transaction left open for the module and rolled back after it,
    each test in a savepoint of it. The tests that ask for it run last in their module (see
    `pytest_collection_modifyitems`), so the module's other tests never see the demo.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
            load_demo()
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_data(demo_for_module: None, db: None) -> None:
    """The demo data, for one test (its changes roll back with it)."""


# Modules whose tests take many seconds (a subprocess, a browser, a race of many rounds, thousands
# of generated examples), with their rough cost in seconds on two quiet cores; a module under a
# prefix ending in "/" costs that much unless named itself.
SLOW = {
    "tests/test_migrations.py": 14,
    "tests/browser/test_screens.py": 20,
    "tests/browser/test_filling.py": 16,
    "tests/browser/test_workflow_story.py": 14,
    "tests/browser/test_report_editor.py": 13,
    "tests/browser/test_unreadable_input.py": 8,
    "tests/browser/test_demo_walkthrough.py": 6,
    "tests/browser/": 10,
    "tests/rubrics/test_bad_input.py": 6,
    "tests/publishing/test_archive.py": 60,
    "tests/publishing/test_pipeline.py": 15,
    "tests/publishing/test_pipeline_published.py": 8,
    "tests/publishing/test_worker_killed.py": 45,
    "tests/publishing/test_pipeline_demo.py": 20,
    "tests/test_jobs.py": 5,
    "tests/evaluations/test_shared_rows.py": 3,
    "tests/publishing/test_command.py": 2,
    "tests/rubrics/test_any_input.py": 2,
    "tests/evaluations/test_demo.py": 2,
    "tests/test_settings.py": 2,
    "tests/test_catalogue.py": 2,
    "tests/test_heap.py": 1,
    "tests/evaluations/test_input_bounds.py": 1,
}
DOCUMENTS_COST = 11  # the documents rendered once (tests/publishing/conftest.py) and read


def cost_of(path: str) -> int:
    if path in SLOW:
        return SLOW[path]
    return max(
        (cost for prefix, cost in SLOW.items() if prefix.endswith("/") and path.startswith(prefix)),
        default=0,
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests spread over the xdist workers' first batches; in each module, the tests on
    `demo_for_module` after the others.

    xdist (`-n`, its default `load` mode) gives each worker a first batch of consecutive tests, a
    quarter of its share, and then more as it goes, in this order. So the slow modules are dealt
    into the first batches, the most costly first, each to the batch with the least cost so far
    (else one worker gets them all and the others wait for it at the end); the tests on the
    demo's rendered documents all go into one batch (its worker renders them once, see
    tests/publishing/conftest.py). A worker never comes back to a module it has left, so a module
    fixture is made at most once per worker and never seen by a test that did not ask for it.
    """
    first_seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        first_seen.setdefault(item.path, index)
    items.sort(
        key=lambda item: (
            first_seen[item.path],
            "demo_for_module" in getattr(item, "fixturenames", ()),
        )
    )
    units: list[tuple[int, list[pytest.Item]]] = []
    # `_demo` is under every fixture of the rendered documents (demo_documents, demo_package_html…).
    documents = [item for item in items if "_demo" in getattr(item, "fixturenames", ())]
    if documents:
        units.append((DOCUMENTS_COST, documents))
    by_module: dict[str, list[pytest.Item]] = {}
    for item in items:
        if item not in documents and cost_of(item.nodeid.split("::")[0]):
            by_module.setdefault(item.nodeid.split("::")[0], []).append(item)
    units += sorted(
        ((cost_of(path), module) for path, module in by_module.items()),
        key=lambda unit: -unit[0],
    )
    dealt = {id(item) for _, unit in units for item in unit}
    rest = [item for item in items if id(item) not in dealt]

    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    batch = max(len(items) // workers // 4, 2)  # xdist's first batch (scheduler/load.py)
    batches: list[list[pytest.Item]] = [[] for _ in range(workers)]
    costs = [0] * workers
    for cost, unit in units:
        fitting = [n for n in range(workers) if len(batches[n]) + len(unit) <= batch] or range(
            workers
        )
        chosen = min(fitting, key=lambda n: costs[n])
        batches[chosen] += unit
        costs[chosen] += cost
    ordered: list[pytest.Item] = []
    for dealt_batch in batches:
        fill = max(batch - len(dealt_batch), 0)
        ordered += dealt_batch + rest[:fill]
        rest = rest[fill:]
    items[:] = ordered + rest


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request: pytest.FixtureRequest) -> Iterator[None]:
    """Jobs sent by the code under test run in the test's process, as in the quick start, even
    where CI configures a broker (nothing would read its queue); the tests marked
    `celery_worker` keep the broker and start a real worker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from celery._state import _set_task_join_will_block  # type: ignore[attr-defined]  # no stub

    from config.celery import app

    # Celery marks "inside a task" in one flag for the whole process, set and put back around
    # each eager task; two threads running eager tasks at once (the race tests, a live server)
    # can leave it set, and then any later `.get()` raises "Never call result.get() within a
    # task". Each test starts outside any task, as Celery's own test worker does.
    _set_task_join_will_block(False)
    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = before
