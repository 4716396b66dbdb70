"""Who may do what with the organisation register.

One permission layer for views, API and transitions: these are ``rules``
predicates registered as Django permissions, so every edge asks the same
question with ``user.has_perm("organizations.<perm>", obj)``.
"""

from __future__ import annotations

import functools

import rules
from django.db import connection

from .models import Organisation, OrganisationRole, StaffRole


def _cache(user) -> dict:
    cache = getattr(user, "_bidra_perm_cache", None)
    if cache is None:
        cache = {}
        user._bidra_perm_cache = cache
    return cache


def active_org_roles(user) -> dict[int, str]:
    """{organisation id: role kind} for the user's active roles (memoised on the user)."""
    if not user.is_authenticated:
        return {}
    cache = _cache(user)
    if "org_roles" not in cache:
        _read_roles(user, cache)
    return cache["org_roles"]


def staff_roles(user) -> list[tuple[int, int | None, str]]:
    """[(municipality id, committee id or None, role)] for the user (memoised on the user)."""
    if not user.is_authenticated:
        return []
    cache = _cache(user)
    if "staff_roles" not in cache:
        _read_roles(user, cache)
    return cache["staff_roles"]


@functools.cache
def _roles_sql() -> str:
    """Both kinds of role in one statement, built once from the models' tables and columns."""
    quote = connection.ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    staff, org = StaffRole._meta.db_table, OrganisationRole._meta.db_table
    return (
        f"SELECT 's', {column(StaffRole, 'municipality')}, {column(StaffRole, 'committee')}, "  # noqa: S608
        f"{column(StaffRole, 'role')} FROM {quote(staff)} WHERE {column(StaffRole, 'user')} = %s "
        f"AND {column(StaffRole, 'state')} = %s "
        f"UNION ALL SELECT 'o', {column(OrganisationRole, 'organisation')}, NULL, {column(OrganisationRole, 'kind')} "
        f"FROM {quote(org)} WHERE {column(OrganisationRole, 'user')} = %s AND {column(OrganisationRole, 'state')} = %s"
    )


def _read_roles(user, cache: dict) -> None:
    """Read the user's staff and organisation roles together.

    Every request of a signed-in user asks for both (the second factor asks whether the user
    is staff, every permission of an applicant asks for the organisation roles).  As two ORM
    querysets they cost 0.8 ms of CPU per request to build and read, as this one statement
    0.13 ms (measured on the 2-core benchmark machine)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _roles_sql(), [user.pk, StaffRole.State.ACTIVE, user.pk, OrganisationRole.State.ACTIVE]
        )
        rows = cursor.fetchall()
    admin = StaffRole.Role.MUNICIPALITY_ADMIN
    cache["staff_roles"] = [(a, b, kind) for source, a, b, kind in rows if source == "s" and kind != admin]
    cache["admin_municipalities"] = {a for source, a, _b, kind in rows if source == "s" and kind == admin}
    cache["org_roles"] = {a: kind for source, a, _b, kind in rows if source == "o"}


def admin_municipality_ids(user) -> set[int]:
    """Municipalities the user administers (committees, staff, delegations), memoised on the user.

    Kept apart from ``staff_roles``: administering a municipality's set-up gives no access to its
    cases, so every question about case work leaves the administrator out."""
    if not user.is_authenticated:
        return set()
    cache = _cache(user)
    if "admin_municipalities" not in cache:
        _read_roles(user, cache)
    return cache["admin_municipalities"]


def has_any_staff_role(user) -> bool:
    """Case work or administration: both are the municipality's staff (and need the second factor)."""
    return bool(staff_roles(user) or admin_municipality_ids(user))


def staff_municipality_ids(user, roles: tuple[str, ...] | None = None) -> set[int]:
    return {m for m, _c, r in staff_roles(user) if roles is None or r in roles}


