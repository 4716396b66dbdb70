from django.contrib import admin

from .models import Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["case_number", "title", "organisation", "committee", "state"]
    list_filter = ["state", "committee"]
    search_fields = ["case_number", "title", "organisation__name"]
    readonly_fields = ["state", "case_number", "registered_at", "approved_version"]

    def has_add_permission(self, request):
        return False  # initiatives are registered through the service, which gives the case number
