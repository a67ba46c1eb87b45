from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from departments.admin import BureauAdminMixin
from evaluations.models import Campaign, Evaluation
from rubrics.services import campaign_rubrics_pin


@admin.register(Campaign)
class CampaignAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["title", "jurisdiction", "fiscal_year", "notice_number", "due_on"]
    list_filter = ["fiscal_year"]
    search_fields = ["title", "notice_number"]

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