def staff_committee_ids(user, roles: tuple[str, ...] | None = None) -> set[int] | None:
    """Committees the user serves; None means every committee of their municipalities."""
    matching = [(m, c) for m, c, r in staff_roles(user) if roles is None or r in roles]
    if any(c is None for _m, c in matching):
        return None
    return {c for _m, c in matching}


def forget_permissions(user) -> None:
    """Drop memoised roles, e.g. after a role was granted in the same request."""
    if hasattr(user, "_bidra_perm_cache"):
        del user._bidra_perm_cache


@rules.predicate
def is_staff(user) -> bool:
    return bool(staff_roles(user))


def has_staff_role(*roles: str):
    @rules.predicate(name=f"has_staff_role({','.join(roles)})")
    def predicate(user) -> bool:
        return any(r in roles for _m, _c, r in staff_roles(user))

    return predicate


def _org_municipality_ids(organisation: Organisation) -> set[int]:
    cached = getattr(organisation, "_municipality_ids", None)
    if cached is None:
        cached = set(organisation.activities.values_list("municipality_id", flat=True))
        organisation._municipality_ids = cached
    return cached


def staff_for_organisation(*roles: str):
    @rules.predicate(name=f"staff_for_organisation({','.join(roles) or 'any'})")
    def predicate(user, organisation) -> bool:
        if organisation is None:
            return False
        mine = staff_municipality_ids(user, roles or None)
        return bool(mine & _org_municipality_ids(organisation))

    return predicate


@rules.predicate
def is_org_user(user, organisation) -> bool:
    return organisation is not None and organisation.pk in active_org_roles(user)


@rules.predicate
def is_signatory(user, organisation) -> bool:
    return (
        organisation is not None
        and active_org_roles(user).get(organisation.pk) == OrganisationRole.Kind.SIGNATORY
    )


@rules.predicate
def is_applicant(user) -> bool:
    return bool(active_org_roles(user))


@rules.predicate
def role_signatory(user, role: OrganisationRole) -> bool:
    return role is not None and role.user_id != user.pk and is_signatory(user, role.organisation)


@rules.predicate
def role_is_own(user, role: OrganisationRole) -> bool:
    return role is not None and role.user_id == user.pk


CASEWORKER = StaffRole.Role.CASEWORKER
PROGRAM_ADMIN = StaffRole.Role.PROGRAM_ADMIN
#: who verifies a new payment account for a municipality: those who handle its payments
ACCOUNT_VERIFIERS = (CASEWORKER, PROGRAM_ADMIN)


