"""Program configuration for support staff.  Caseworkers' work happens on the pages, never only here."""

from django.contrib import admin

from .models import (
    Application,
    BudgetCommitment,
    ConflictOfInterest,
    Criterion,
    DecisionRequest,
    DelayNotice,
    EligibilityRule,
    FormField,
    Program,
    ProgramBudget,
    RequiredAttachment,
    Round,
)


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0


class RequiredAttachmentInline(admin.TabularInline):
    model = RequiredAttachment
    extra = 0


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ["name", "year", "opens_at", "closes_at", "late_rule", "late_deduction_percent"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "committee", "municipality", "is_active"]
    list_filter = ["municipality", "kind", "is_active"]
    search_fields = ["name", "rules_reference"]
    inlines = [FormFieldInline, RequiredAttachmentInline, EligibilityRuleInline, CriterionInline, RoundInline]


class BudgetCommitmentInline(admin.TabularInline):
    model = BudgetCommitment
    extra = 0


@admin.register(ProgramBudget)
class ProgramBudgetAdmin(admin.ModelAdmin):
    list_display = ["program", "year", "amount"]
    list_filter = ["year"]
    inlines = [BudgetCommitmentInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "opens_at", "closes_at", "late_rule", "snapshot_taken_at"]
    list_filter = ["program"]
    readonly_fields = ["snapshot", "snapshot_taken_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: what the services record, with its history (an application, a notice of delay, a
    request for a decision), is changed only through them."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only: every change of an application goes through the services."""

    list_display = ["case_number", "title", "organisation", "round", "state", "submitted_at"]
    list_filter = ["state", "round__program"]
    search_fields = ["case_number", "organisation__name", "title"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "reason", "declared_at"]


@admin.register(DelayNotice)
class DelayNoticeAdmin(ReadOnlyAdmin):
    list_display = ["application", "expected_by", "by", "at"]
    search_fields = ["application__case_number"]


@admin.register(DecisionRequest)
class DecisionRequestAdmin(ReadOnlyAdmin):
    list_display = ["application", "at", "due", "outcome", "closed_at"]
    list_filter = ["outcome"]
    search_fields = ["application__case_number"]
