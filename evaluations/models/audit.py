"""The audit trail: PostgreSQL triggers (django-pghistory) record every insert, update and delete
of the department data, the campaigns and the memberships, and a manual event records each login.

Each tracked model gets one event table (``<Model>Event``) holding a copy of the row after an
insert or update and before a delete, with the request's context (user, url, remote_addr) copied
in as JSON, which costs no extra write per event. Event tables are append-only: a trigger refuses
UPDATE and DELETE. `evaluations.selectors.history` reads them back as old → new values.
"""

from typing import Any

import pghistory
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.dispatch import receiver
from django_scopes import ScopedManager

from departments.models import DepartmentMembership, JurisdictionMembership
from evaluations.models.adjustments import Adjustments
from evaluations.models.assets import FixedAssetLine, FixedAssetStatedTotals
from evaluations.models.basic import (
    AssetManagement,
    Benefits,
    Disclosures,
    Fairness,
    OverallTargets,
    ProjectOrganisation,
    ProjectTargets,
    RevenueAndProcurement,
    SpendingControl,
    Staffing,
    UnitInfo,
    WorkCompletion,
)
from evaluations.models.campaigns import SUMMARY_FIELDS, Campaign, Evaluation
from evaluations.models.explanations import WarningExplanation
from evaluations.models.funds import FundLine
from evaluations.models.hunan import HunanBasicData, HunanOverall, Indicator, ProjectEvaluation
from evaluations.models.report import Evidence, ReportSection
from evaluations.models.scores import IndicatorScore
from evaluations.models.targets import TargetDeclaration

# Rows owned by an evaluation: scoped as the rows themselves are.
EVALUATION_DATA: list[type[models.Model]] = [
    Adjustments,
    AssetManagement,
    Benefits,
    Disclosures,
    Evidence,
    Fairness,
    FixedAssetLine,
    FixedAssetStatedTotals,
    FundLine,
    HunanBasicData,
    HunanOverall,
    Indicator,
    IndicatorScore,
    OverallTargets,
    ProjectEvaluation,
    ProjectOrganisation,
    ProjectTargets,
    ReportSection,
    RevenueAndProcurement,
    SpendingControl,
    Staffing,
    TargetDeclaration,
    UnitInfo,
    WarningExplanation,
    WorkCompletion,
]

# Columns that move on every save or every refresh of the dashboard's summary: recording them
# would write an event for nothing a person changed.
UNTRACKED = {
    Campaign: ["opening_total", "opening_done"],
    Evaluation: [
        *SUMMARY_FIELDS,
        "updated_at",
    ],
    WarningExplanation: ["updated_at"],
}

BY_EVALUATION = {
    "jurisdiction": "evaluation__department__jurisdiction",
    "department": "evaluation__department",
}


def _tracked(model: type[models.Model], **scopes: str) -> type[models.Model]:
    """The event model of `model`, scoped along the same path as `model` itself."""
    return pghistory.create_event_model(
        model,
        pghistory.InsertEvent(trigger_name="audit_insert"),
        pghistory.UpdateEvent(trigger_name="audit_update"),
        pghistory.DeleteEvent(trigger_name="audit_delete"),
        exclude=UNTRACKED.get(model, []),
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
        context_field=pghistory.ContextJSONField(),
        context_id_field=pghistory.ContextUUIDField(),
        append_only=True,
        model_name=f"{model.__name__}Event",
        abstract=False,
        attrs={"objects": ScopedManager(**scopes)} if scopes else None,
    )


EVENT_MODELS: dict[type[models.Model], type[models.Model]] = {
    Campaign: _tracked(Campaign, jurisdiction="jurisdiction"),
    Evaluation: _tracked(
        Evaluation, jurisdiction="department__jurisdiction", department="department"
    ),
    **{model: _tracked(model, **BY_EVALUATION) for model in EVALUATION_DATA},
    DepartmentMembership: _tracked(
        DepartmentMembership, jurisdiction="department__jurisdiction", department="department"
    ),
    JurisdictionMembership: _tracked(JurisdictionMembership, jurisdiction="jurisdiction"),
}

LOGIN = "login"

# A login belongs to a person, not a tenant; only the user name is copied (never the password hash).
UserLoginEvent = pghistory.create_event_model(
    get_user_model(),
    pghistory.ManualEvent(LOGIN),
    fields=["username"],
    obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
    context_field=pghistory.ContextJSONField(),
    context_id_field=pghistory.ContextUUIDField(),
    append_only=True,
    model_name="UserLoginEvent",
    app_label="departments",
    abstract=False,
)


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Record the login with the request's address (the login POST carries the audit context)."""
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    with pghistory.context(user=user.pk, remote_addr=address):
        pghistory.create_event(user, label=LOGIN)
