"""Queries of partnerships: what a user may see, with what each page needs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from organizations.models import Committee, Organisation
from organizations.permissions import active_org_roles, staff_roles
from reporting.models import JointFollowUp

from .models import Contribution, Partnership, add_years


def visible_partnerships(*, user) -> QuerySet[Partnership]:
    """Staff: their municipality's (and committee's) partnerships; applicants: their organisations'."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    condition = Q(organisation_id__in=list(active_org_roles(user)))
    for municipality_id, committee_id, _role in staff_roles(user):
        if committee_id is None:
            condition |= Q(committee__municipality_id=municipality_id)
        else:
            condition |= Q(committee_id=committee_id)
    return Partnership.objects.filter(condition)


def partnerships_list(*, user, state: str = "", committee=None, query: str = "") -> QuerySet[Partnership]:
    qs = visible_partnerships(user=user).select_related("organisation", "committee", "approved_version")
    if state:
        qs = qs.filter(state=state)
    if committee is not None:
        qs = qs.filter(committee=committee)
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(case_number__icontains=query)
        )
    return qs.order_by("-created_at", "-pk")


def committees_for_staff(*, user) -> QuerySet[Committee]:
    condition = Q(pk__in=[])
    for municipality_id, committee_id, _role in staff_roles(user):
        condition |= Q(pk=committee_id) if committee_id else Q(municipality_id=municipality_id)
    return Committee.objects.filter(condition).select_related("municipality").order_by("name")


def organisations_for_initiative(*, user) -> QuerySet[Organisation]:
    """Organisations the user may register an initiative for."""
    condition = Q(pk__in=list(active_org_roles(user)))
    municipalities = {m for m, _c, r in staff_roles(user) if r == "caseworker"}
    if municipalities:
        condition |= Q(activities__municipality_id__in=municipalities)
    return Organisation.objects.filter(condition).distinct().order_by("name")


def committee_overview(*, committee: Committee, user, today: date | None = None) -> dict:
    """Active partnerships with their yearly value, follow-ups due, and agreements ending within a year."""
    today = today or timezone.localdate()
    running = list(
        visible_partnerships(user=user)
        .filter(committee=committee, state__in=Partnership.RUNNING)
        .select_related("organisation", "approved_version")
        .prefetch_related(
            Prefetch("approved_version__contributions", queryset=Contribution.objects.all()),
            Prefetch(
                "follow_ups",
                queryset=JointFollowUp.objects.only(
                    "id", "content_type_id", "object_id", "year", "term_start"
                ),
            ),
        )
        .order_by("organisation__name")
    )
    rows, due, ending = [], [], []
    total = Decimal(0)
    for partnership in running:
        version = partnership.approved_version
        totals = version.totals() if version else {"yearly": Decimal(0), "municipality": Decimal(0)}
        years = max(version.years, 1) if version else 1
        yearly_municipality = totals["municipality"] / years
        total += totals["yearly"]
        rows.append(
            {"partnership": partnership, "yearly": totals["yearly"], "municipality": yearly_municipality}
        )
        done = {f.year for f in partnership.follow_ups.all() if f.term_start == partnership.term_start}
        for year in partnership.term_years():
            due_on = partnership.follow_up_due_on(year)
            if year not in done and due_on - timedelta(days=30) <= today:
                due.append({"partnership": partnership, "year": year, "due_on": due_on})
        if version and version.end_date and version.end_date <= add_years(today, 1):
            ending.append({"partnership": partnership, "end_date": version.end_date})
    return {"rows": rows, "total_yearly": total, "due": due, "ending": ending}


def municipal_money_paid(*, partnership: Partnership) -> Decimal:
    return partnership.payments.filter(state="paid").aggregate(s=Sum("amount"))["s"] or Decimal(0)
