"""Who may do what with awards (rules predicates, registered as ``grants.<perm>``).

Candidates and nominations are staff matters: nominators' contact details are
personal data, so only staff of the program's municipality (and committee)
see them.  Caseworkers screen, shortlist, propose and announce; the jury
(caseworkers and committee members) scores; the committee decides through its
meeting (the secretary records it, or a caseworker holding an award
delegation); program administrators keep the settings.  Who may nominate is
a setting of each award.
"""

from __future__ import annotations

import rules
from django.db.models import Q
from django.utils import timezone

from grants.permissions import _staff_for
from meetings.permissions import serves_committee
from organizations.models import Delegation, StaffRole

CASEWORKER = StaffRole.Role.CASEWORKER
MEMBER = StaffRole.Role.MEMBER
SECRETARY = StaffRole.Role.SECRETARY
PROGRAM_ADMIN = StaffRole.Role.PROGRAM_ADMIN
JURY = (CASEWORKER, MEMBER)


def _program(obj):
    from grants.models import Application, Program, Round

    from .models import AwardSettings, Candidate

    if isinstance(obj, (Candidate, Application)):
        return obj.round.program
    if isinstance(obj, Round):
        return obj.program
    if isinstance(obj, Program):
        return obj
    if isinstance(obj, AwardSettings):
        return obj.program
    return None


def _award_program(obj):
    program = _program(obj)
    return program if program is not None and program.kind == "award" else None


@rules.predicate
def award_staff(user, obj) -> bool:
    return _staff_for(user, _award_program(obj))


@rules.predicate
def award_caseworker(user, obj) -> bool:
    return _staff_for(user, _award_program(obj), (CASEWORKER,))


@rules.predicate
def award_jury(user, obj) -> bool:
    return _staff_for(user, _award_program(obj), JURY)


@rules.predicate
def award_admin(user, obj) -> bool:
    return _staff_for(user, _award_program(obj), (PROGRAM_ADMIN,))


@rules.predicate
def award_decider(user, candidate) -> bool:
    """The committee's secretary records its decision; a caseworker may decide with an award delegation."""
    program = _award_program(candidate)
    if program is None:
        return False
    if serves_committee(user, program.committee, (SECRETARY,)):
        return True
    today = timezone.localdate()
    return (
        award_caseworker(user, candidate)
        and Delegation.objects.filter(
            user=user, committee=program.committee, matter=Delegation.Matter.AWARD, valid_from__lte=today
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )


@rules.predicate
def may_nominate(user, round) -> bool:
    """The award's setting decides: the public, anyone signed in, or the committee's members."""
    program = _award_program(round)
    settings = getattr(program, "award", None) if program is not None else None
    if settings is None:
        return False
    if settings.nominators == settings.Nominators.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if settings.nominators == settings.Nominators.USERS:
        return True
    return serves_committee(user, program.committee, (MEMBER,))


@rules.predicate
def candidacy_of_own_organisation(user, candidate) -> bool:
    """The candidate organisation's users read its decision letter (and its diploma, if awarded)."""
    from organizations.permissions import active_org_roles

    from .models import Candidate

    return (
        isinstance(candidate, Candidate)
        and candidate.organisation_id is not None
        and candidate.organisation_id in active_org_roles(user)
    )


@rules.predicate
def is_award_staff(user) -> bool:
    from organizations.permissions import staff_roles

    return bool(staff_roles(user))


rules.add_perm("grants.nominate", may_nominate)
rules.add_perm("grants.view_awards", is_award_staff)
rules.add_perm("grants.view_award_round", award_staff)
rules.add_perm("grants.manage_award", award_admin)
rules.add_perm("grants.view_award_candidate", award_staff)
rules.add_perm("grants.view_award_documents", award_staff | candidacy_of_own_organisation)
rules.add_perm("grants.handle_award_candidate", award_caseworker)
rules.add_perm("grants.assess_award_candidate", award_jury)
rules.add_perm("grants.record_award_decision", award_decider)
