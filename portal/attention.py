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


@panel(order=45)
def board_to_moderate(request):
    """Staff who moderate the board see how many posts wait, and reach the guidance settings."""
    from django.db.models import Count, Q

    from organizations.permissions import staff_municipality_ids

    from .models import BoardPost
    from .permissions import MODERATORS, PROGRAM_ADMIN

    ids = staff_municipality_ids(request.user, MODERATORS)
    if not ids:
        return None
    admin_ids = staff_municipality_ids(request.user, (PROGRAM_ADMIN,))
    rows = (
        Municipality.objects.filter(pk__in=ids)
        .annotate(pending=Count("board_posts", filter=Q(board_posts__state=BoardPost.State.PENDING)))
        .order_by("name")
    )
    return {
        "template": "portal/panels/board_to_moderate.html",
        "rows": [{"municipality": m, "pending": m.pending, "guidance": m.pk in admin_ids} for m in rows],
    }
