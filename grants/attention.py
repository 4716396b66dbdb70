"""Start-page panels of grants: applications that wait for the applicant, tasks for the caseworker."""

from organizations.permissions import active_org_roles, staff_municipality_ids
from workflows.attention import panel

from .models import Application
from .permissions import CASEWORKER


@panel(order=20)
def my_applications(request):
    if not active_org_roles(request.user):
        return None
    applications = list(
        Application.objects.filter(organisation_id__in=list(active_org_roles(request.user)))
        .exclude(state__in=[Application.State.WITHDRAWN])
        .select_related("round__program", "organisation")
        .order_by("-created_at")[:10]
    )
    return {
        "template": "grants/panels/my_applications.html",
        "applications": applications,
        "to_complete": [a for a in applications if a.state == Application.State.COMPLETION_REQUESTED],
    }


@panel(order=15)
def inbox(request):
    if not staff_municipality_ids(request.user, (CASEWORKER,)):
        return None
    from .selectors import inbox_tasks

    tasks = inbox_tasks(user=request.user)
    return {
        "template": "grants/panels/inbox.html",
        "open": tasks.count(),
        "mine": tasks.filter(owner=request.user).count(),
        "unclaimed": tasks.filter(owner__isnull=True).count(),
    }
