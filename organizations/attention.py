"""The start-page panels of the organisation register: the applicant's organisations, the
municipality administrator's set-up, and the new payment accounts staff are to verify."""

from django.db.models import Prefetch

from workflows.attention import panel

from .models import OrganisationDocument
from .permissions import active_org_roles, has_any_staff_role
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
    if active_org_roles(user) or has_any_staff_role(user):
        return None
    return {
        "template": "organizations/panels/get_started.html",
        "pending": list(user.org_roles.filter(state="requested").select_related("organisation")),
    }


@panel(order=12)
def municipality_setup(request):
    """The municipality administrator: the set-up pages, and what in them needs a look."""
    from datetime import timedelta

    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from .models import Delegation, StaffRole
    from .permissions import admin_municipality_ids
    from .selectors import municipalities_administered

    if not admin_municipality_ids(request.user):
        return None
    today = timezone.localdate()
    active = StaffRole.objects.filter(state=StaffRole.State.ACTIVE)
    rows = []
    for municipality in municipalities_administered(user=request.user):
        committees = municipality.committees.annotate(
            has_secretary=Exists(
                active.filter(municipality=municipality, role=StaffRole.Role.SECRETARY).filter(
                    Q(committee=OuterRef("pk")) | Q(committee__isnull=True)
                )
            )
        ).order_by("name")
        rows.append(
            {
                "municipality": municipality,
                "committee_count": len(committees),
                "without_secretary": [c for c in committees if not c.has_secretary],
                "not_signed_in": list(
                    active.filter(municipality=municipality, user__last_login__isnull=True)
                    .select_related("user")
                    .order_by("user__full_name")
                    .values_list("user__full_name", flat=True)
                    .distinct()
                ),
                "delegations_ending": list(
                    Delegation.objects.filter(
                        committee__municipality=municipality,
                        state=Delegation.State.ACTIVE,
                        valid_until__gte=today,
                        valid_until__lte=today + timedelta(days=30),
                    )
                    .select_related("user", "committee")
                    .order_by("valid_until")
                ),
            }
        )
    return {"template": "organizations/panels/municipality_setup.html", "rows": rows}


@panel(order=13)
def account_verifications(request):
    """Staff who handle payments: new payment accounts their municipality is still to verify."""
    from .permissions import ACCOUNT_VERIFIERS, staff_municipality_ids
    from .selectors import account_verifications_waiting

    if not staff_municipality_ids(request.user, ACCOUNT_VERIFIERS):
        return None
    shown = 10
    verifications = list(account_verifications_waiting(user=request.user)[: shown + 1])
    if not verifications:
        return None
    more = 0
    if len(verifications) > shown:
        more = account_verifications_waiting(user=request.user).count() - shown
    return {
        "template": "organizations/panels/account_verifications.html",
        "verifications": verifications[:shown],
        "more": more,
    }
