"""Who may do what with committee meetings.

Staff of the committee's municipality see its meetings (staff limited to one
committee see only that committee's); the committee secretary acts; members
read and declare conflicts of interest; the named adjusters approve the
minutes; applicants see nothing of meetings (they see their decisions
through their case).
"""

from __future__ import annotations

import rules

from organizations.models import StaffRole
from organizations.permissions import staff_roles

SECRETARY = StaffRole.Role.SECRETARY


def serves_committee(user, committee, roles: tuple[str, ...] | None = None) -> bool:
    """Whether ``user`` holds one of ``roles`` (any role when None) for ``committee``."""
    if committee is None:
        return False
    return any(
        m == committee.municipality_id and (c is None or c == committee.pk) and (roles is None or r in roles)
        for m, c, r in staff_roles(user)
    )


@rules.predicate
def committee_staff(user, committee) -> bool:
    return serves_committee(user, committee)


@rules.predicate
def committee_secretary(user, committee) -> bool:
    return serves_committee(user, committee, (SECRETARY,))


@rules.predicate
def meeting_staff(user, meeting) -> bool:
    return meeting is not None and serves_committee(user, meeting.committee)


@rules.predicate
def meeting_secretary(user, meeting) -> bool:
    return meeting is not None and serves_committee(user, meeting.committee, (SECRETARY,))


@rules.predicate
def meeting_adjuster(user, meeting) -> bool:
    if meeting is None or not user.is_authenticated:
        return False
    return meeting.attendances.filter(user=user, adjuster=True, present=True).exists()


@rules.predicate
def is_system_user(user) -> bool:
    return bool(getattr(user, "is_system", False))


@rules.predicate
def item_staff(user, item) -> bool:
    return item is not None and meeting_staff(user, item.meeting)


@rules.predicate
def item_secretary(user, item) -> bool:
    return item is not None and meeting_secretary(user, item.meeting)


rules.add_perm("meetings.view_committee_meetings", committee_staff)
rules.add_perm("meetings.manage_committee_meetings", committee_secretary)
rules.add_perm("meetings.view_meeting", meeting_staff)
rules.add_perm("meetings.manage_meeting", meeting_secretary)
rules.add_perm("meetings.approve_minutes", meeting_adjuster)
rules.add_perm("meetings.finalise_meeting", is_system_user)
rules.add_perm("meetings.declare_recusal", item_staff)
rules.add_perm("meetings.record_recusal", item_secretary)
rules.add_perm("meetings.register_appeal", item_secretary)


@rules.predicate
def municipality_secretary(user, municipality) -> bool:
    """A committee secretary of the municipality: who posts minutes posts its other notices too."""
    return municipality is not None and any(
        m == municipality.pk and r == SECRETARY for m, _c, r in staff_roles(user)
    )


rules.add_perm("meetings.post_notice", municipality_secretary)
