"""Who may do what on the one-way-in pages: rules predicates used by views, services and transitions.

The catalogue, the directory and published board posts are public.  A program
administrator keeps the guiding contacts and the programs' guide data; a
caseworker or program administrator moderates the board; an organisation's
users post and close for it; an authorised signatory decides its listing.
"""

from __future__ import annotations

import rules

from organizations.models import StaffRole
from organizations.permissions import active_org_roles, is_signatory, is_support_staff, staff_roles

CASEWORKER = StaffRole.Role.CASEWORKER
PROGRAM_ADMIN = StaffRole.Role.PROGRAM_ADMIN
MODERATORS = (CASEWORKER, PROGRAM_ADMIN)


def _municipality_id(obj) -> int | None:
    if obj is None:
        return None
    return getattr(obj, "municipality_id", None) or getattr(obj, "pk", None)


def staff_of(*roles: str):
    """The user holds one of ``roles`` (any role when none) in the municipality of ``obj``."""

    @rules.predicate(name=f"portal_staff_of({','.join(roles) or 'any'})")
    def predicate(user, obj) -> bool:
        m = _municipality_id(obj)
        return m is not None and any(mm == m and (not roles or r in roles) for mm, _c, r in staff_roles(user))

    return predicate


@rules.predicate
def is_post_author(user, post) -> bool:
    return post is not None and user.is_authenticated and post.author_id == user.pk


@rules.predicate
def acts_for_post_organisation(user, post) -> bool:
    return (
        post is not None
        and post.organisation_id is not None
        and post.organisation_id in active_org_roles(user)
    )


@rules.predicate
def post_is_public(user, post) -> bool:
    return post is not None and post.is_public


@rules.predicate
def is_authenticated(user, obj=None) -> bool:
    return bool(user.is_authenticated)


@rules.predicate
def is_system(user, obj=None) -> bool:
    return bool(getattr(user, "is_system", False))


@rules.predicate
def may_post_for_some_organisation(user, municipality) -> bool:
    from .selectors import organisations_for_board

    return (
        municipality is not None
        and bool(active_org_roles(user))
        and organisations_for_board(user=user, municipality=municipality).exists()
    )


moderates = staff_of(*MODERATORS)
poster = is_post_author | acts_for_post_organisation

rules.add_perm("portal.manage_guidance", staff_of(PROGRAM_ADMIN))
rules.add_perm("portal.moderate_board", moderates)
rules.add_perm("portal.moderate_post", moderates)
rules.add_perm("portal.close_post", poster | moderates)
rules.add_perm("portal.refer_post", staff_of(CASEWORKER))
rules.add_perm("portal.point_post", moderates)
rules.add_perm("portal.expire_post", is_system)
rules.add_perm("portal.view_post", post_is_public | poster | staff_of())
rules.add_perm("portal.view_responses", poster | staff_of())
rules.add_perm("portal.respond_to_post", is_authenticated & post_is_public & ~poster)
rules.add_perm("portal.post_on_board", staff_of(*MODERATORS) | may_post_for_some_organisation)
rules.add_perm("portal.edit_listing", is_signatory)

#: the same predicate as a function, for the model's admin and demo
may_close_post = poster | moderates

#: support staff (admin access) answer reports of accessibility barriers, as they run the other
#: support procedures of SECURITY.md
rules.add_perm("portal.handle_barrier_reports", is_support_staff)
