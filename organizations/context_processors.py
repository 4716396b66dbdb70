from django.conf import settings

from organizations.navigation import nav_items
from organizations.permissions import active_org_roles, admin_municipality_ids, staff_roles


def bidra(request):
    user = request.user
    return {
        "is_staff_user": bool(staff_roles(user)),
        "is_applicant_user": bool(active_org_roles(user)),
        "is_municipality_admin": bool(admin_municipality_ids(user)),
        "nav_items": nav_items(request),
        "source_url": settings.SOURCE_URL,
    }
