from django.contrib import admin

from .models import AgendaItem, Meeting


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["order", "group", "title", "case_number", "proposed_amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-only for support staff: meetings change only through the secretary's pages."""

    list_display = ["committee", "starts_at", "state", "posted_on", "appeal_ends_on"]
    list_filter = ["state", "committee"]
    inlines = [AgendaItemInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
