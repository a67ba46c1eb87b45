"""Department data is reachable only inside a scope: a query outside one raises."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django_scopes import ScopeError, scope, scopes_disabled

from departments.models import (
    Department,
    DepartmentMembership,
    Jurisdiction,
    JurisdictionMembership,
)
from departments.scoping import department_scope, jurisdiction_scope
from evaluations.models import Campaign, Evaluation, Notification
from tests.conftest import Cast

SCOPED_MODELS = [Department, DepartmentMembership, JurisdictionMembership, Campaign, Evaluation]


@pytest.mark.parametrize("model", SCOPED_MODELS)
def test_an_unscoped_query_raises(db: None, model: type[models.Model]) -> None:
    with pytest.raises(ScopeError):
        list(model._default_manager.all())
    with pytest.raises(ScopeError):
        model._default_manager.filter(pk=1).exists()


# Owned by a person, not a tenant: an inbox entry is read by its recipient only, whatever the
# tenant (tests/evaluations/test_inbox.py proves nobody else reads it).
RECIPIENT_OWNED = {Notification}


def test_every_model_owned_by_a_tenant_has_a_scoped_manager() -> None:
    """A new model with a foreign key to a tenant must be scoped, or this fails."""
    tenant_models = {Department, Jurisdiction, Campaign, Evaluation}
    for model in apps.get_models():
        if (
            model in RECIPIENT_OWNED
            or model is Jurisdiction
            or model._meta.app_label
            not in {
                "departments",
                "evaluations",
                "rubrics",
                "publishing",
            }
        ):
            continue
        owned = any(
            isinstance(field, models.ForeignKey) and field.related_model in tenant_models
            for field in model._meta.get_fields()
        )
        if owned:
            with pytest.raises(ScopeError), scope():
                list(model._default_manager.all())


def test_a_department_scope_sees_only_that_department(cast: Cast) -> None:
    with department_scope(cast.department_a.pk):
        assert list(Evaluation.objects.all()) == [cast.evaluation_a]
        assert list(Department.objects.all()) == [cast.department_a]
        assert not Campaign.objects.filter(pk=cast.other_campaign.pk).exists()


def test_a_jurisdiction_scope_sees_its_departments_only(cast: Cast) -> None:
    with jurisdiction_scope(cast.bureau.pk):
        assert set(Evaluation.objects.all()) == {cast.evaluation_a, cast.evaluation_b}
        assert set(Department.objects.all()) == {cast.department_a, cast.department_b}
    with scopes_disabled():
        assert Evaluation.objects.count() == 3


def test_a_tenant_url_whose_view_declares_no_roles_fails_closed(cast: Cast, settings) -> None:
    settings.ROOT_URLCONF = "tests.departments.urls_undeclared"
    with pytest.raises(ImproperlyConfigured):
        cast.client_for("filler_a").get("/d/jia-commerce/")
