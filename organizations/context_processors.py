from organizations.permissions import active_org_roles, staff_roles


def bidra(request):
    user = request.user
    return {
        "is_staff_user": bool(staff_roles(user)),
        "is_applicant_user": bool(active_org_roles(user)),
    }
