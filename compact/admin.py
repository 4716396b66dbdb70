from django.contrib import admin

from .models import Commitment, Compact, CompactConference, CompactSignatory, Principle


class PrincipleInline(admin.TabularInline):
    model = Principle
    extra = 0


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    readonly_fields = ["status"]  # changed by its transitions (the compact's page), each logged


@admin.register(Compact)
class CompactAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "state", "term_start", "term_end"]
    readonly_fields = ["state", "adopted_on", "adoption_reference", "term_start", "term_end"]
    inlines = [PrincipleInline, CommitmentInline]


@admin.register(CompactSignatory)
class CompactSignatoryAdmin(admin.ModelAdmin):
    list_display = ["organisation", "compact", "joined_on", "left_on"]
    list_filter = ["compact"]


@admin.register(CompactConference)
class CompactConferenceAdmin(admin.ModelAdmin):
    list_display = ["compact", "held_on"]
