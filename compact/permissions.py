"""Who may do what with the compact: rules predicates used by its pages, API, services and transitions.

The compact, its principles and signatories are public.  Its caseworkers and program
administrators write it and keep its action plan, conferences and evaluation; the decisions
(adoption, renewal) are recorded by a caseworker or the committee secretary, and the renewal
at the end of a term by the system.  An organisation joins or leaves through its authorised
signatory, or a caseworker of its municipality on its behalf.
"""

from __future__ import annotations

import rules

from organizations.models import StaffRole
from organizations.permissions import is_signatory, staff_for_organisation, staff_roles

CASEWORKER = StaffRole.Role.CASEWORKER
SECRETARY = StaffRole.Role.SECRETARY
PROGRAM_ADMIN = StaffRole.Role.PROGRAM_ADMIN


def compact_staff(*roles: str):
    @rules.predicate(name=f"compact_staff({','.join(roles) or 'any'})")
    def predicate(user, compact) -> bool:
        return compact is not None and any(
            m == compact.municipality_id and (not roles or r in roles) for m, _c, r in staff_roles(user)
        )

    return predicate


@rules.predicate
def is_system(user) -> bool:
    return bool(getattr(user, "is_system", False))


@rules.predicate
def always(user, obj=None) -> bool:
    return True


rules.add_perm("compact.view_compact", always)  # the compact, its principles and signatories are public
rules.add_perm("compact.manage_compact", compact_staff(CASEWORKER, PROGRAM_ADMIN))
rules.add_perm("compact.decide_compact", compact_staff(CASEWORKER, SECRETARY) | is_system)
# Joining or leaving: the organisation's authorised signatory, or a caseworker of its municipality.
rules.add_perm("compact.sign_compact_for", is_signatory | staff_for_organisation(CASEWORKER))
