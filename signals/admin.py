from django.contrib import admin

from .models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The reference checklist of indicators per form: administrators keep it current."""

    list_display = ["text", "form", "position", "is_active"]
    list_filter = ["form", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["text"]

    def has_delete_permission(self, request, obj=None):
        # Signals refer to indicators; retire one by making it inactive.
        return False
