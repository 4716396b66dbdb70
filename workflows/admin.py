from django.contrib import admin

from .models import DiariumEntry, OutboxMessage, StoredDocument


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
