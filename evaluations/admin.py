from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from departments.admin import BureauAdminMixin
from evaluations.models import Campaign, Evaluation
from evaluations.models.campaigns import SUMMARY_FIELDS
from rubrics.services import campaign_rubrics_pin


@admin.register(Campaign)
class CampaignAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["title", "jurisdiction", "fiscal_year", "notice_number", "due_on"]
    list_filter = ["fiscal_year"]
    search_fields = ["title", "notice_number"]
    # Opening and closing go through the campaign pages (evaluations.services.campaigns): they
    # create the evaluations and lock them, which a raw status change would not.
    readonly_fields = ["status", "opened_at", "closed_at", "opening_total", "opening_done"]

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A campaign left without rubrics records the defaults' current versions, so that what
        # it scores with never changes under it.
        campaign_rubrics_pin(campaign=obj)


@admin.register(Evaluation)
class EvaluationAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["department", "campaign", "state", "updated_at"]
    list_filter = ["state", "campaign__fiscal_year"]
    search_fields = ["department__name"]
    # The state moves only through the workflow's transitions (evaluations.services.workflow),
    # which check, record and notify; the summaries are computed.
    readonly_fields = [
        "state",
        "submitted_at",
        "first_submitted_at",
        "submitted_late",
        "approved_at",
        "published_at",
        "withdrawal_reason",
        "unlocked",
        *SUMMARY_FIELDS,
    ]
