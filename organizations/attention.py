"""The applicant's start-page panels of the organisation register."""

from django.db.models import Prefetch

from workflows.attention import panel

from .models import OrganisationDocument
from .permissions import active_org_roles, is_staff
from .selectors import document_status, organisations_of_user, role_requests_pending


@panel(order=10)
def my_organisations(request):
    if not active_org_roles(request.user):
        return None
    organisations = organisations_of_user(user=request.user).prefetch_related(
        Prefetch(
            "documents",
            queryset=OrganisationDocument.objects.only("id", "organisation_id", "doc_type", "year"),
        )
    )
    rows = []
    for organisation in organisations:
        statuses = document_status(organisation=organisation, documents=list(organisation.documents.all()))
        rows.append({"organisation": organisation, "missing": [s for s in statuses if s.state != "current"]})
    return {
        "template": "organizations/panels/my_organisations.html",
        "rows": rows,
        "requests": list(role_requests_pending(user=request.user)),
    }


@panel(order=5)
def get_started(request):
    user = request.user
    if active_org_roles(user) or is_staff(user):
        return None
    return {
        "template": "organizations/panels/get_started.html",
        "pending": list(user.org_roles.filter(state="requested").select_related("organisation")),
    }
