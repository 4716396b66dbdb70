"""Start-page panel of committee meetings for secretaries and members: the next meetings,
and minutes waiting for an adjuster's approval."""

from meetings.models import Attendance, Meeting
from organizations.permissions import staff_roles
from workflows.attention import panel

from . import selectors


@panel(order=40)
def meetings(request):
    user = request.user
    if not user.is_authenticated:
        return None
    if not any(role in ("secretary", "member") for _m, _c, role in staff_roles(user)):
        return None
    upcoming = selectors.meetings_upcoming(user=user)
    to_approve = list(
        Attendance.objects.filter(
            user=user, adjuster=True, present=True, approved_at=None, meeting__state=Meeting.State.HELD
        ).select_related("meeting__committee")
    )
    return {"template": "meetings/panel.html", "upcoming": upcoming, "to_approve": to_approve}
