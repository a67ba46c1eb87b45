from django.contrib import admin

from departments.admin import BureauAdminMixin
from evaluations.models import Campaign, Evaluation


@admin.register(Campaign)
class CampaignAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["title", "jurisdiction", "fiscal_year", "notice_number", "due_on"]
    list_filter = ["fiscal_year"]
    search_fields = ["title", "notice_number"]


@admin.register(Evaluation)
class EvaluationAdmin(BureauAdminMixin, admin.ModelAdmin):
    list_display = ["department", "campaign", "state", "updated_at"]
    list_filter = ["state", "campaign__fiscal_year"]
    search_fields = ["department__name"]
