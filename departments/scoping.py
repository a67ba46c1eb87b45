"""Entering a tenant's scope outside a request: in Celery tasks, commands and services.

Scope values are primary keys (a list of them for several tenants). Tasks receive ids, never
model instances, and load the tenant unscoped before entering its scope
(pretix's tenant-aware tasks do the same).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django_scopes import scope, scopes_disabled

from departments.models import Department, Jurisdiction


@contextmanager
def department_scope(department_id: int) -> Iterator[Department]:
    """Run inside one department's scope: its own data only."""
    with scopes_disabled():
        department = Department.objects.select_related("jurisdiction").get(pk=department_id)
    with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
        yield department


@contextmanager
def jurisdiction_scope(jurisdiction_id: int) -> Iterator[Jurisdiction]:
    """Run inside a finance bureau's scope: all of its departments' data."""
    jurisdiction = Jurisdiction.objects.get(pk=jurisdiction_id)
    with scope(jurisdiction=jurisdiction.pk, department=None):
        yield jurisdiction
