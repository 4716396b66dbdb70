"""Admin of follow-up reports for support staff: the requirement, and read-only reports and reclaims."""

from django.contrib import admin

from .models import (
    CommitmentTemplate,
    FollowUpReport,
    Reclaim,
    ReportCommitment,
    ReportField,
    ReportingRequirement,
)


class ReportFieldInline(admin.TabularInline):
    model = ReportField
    extra = 0


class CommitmentTemplateInline(admin.TabularInline):
    model = CommitmentTemplate
    extra = 0


@admin.register(ReportingRequirement)
class ReportingRequirementAdmin(admin.ModelAdmin):
    list_display = ["program", "enabled", "due_rule", "reminder_days"]
    list_select_related = ["program"]


class ReportCommitmentInline(admin.TabularInline):
    model = ReportCommitment
    extra = 0
    can_delete = False
    readonly_fields = ["label", "unit", "planned", "achieved", "comment"]
    fields = readonly_fields


@admin.register(FollowUpReport)
class FollowUpReportAdmin(admin.ModelAdmin):
    list_display = ["case_number", "organisation", "program", "due_on", "state"]
    list_filter = ["state"]
    list_select_related = ["organisation", "program"]
    search_fields = ["case_number", "organisation__name"]
    readonly_fields = [f.name for f in FollowUpReport._meta.fields]
    inlines = [ReportCommitmentInline]

    def has_add_permission(self, request):
        return False


@admin.register(Reclaim)
class ReclaimAdmin(admin.ModelAdmin):
    list_display = ["case_number", "organisation", "program", "decided_amount", "state"]
    list_filter = ["state"]
    list_select_related = ["organisation", "program"]
    search_fields = ["case_number", "organisation__name"]
    readonly_fields = [f.name for f in Reclaim._meta.fields]

    def has_add_permission(self, request):
        return False
