"""Start-page panels of follow-up reports: what the applicant owes, what waits for the caseworker."""

from django.utils import timezone

from organizations.permissions import active_org_roles, staff_municipality_ids
from workflows.attention import panel

from .models import FollowUpReport, Reclaim
from .permissions import CASEWORKER

R = FollowUpReport.State


@panel(order=22)
def my_reports(request):
    """The applicant: the reports its organisations owe (with due dates) and unpaid reclaims."""
    orgs = list(active_org_roles(request.user))
    if not orgs:
        return None
    reports = list(
        FollowUpReport.objects.filter(organisation_id__in=orgs, state__in=FollowUpReport.OWED_STATES)
        .select_related("program", "organisation")
        .order_by("due_on", "pk")[:10]
    )
    reclaims = list(
        Reclaim.objects.filter(organisation_id__in=orgs, state__in=Reclaim.UNPAID_STATES)
        .select_related("program", "organisation")
        .order_by("pk")[:5]
    )
    if not reports and not reclaims:
        return None
    return {
        "template": "reporting/panels/my_reports.html",
        "reports": reports,
        "reclaims": reclaims,
        "today": timezone.localdate(),
    }


@panel(order=18)
def reports_to_review(request):
    """The caseworker: submitted reports to review and overdue ones to chase."""
    if not staff_municipality_ids(request.user, (CASEWORKER,)):
        return None
    from .selectors import report_list_counts

    counts = report_list_counts(user=request.user)
    if not counts["submitted"] and not counts["overdue"]:
        return None
    return {"template": "reporting/panels/to_review.html", "counts": counts}
