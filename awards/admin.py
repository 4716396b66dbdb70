"""Admin of awards for support staff: the settings, and read-only candidates with their nominations."""

from django.contrib import admin

from .models import AwardSettings, Candidate, Nomination


@admin.register(AwardSettings)
class AwardSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "amount", "recipients", "nominators"]
    list_select_related = ["program"]


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0
    can_delete = False
    readonly_fields = [
        "kind",
        "nominee_name",
        "nominee_org_number",
        "nominator_name",
        "nominator_email",
        "created_at",
    ]
    fields = readonly_fields


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["case_number", "name", "round", "state"]
    list_filter = ["state"]
    list_select_related = ["round__program"]
    search_fields = ["name", "case_number"]
    readonly_fields = [f.name for f in Candidate._meta.fields]
    inlines = [NominationInline]

    def has_add_permission(self, request):
        return False
