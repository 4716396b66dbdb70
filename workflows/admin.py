from django.contrib import admin

from .models import AgendaItem, DiariumEntry, Meeting, OutboxMessage, StoredDocument


@admin.register(DiariumEntry)
class DiariumEntryAdmin(admin.ModelAdmin):
    list_display = ["case_number", "title", "registered_at"]
    search_fields = ["case_number", "title"]
    list_filter = ["committee", "year"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "created_at", "sent_at", "attempts"]
    readonly_fields = ["key", "to", "subject", "body", "created_at", "sent_at", "attempts", "last_error"]


@admin.register(StoredDocument)
class StoredDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version", "created_at"]
    readonly_fields = [
        "content_type",
        "object_id",
        "kind",
        "version",
        "title",
        "sha256",
        "source_sha256",
        "size",
        "created_by",
    ]
    exclude = ["file"]


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
