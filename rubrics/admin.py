from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rubrics.models import Rubric


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    """Rubrics come from the library files; the admin shows them read-only."""

    list_display = ["rubric_id", "version", "title", "kind", "created_at"]
    list_filter = ["kind"]
    readonly_fields = ["rubric_id", "version", "title", "kind", "source", "checksum", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