@rules.predicate
def is_support_staff(user) -> bool:
    """Support staff (admin access): the operators who run the support procedures of SECURITY.md."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


# An organisation shared by several municipalities belongs to none of them: its register data,
# documents, users and payment account are the organisation's own, changed by those who act for
# it.  A municipality's staff read them, and change only what is their municipality's own: its
# activity record of the organisation (with its note), its cases and decisions.
rules.add_perm("organizations.view_organisation", is_org_user | staff_for_organisation())
rules.add_perm("organizations.change_organisation", is_org_user)
rules.add_perm("organizations.manage_documents", is_org_user)
rules.add_perm("organizations.request_account_change", is_signatory)
rules.add_perm("organizations.view_members", is_org_user | staff_for_organisation(CASEWORKER))
rules.add_perm("organizations.decide_role", role_signatory)
rules.add_perm("organizations.register_organisation", role_is_own)
rules.add_perm("organizations.support_organisation_roles", is_support_staff)
rules.add_perm("organizations.search_organisations", is_staff)


# ---- the municipality's own record of an organisation ----


@rules.predicate
def staff_of_activity(user, activity) -> bool:
    """Staff of the municipality the activity record belongs to (of that one, not another)."""
    return activity is not None and activity.municipality_id in staff_municipality_ids(user)


@rules.predicate
def caseworker_of_activity(user, activity) -> bool:
    return activity is not None and activity.municipality_id in staff_municipality_ids(user, (CASEWORKER,))


rules.add_perm("organizations.view_activity_note", staff_of_activity)
rules.add_perm("organizations.change_activity", caseworker_of_activity)


# ---- a change of the payment account: asked for by the signatory, verified by each municipality ----


def _change_of(obj):
    """The AccountChange of a change or of one of its verifications."""
    return getattr(obj, "change", obj) if obj is not None else None


def _verifying_municipality_ids(change) -> set[int]:
    cached = getattr(change, "_verifying_municipality_ids", None)
    if cached is None:
        cached = set(change.verifications.values_list("municipality_id", flat=True))
        change._verifying_municipality_ids = cached
    return cached


@rules.predicate
def acts_for_changed_organisation(user, obj) -> bool:
    change = _change_of(obj)
    return change is not None and change.organisation_id in active_org_roles(user)


@rules.predicate
def signatory_of_changed_organisation(user, obj) -> bool:
    change = _change_of(obj)
    return (
        change is not None
        and active_org_roles(user).get(change.organisation_id) == OrganisationRole.Kind.SIGNATORY
    )


@rules.predicate
def verifier_of_change(user, obj) -> bool:
    """Handles payments in one of the municipalities asked to verify the change."""
    change = _change_of(obj)
    return change is not None and bool(
        staff_municipality_ids(user, ACCOUNT_VERIFIERS) & _verifying_municipality_ids(change)
    )


@rules.predicate
def independent_of_change(user, obj) -> bool:
    """Four eyes: not the person who asked for the change, nor anyone who acts for the organisation."""
    change = _change_of(obj)
    return (
        change is not None
        and change.requested_by_id != user.pk
        and change.organisation_id not in active_org_roles(user)
    )


@rules.predicate
def verifier_of_municipality(user, verification) -> bool:
    """Handles payments in the very municipality this verification is for."""
    return verification is not None and verification.municipality_id in staff_municipality_ids(
        user, ACCOUNT_VERIFIERS
    )


rules.add_perm("organizations.view_account_change", acts_for_changed_organisation | verifier_of_change)
rules.add_perm("organizations.submit_account_change", signatory_of_changed_organisation)
rules.add_perm("organizations.withdraw_account_change", acts_for_changed_organisation)
rules.add_perm("organizations.decide_account_change", verifier_of_change & independent_of_change)
rules.add_perm("organizations.verify_account", verifier_of_municipality & independent_of_change)


@rules.predicate
def role_visible(user, role: OrganisationRole) -> bool:
    return role is not None and (
        role.user_id == user.pk or user.has_perm("organizations.view_members", role.organisation)
    )


rules.add_perm("organizations.view_role", role_visible)


# ---- the municipality's set-up: committees, staff roles and delegations ----


def _municipality_id_of(obj) -> int | None:
    from .models import Committee, Delegation, Municipality

    if isinstance(obj, Municipality):
        return obj.pk
    if isinstance(obj, Committee | StaffRole):
        return obj.municipality_id
    if isinstance(obj, Delegation):
        return obj.committee.municipality_id
    return None


@rules.predicate
def is_municipality_admin(user) -> bool:
    return bool(admin_municipality_ids(user))


@rules.predicate
def administers(user, obj) -> bool:
    """The user is an administrator of the municipality the committee, role or delegation belongs to."""
    municipality_id = _municipality_id_of(obj)
    return municipality_id is not None and municipality_id in admin_municipality_ids(user)


@rules.predicate
def staff_role_is_own(user, role) -> bool:
    return isinstance(role, StaffRole) and role.user_id == user.pk


@rules.predicate
def delegation_is_own(user, delegation) -> bool:
    return delegation is not None and getattr(delegation, "user_id", None) == user.pk


rules.add_perm("organizations.administer", is_municipality_admin)
rules.add_perm("organizations.manage_committees", administers)
rules.add_perm("organizations.manage_staff", administers)
rules.add_perm("organizations.manage_delegations", administers)
rules.add_perm("organizations.view_staff_role", administers | staff_role_is_own)
rules.add_perm("organizations.view_delegation", administers | delegation_is_own)
