from django.contrib import admin

from .models import BoardPost, BoardResponse, GuidingContact, Listing, ProgramGuide


@admin.register(GuidingContact)
class GuidingContactAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "email", "phone", "municipality"]
    list_filter = ["municipality"]


@admin.register(ProgramGuide)
class ProgramGuideAdmin(admin.ModelAdmin):
    list_display = ["program", "min_amount", "max_amount", "max_members"]


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "listed", "updated_at"]
    list_filter = ["listed"]
    search_fields = ["organisation__name"]


@admin.register(BoardPost)
class BoardPostAdmin(admin.ModelAdmin):
    """Read-only: posts change state only on the board's own pages (logged transitions)."""

    list_display = ["title", "kind", "state", "municipality", "organisation", "expires_on"]
    list_filter = ["municipality", "state", "kind"]
    readonly_fields = [f.name for f in BoardPost._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(BoardResponse)
class BoardResponseAdmin(admin.ModelAdmin):
    list_display = ["post", "author", "created_at"]
    readonly_fields = ["post", "author", "organisation", "message", "contact", "created_at"]

    def has_add_permission(self, request):
        return False
