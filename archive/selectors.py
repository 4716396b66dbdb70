"""The archive's queries: the closed cases of a committee's year, and what was exported."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from organizations.models import Committee
from organizations.permissions import staff_committee_ids, staff_municipality_ids

from .adapters import archive_adapters
from .models import ArchivedCase, ExportJob
from .permissions import ARCHIVE_ROLES


def cases_to_archive(*, committee: Committee, year: int) -> list:
    """The committee's closed cases of ``year`` of every case type, not yet exported."""
    cases = []
    for adapter in archive_adapters():
        content_type = ContentType.objects.get_for_model(adapter.model)
        exported = ArchivedCase.objects.filter(content_type=content_type).values("object_id")
        cases += list(adapter.closed_queryset(committee, year).exclude(pk__in=exported))
    return cases


def open_cases(*, committee: Committee, year: int) -> list:
    """The committee's cases of ``year`` of every case type that are not closed yet."""
    cases = []
    for adapter in archive_adapters():
        cases += list(adapter.open_queryset(committee, year))
    return cases


def committees_for_archivist(*, user) -> QuerySet[Committee]:
    """The committees whose cases ``user`` may export (see ``archive.permissions``)."""
    committees = Committee.objects.filter(
        municipality_id__in=staff_municipality_ids(user, ARCHIVE_ROLES)
    ).select_related("municipality")
    limited = staff_committee_ids(user, ARCHIVE_ROLES)
    if limited is not None:
        committees = committees.filter(pk__in=limited)
    return committees.order_by("municipality__name", "name")


def export_jobs(*, committees) -> QuerySet[ExportJob]:
    return (
        ExportJob.objects.filter(committee__in=committees)
        .select_related("committee", "started_by")
        .prefetch_related(Prefetch("cases", queryset=ArchivedCase.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def archived_case_for(case) -> ArchivedCase | None:
    return ArchivedCase.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk
    ).first()
