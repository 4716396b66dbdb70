"""Who may do what with follow-up reports and reclaims (rules predicates, ``grants.<perm>``).

Applicants see and fill in their own organisations' reports and see their
reclaims; staff of the program's municipality (and committee) see them;
caseworkers review reports and propose, invoice and settle reclaims; the
committee decides reclaims through its meeting (the secretary records it) or
a caseworker holding a reclaim delegation; program administrators keep the
reporting requirement.  The timers act as the system user.
"""

from __future__ import annotations

import rules
from django.db.models import Q
from django.utils import timezone

from grants.permissions import _staff_for
from organizations.models import Delegation, StaffRole
from organizations.permissions import active_org_roles, staff_roles

CASEWORKER = StaffRole.Role.CASEWORKER
SECRETARY = StaffRole.Role.SECRETARY
PROGRAM_ADMIN = StaffRole.Role.PROGRAM_ADMIN


def _program(obj):
    from grants.models import Program

    from .models import FollowUpReport, Reclaim

    if isinstance(obj, FollowUpReport | Reclaim):
        return obj.program
    if isinstance(obj, Program):
        return obj
    return None


@rules.predicate
def report_staff(user, obj) -> bool:
    return _staff_for(user, _program(obj))


@rules.predicate
def report_caseworker(user, obj) -> bool:
    return _staff_for(user, _program(obj), (CASEWORKER,))


@rules.predicate
def reporting_admin(user, obj) -> bool:
    return _staff_for(user, _program(obj), (PROGRAM_ADMIN,))


@rules.predicate
def report_org_user(user, obj) -> bool:
    return obj is not None and getattr(obj, "organisation_id", None) in active_org_roles(user)


@rules.predicate
def is_system(user) -> bool:
    return bool(getattr(user, "is_system", False))


@rules.predicate
def reclaim_decider(user, reclaim) -> bool:
    """The committee's secretary records its decision; a caseworker may decide with a reclaim delegation."""
    program = _program(reclaim)
    if program is None:
        return False
    if getattr(user, "is_system", False):
        return True
    if _staff_for(user, program, (SECRETARY,)):
        return True
    today = timezone.localdate()
    return (
        _staff_for(user, program, (CASEWORKER,))
        and Delegation.objects.filter(
            user=user,
            committee_id=program.committee_id,
            matter=Delegation.Matter.RECLAIM,
            valid_from__lte=today,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )


@rules.predicate
def is_reporting_staff(user) -> bool:
    return bool(staff_roles(user))


rules.add_perm("grants.view_reports", is_reporting_staff)
rules.add_perm("grants.view_report", report_org_user | report_staff)
rules.add_perm("grants.act_for_report", report_org_user)
rules.add_perm("grants.handle_report", report_caseworker)
rules.add_perm("grants.run_report_timers", is_system)
rules.add_perm("grants.manage_reporting", reporting_admin)
rules.add_perm("grants.view_reclaim", report_org_user | report_staff)
rules.add_perm("grants.propose_reclaim", report_caseworker)
rules.add_perm("grants.handle_reclaim", report_caseworker)
rules.add_perm("grants.write_off_reclaim", report_caseworker | reporting_admin)
rules.add_perm("grants.decide_reclaim", reclaim_decider)
