"""Who may do what with programs, rounds and applications (rules predicates).

Staff see their own municipality's programs and registered applications;
applicants their own organisations' applications.  Views, the API and the
transitions all ask these same questions.
"""

from __future__ import annotations

import rules

from meetings.permissions import is_system_user
from organizations.models import StaffRole
from organizations.permissions import (
    active_org_roles,
    is_org_user,
    staff_committee_ids,
    staff_municipality_ids,
)

CASEWORKER = StaffRole.Role.CASEWORKER
PROGRAM_ADMIN = StaffRole.Role.PROGRAM_ADMIN


def _program_of(obj):
    from .models import Application, DecisionLetter, LetterTemplate, Program, Round

    if isinstance(obj, Program):
        return obj
    if isinstance(obj, Round):
        return obj.program
    if isinstance(obj, Application):
        return obj.round.program
    if isinstance(obj, DecisionLetter):
        return obj.application.round.program
    if isinstance(obj, LetterTemplate):
        return obj.program
    return None


def _staff_for(user, program, roles=None) -> bool:
    if program is None:
        return False
    if program.municipality_id not in staff_municipality_ids(user, roles):
        return False
    committees = staff_committee_ids(user, roles)
    return committees is None or program.committee_id in committees


def applicant_municipality_ids(user) -> set[int]:
    """Municipalities where the user's organisations are active (memoised on the user)."""
    from organizations.models import OrganisationActivity

    cache = getattr(user, "_bidra_perm_cache", None)
    if cache is None:
        cache = {}
        user._bidra_perm_cache = cache
    if "grant_municipalities" not in cache:
        org_ids = list(active_org_roles(user))
        cache["grant_municipalities"] = set(
            OrganisationActivity.objects.filter(organisation_id__in=org_ids).values_list(
                "municipality_id", flat=True
            )
        )
    return cache["grant_municipalities"]


@rules.predicate
def program_staff(user, obj) -> bool:
    return _staff_for(user, _program_of(obj))


@rules.predicate
def program_admin(user, obj) -> bool:
    return _staff_for(user, _program_of(obj), (PROGRAM_ADMIN,))


@rules.predicate
def program_caseworker(user, obj) -> bool:
    return _staff_for(user, _program_of(obj), (CASEWORKER,))


@rules.predicate
def program_for_applicant(user, obj) -> bool:
    program = _program_of(obj)
    return program is not None and program.municipality_id in applicant_municipality_ids(user)


@rules.predicate
def application_org_user(user, application) -> bool:
    return application is not None and is_org_user(user, application.organisation)


@rules.predicate
def application_registered(user, application) -> bool:
    return application is not None and bool(application.case_number)


@rules.predicate
def grant_application(user, application) -> bool:
    """An application for a grant: an organisation's own application for an award is handled as
    its award candidate (screened, scored and decided there), never with a grant's steps."""
    program = _program_of(application)
    return program is not None and program.kind != "award"


@rules.predicate
def is_caseworker(user) -> bool:
    return bool(staff_municipality_ids(user, (CASEWORKER,)))


@rules.predicate
def is_program_admin(user) -> bool:
    return bool(staff_municipality_ids(user, (PROGRAM_ADMIN,)))


@rules.predicate
def committee_decides(user, application) -> bool:
    """The committee's secretary (who records its decisions), a holder of a grant delegation for
    the committee (a delegated decision), or the system: the meeting engine has checked the rest."""
    if application is None:
        return False
    if getattr(user, "is_system", False):
        return True
    from django.db.models import Q
    from django.utils import timezone

    from organizations.models import Delegation

    program = _program_of(application)
    if _staff_for(user, program, (StaffRole.Role.SECRETARY,)):
        return True
    today = timezone.localdate()
    return (
        Delegation.objects.filter(
            user=user,
            committee_id=program.committee_id,
            matter=Delegation.Matter.GRANT,
            valid_from__lte=today,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )


@rules.predicate
def of_visible_application(user, obj) -> bool:
    """A letter is visible to whoever may see its application."""
    return obj is not None and user.has_perm("grants.view_application", obj.application)


rules.add_perm("grants.view_program", program_staff | program_for_applicant)
rules.add_perm("grants.manage_program", program_admin)
rules.add_perm("grants.create_program", is_program_admin)
rules.add_perm("grants.view_round_applications", program_staff)
rules.add_perm("grants.apply", is_org_user)
rules.add_perm("grants.view_application", application_org_user | (program_staff & application_registered))
rules.add_perm("grants.act_for_application", application_org_user)
rules.add_perm("grants.handle_application", program_caseworker & application_registered & grant_application)
rules.add_perm("grants.use_inbox", is_caseworker)
# förvaltningslagen 12 §: the organisation asks that its grant application be decided
rules.add_perm("grants.request_decision", application_org_user & application_registered & grant_application)
rules.add_perm("grants.decide_application", grant_application & committee_decides)
rules.add_perm("grants.view_letter", of_visible_application)
rules.add_perm("grants.manage_letter_templates", program_admin)
# the payments of a granted application (``payments`` asks through the grants payment adapter)
rules.add_perm("grants.pay_application", program_caseworker | program_admin | is_system_user)
