"""Start-page panels: the organisation's partnerships, and staff's partnerships that need them."""

from organizations.permissions import active_org_roles, staff_roles
from workflows.attention import panel

from .models import Partnership
from .selectors import visible_partnerships

STAFF_ATTENTION = (
    Partnership.State.INITIATIVE,
    Partnership.State.SCREENING,
    Partnership.State.PROPOSED,
    Partnership.State.APPROVED,
    Partnership.State.FOLLOW_UP_DUE,
    Partnership.State.EVALUATION,
)


@panel(order=40)
def my_partnerships(request):
    user = request.user
    org_ids = list(active_org_roles(user))
    if not org_ids:
        return None
    partnerships = list(
        Partnership.objects.filter(organisation_id__in=org_ids)
        .select_related("organisation", "approved_version")
        .order_by("-created_at")[:20]
    )
    return {"template": "iop/panels/my_partnerships.html", "partnerships": partnerships}


@panel(order=45)
def partnerships_to_handle(request):
    user = request.user
    if not any(r in ("caseworker", "secretary") for _m, _c, r in staff_roles(user)):
        return None
    partnerships = list(
        visible_partnerships(user=user)
        .filter(state__in=STAFF_ATTENTION)
        .select_related("organisation")
        .order_by("created_at")[:20]
    )
    if not partnerships:
        return None
    return {"template": "iop/panels/partnerships_to_handle.html", "partnerships": partnerships}
