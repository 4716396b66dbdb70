"""The start-page panel: the way in to support, partners and the board, for applicants."""

from organizations.models import Municipality
from organizations.permissions import active_org_roles
from workflows.attention import panel

from .selectors import listable_organisations


@panel(order=40)
def one_way_in(request):
    user = request.user
    if not active_org_roles(user):
        return None
    municipalities = list(
        Municipality.objects.filter(activities__organisation_id__in=list(active_org_roles(user)))
        .distinct()
        .order_by("name")
    )
    return {
        "template": "portal/panels/one_way_in.html",
        "municipalities": municipalities,
        "listings": list(listable_organisations(user=user)),
    }
