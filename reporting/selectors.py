"""Queries of follow-up reports and reclaims.  A list costs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from organizations.permissions import active_org_roles, staff_committee_ids, staff_municipality_ids

from .models import FollowUpReport, JointFollowUp, Reclaim, ReportCommitment

R = FollowUpReport.State
RC = Reclaim.State

#: the lists a caseworker works from: name -> states
REPORT_LISTS = {
    "upcoming": (R.UPCOMING,),
    "due": (R.DUE,),
    "overdue": (R.OVERDUE,),
    "submitted": (R.SUBMITTED,),
    "completion_requested": (R.COMPLETION_REQUESTED,),
    "approved": (R.APPROVED,),
    "not_approved": (R.NOT_APPROVED,),
}


def reports_visible(*, user) -> QuerySet[FollowUpReport]:
    """Staff: their municipality's (and committee's) programs' reports; applicants: their organisations'."""
    if not user.is_authenticated:
        return FollowUpReport.objects.none()
    own = list(active_org_roles(user))
    return FollowUpReport.objects.filter(
        Q(program__in=programs_visible_to_staff(user=user)) | Q(organisation_id__in=own)
    )


def programs_visible_to_staff(*, user):
    """The programs whose reports and reclaims ``user`` sees as staff (their municipality and committee)."""
    from grants.models import Program

    staff = staff_municipality_ids(user)
    if not staff:
        return Program.objects.none().values("pk")
    committees = staff_committee_ids(user)
    q = Q(municipality_id__in=staff)
    if committees is not None:
        q &= Q(committee_id__in=committees)
    return Program.objects.filter(q).values("pk")


def reports_for_staff(
    *, user, list_name: str = "", program_id: int | None = None, round_id: int | None = None
) -> QuerySet[FollowUpReport]:
    reports = FollowUpReport.objects.filter(program__in=programs_visible_to_staff(user=user))
    if list_name in REPORT_LISTS:
        reports = reports.filter(state__in=REPORT_LISTS[list_name])
    if program_id:
        reports = reports.filter(program_id=program_id)
    if round_id:
        reports = reports.filter(application__round_id=round_id)
    return reports.select_related("program", "organisation", "application__round").order_by("due_on", "pk")


def report_list_counts(*, user, program_id: int | None = None, round_id: int | None = None) -> dict[str, int]:
    """How many reports each list holds (one query)."""
    reports = reports_for_staff(user=user, program_id=program_id, round_id=round_id)
    counts = dict(reports.order_by().values_list("state").annotate(n=Count("pk")))
    return {name: sum(counts.get(s, 0) for s in states) for name, states in REPORT_LISTS.items()}


def reports_of_applicant(*, user) -> QuerySet[FollowUpReport]:
    return (
        FollowUpReport.objects.filter(organisation_id__in=list(active_org_roles(user)))
        .select_related("program", "organisation", "application")
        .order_by("due_on", "pk")
    )


def report_detail_queryset() -> QuerySet[FollowUpReport]:
    return FollowUpReport.objects.select_related(
        "program__committee__municipality",
        "program__reporting",
        "organisation",
        "application__round",
        "decision",
        "reviewed_by",
        "submitted_by",
    )


def report_answers_display(*, report: FollowUpReport) -> list[dict]:
    files = defaultdict(list)
    for attachment in report.files.all():
        files[attachment.key].append(attachment)
    rows = []
    for field in report.snapshot.get("fields", []):
        value = report.answers.get(field["key"])
        if isinstance(value, list):
            value = ", ".join(value)
        rows.append({"field": field, "value": value, "files": files.get(field["key"], [])})
    return rows


def report_commitments(*, report: FollowUpReport) -> list[ReportCommitment]:
    return list(report.commitments.all())


def reclaims_visible(*, user) -> QuerySet[Reclaim]:
    if not user.is_authenticated:
        return Reclaim.objects.none()
    own = list(active_org_roles(user))
    return Reclaim.objects.filter(
        Q(program__in=programs_visible_to_staff(user=user)) | Q(organisation_id__in=own)
    )


def reclaims_for_staff(*, user, state: str = "", program_id: int | None = None) -> QuerySet[Reclaim]:
    reclaims = Reclaim.objects.filter(program__in=programs_visible_to_staff(user=user))
    if state in RC.values:
        reclaims = reclaims.filter(state=state)
    if program_id:
        reclaims = reclaims.filter(program_id=program_id)
    return reclaims.select_related("program", "organisation", "application").order_by("-created_at", "-pk")


def reclaims_of_applicant(*, user) -> QuerySet[Reclaim]:
    return (
        Reclaim.objects.filter(organisation_id__in=list(active_org_roles(user)))
        .exclude(state=RC.PROPOSED)
        .select_related("program", "organisation")
        .order_by("-created_at")
    )


def reclaim_detail_queryset() -> QuerySet[Reclaim]:
    return Reclaim.objects.select_related(
        "program__committee__municipality", "organisation", "application", "report", "decision__item__meeting"
    )


def program_year_statistics(*, program_ids: list[int], year: int) -> dict[int, dict]:
    """Per program, the reports of grants of ``year``'s rounds: how many were submitted on time,
    late or are missing (due and not submitted); how many were approved or not; and the
    reclaimed amounts (decided, and paid).  Two queries, whatever the number of programs.

    ``{program id: {total, on_time, late, missing, approved, not_approved,
    reclaimed_amount, reclaim_paid_amount}}`` with Decimal amounts; every asked id is present.
    """
    today = timezone.localdate()
    empty = {
        "total": 0,
        "on_time": 0,
        "late": 0,
        "missing": 0,
        "approved": 0,
        "not_approved": 0,
        "reclaimed_amount": Decimal(0),
        "reclaim_paid_amount": Decimal(0),
    }
    result = {pk: dict(empty) for pk in program_ids}
    if not program_ids:
        return result
    submitted = Q(first_submitted_at__isnull=False)
    reports = (
        FollowUpReport.objects.filter(program_id__in=program_ids, application__round__year=year)
        .annotate(submitted_on=TruncDate("first_submitted_at"))
        .values("program_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=submitted & Q(submitted_on__lte=F("due_on"))),
            late=Count("pk", filter=submitted & Q(submitted_on__gt=F("due_on"))),
            missing=Count("pk", filter=Q(first_submitted_at__isnull=True, due_on__lt=today)),
            approved=Count("pk", filter=Q(state=R.APPROVED)),
            not_approved=Count("pk", filter=Q(state=R.NOT_APPROVED)),
        )
        .order_by()
    )
    for row in reports:
        result[row.pop("program_id")].update(row)
    reclaimed = (
        Reclaim.objects.filter(program_id__in=program_ids, application__round__year=year)
        .values("program_id")
        .annotate(
            reclaimed_amount=Sum(
                "decided_amount", filter=Q(state__in=[RC.DECIDED, RC.INVOICED, RC.PAID, RC.WRITTEN_OFF])
            ),
            reclaim_paid_amount=Sum("decided_amount", filter=Q(state=RC.PAID)),
        )
        .order_by()
    )
    for row in reclaimed:
        stats = result[row["program_id"]]
        stats["reclaimed_amount"] = Decimal(row["reclaimed_amount"] or 0)
        stats["reclaim_paid_amount"] = Decimal(row["reclaim_paid_amount"] or 0)
    return result


def joint_follow_ups(*, case, term_start=None) -> QuerySet[JointFollowUp]:
    """The case's yearly follow-ups (of the term starting ``term_start``, when given), by year."""
    follow_ups = JointFollowUp.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk
    ).order_by("year")
    if term_start is not None:
        follow_ups = follow_ups.filter(term_start=term_start)
    return follow_ups


def joint_follow_up(*, case, term_start, year: int) -> JointFollowUp | None:
    """The case's follow-up of one year of a term with its indicators' results, or None."""
    return (
        joint_follow_ups(case=case, term_start=term_start)
        .filter(year=year)
        .prefetch_related("results")
        .first()
    )
