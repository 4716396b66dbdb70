from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    AccountChange,
    AccountVerification,
    Committee,
    Delegation,
    Municipality,
    Organisation,
    OrganisationActivity,
    OrganisationDocument,
    OrganisationRole,
    Person,
    StaffRole,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "email_verified_at"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "phone"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "email_verified_at", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


class CommitteeInline(admin.TabularInline):
    model = Committee
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "case_number_format"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CommitteeInline]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "municipality", "committee"]
    list_filter = ["role", "municipality"]
    autocomplete_fields = ["user"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["user", "committee", "matter", "max_amount", "valid_from", "valid_until"]
    autocomplete_fields = ["user"]


class ActivityInline(admin.TabularInline):
    model = OrganisationActivity
    extra = 0


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "kind", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "org_number"]
    inlines = [ActivityInline, PersonInline]
    # Where money goes changes only through a verified change of account (AccountChange), never here.
    readonly_fields = ["account_type", "account_number", "account_changed_at"]


class AccountVerificationInline(admin.TabularInline):
    model = AccountVerification
    extra = 0
    can_delete = False
    fields = ["municipality", "state", "verified_by", "verified_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    """For support staff to look up a change: it is made and verified on the organisation's pages."""

    list_display = ["organisation", "account_type", "account_number", "state", "created_at", "decided_at"]
    list_filter = ["state"]
    search_fields = ["organisation__name", "organisation__org_number", "account_number"]
    readonly_fields = [
        "organisation",
        "account_type",
        "account_number",
        "previous_account_type",
        "previous_account_number",
        "requested_by",
        "created_at",
        "decided_at",
        "state",
    ]
    inlines = [AccountVerificationInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganisationDocument)
class OrganisationDocumentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "doc_type", "year", "uploaded_at"]
    list_filter = ["doc_type"]
    exclude = ["file"]
    readonly_fields = [
        "organisation",
        "doc_type",
        "year",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
    ]


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "kind", "state"]
    list_filter = ["state", "kind"]
    readonly_fields = ["state"]
