"""Who may do what with partnerships: rules predicates used by pages, API and transitions.

Staff act for their own municipality (and committee, when their role is limited to one);
an organisation's users see and draft their own organisation's partnerships, and its
authorised signatories sign for it.
"""

from __future__ import annotations

import rules

from organizations.models import StaffRole
from organizations.permissions import active_org_roles, is_signatory, staff_for_organisation, staff_roles

CASEWORKER = StaffRole.Role.CASEWORKER
SECRETARY = StaffRole.Role.SECRETARY


def serves_committee(user, committee, roles: tuple[str, ...] | None = None) -> bool:
    """The user holds one of ``roles`` for ``committee`` (or for its whole municipality)."""
    if committee is None:
        return False
    return any(
        m == committee.municipality_id and (c is None or c == committee.pk) and (roles is None or r in roles)
        for m, c, r in staff_roles(user)
    )


def _partnership(obj):
    """The partnership behind a partnership or one of its parts (version …)."""
    return getattr(obj, "partnership", obj)


def partnership_staff(*roles: str):
    @rules.predicate(name=f"partnership_staff({','.join(roles) or 'any'})")
    def predicate(user, obj) -> bool:
        partnership = _partnership(obj)
        return partnership is not None and serves_committee(user, partnership.committee, roles or None)

    return predicate


@rules.predicate
def partnership_org_user(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and partnership.organisation_id in active_org_roles(user)


@rules.predicate
def partnership_org_signatory(user, obj) -> bool:
    partnership = _partnership(obj)
    return partnership is not None and is_signatory(user, partnership.organisation)


@rules.predicate
def is_system(user) -> bool:
    return bool(getattr(user, "is_system", False))


@rules.predicate
def may_register_initiative(user) -> bool:
    """Applicants (for their organisations) and caseworkers (for any organisation of their municipality)."""
    return bool(active_org_roles(user)) or any(r == CASEWORKER for _m, _c, r in staff_roles(user))


@rules.predicate
def initiative_for_organisation(user, organisation) -> bool:
    return organisation is not None and (
        organisation.pk in active_org_roles(user) or staff_for_organisation(CASEWORKER)(user, organisation)
    )


@rules.predicate
def may_see_overview(user) -> bool:
    return bool(staff_roles(user))


rules.add_perm("iop.view_partnership", partnership_org_user | partnership_staff())
rules.add_perm("iop.create_partnership", may_register_initiative)
rules.add_perm("iop.create_partnership_for", initiative_for_organisation)
# The caseworker drives the case; the organisation drafts its part of the initiative and the agreement.
rules.add_perm("iop.manage_partnership", partnership_staff(CASEWORKER))
rules.add_perm("iop.edit_initiative", partnership_staff(CASEWORKER) | partnership_org_user)
rules.add_perm("iop.draft_agreement", partnership_staff(CASEWORKER) | partnership_org_user)
rules.add_perm("iop.decide_partnership", partnership_staff(CASEWORKER, SECRETARY))
rules.add_perm("iop.sign_for_municipality", partnership_staff(CASEWORKER))
rules.add_perm("iop.sign_for_organisation", partnership_org_signatory)
rules.add_perm("iop.sign_partnership", partnership_staff(CASEWORKER) | partnership_org_signatory)
rules.add_perm("iop.run_partnership", partnership_staff(CASEWORKER) | is_system)
rules.add_perm("iop.record_follow_up", partnership_staff(CASEWORKER) | partnership_org_user)
rules.add_perm("iop.pay_partnership", partnership_staff(CASEWORKER))
rules.add_perm("iop.view_overview", may_see_overview)
