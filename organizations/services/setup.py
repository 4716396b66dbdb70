"""The municipality's set-up: committees, staff and their roles, delegations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.services import outbox_enqueue, perform_transition, require

from ..models import (
    Committee,
    Delegation,
    Municipality,
    StaffRole,
    User,
)
from ..permissions import forget_permissions


def _log_admin_change(*, by: User, obj, added: bool, message: str) -> None:
    """Committees have no states: their changes go to Django's change log (who, what, when)."""
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[obj],
        action_flag=ADDITION if added else CHANGE,
        change_message=message,
        single_object=True,
    )


def committee_save(*, committee: Committee, by: User) -> Committee:
    """Create or change a committee of a municipality the user administers."""
    require(by, "organizations.manage_committees", committee.municipality)
    committee.code = committee.code.strip().upper()
    clash = Committee.objects.filter(municipality_id=committee.municipality_id, code=committee.code)
    if committee.pk:
        clash = clash.exclude(pk=committee.pk)
    if clash.exists():
        raise ValidationError(
            {
                "code": _("Another committee of the municipality already uses the code %(code)s.")
                % {"code": committee.code}
            }
        )
    added = committee.pk is None
    with transaction.atomic():
        committee.save()
        _log_admin_change(by=by, obj=committee, added=added, message=f"{committee.name} ({committee.code})")
    return committee


def _staff_user(*, email: str, full_name: str) -> tuple[User, bool]:
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    # No password: the invitation's link lets the person choose one, and following it proves the
    # address, so it counts as confirmed (they can sign in only after following it).
    user = User.objects.create_user(
        email=email, password=None, full_name=full_name, email_verified_at=timezone.now()
    )
    return user, True


def staff_role_grant(
    *,
    municipality: Municipality,
    email: str,
    full_name: str,
    role: str,
    committee: Committee | None,
    by: User,
    reason: str = "",
) -> StaffRole:
    """Give a person a role in the municipality; someone without an account is invited to make one.

    The grant is a transition of the role, so its log says who gave it; the person is told by
    e-mail after commit (a new person gets a link to choose a password)."""
    require(by, "organizations.manage_staff", municipality)
    return _grant(
        municipality=municipality,
        email=email,
        full_name=full_name,
        role=role,
        committee=committee,
        by=by,
        reason=reason,
    )


def first_municipality_admin(
    *, municipality: Municipality, email: str, full_name: str, by: User, reason: str
) -> StaffRole:
    """Support staff give a municipality that has no administrator its first one (SECURITY.md).

    From then on the municipality's administrators grant every role on their own pages, so this
    is refused once the municipality has an active administrator.  The grant is logged with the
    grounds, and the person is invited by e-mail like anyone given a role."""
    require(by, "organizations.support_organisation_roles")
    if not reason.strip():
        raise ValidationError(_("Give the grounds: the decision or order that names the administrator."))
    if StaffRole.objects.filter(
        municipality=municipality, role=StaffRole.Role.MUNICIPALITY_ADMIN, state=StaffRole.State.ACTIVE
    ).exists():
        raise ValidationError(
            _("%(name)s already has an administrator, who gives roles on the municipality's pages.")
            % {"name": municipality.name}
        )
    return _grant(
        municipality=municipality,
        email=email,
        full_name=full_name,
        role=StaffRole.Role.MUNICIPALITY_ADMIN,
        committee=None,
        by=by,
        reason=reason,
        transition="support_grant",
    )


def _grant(
    *,
    municipality: Municipality,
    email: str,
    full_name: str,
    role: str,
    committee: Committee | None,
    by: User,
    reason: str,
    transition: str = "grant",
) -> StaffRole:
    if role not in StaffRole.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if committee is not None and committee.municipality_id != municipality.pk:
        raise ValidationError(
            {"committee": _("Choose a committee of %(name)s.") % {"name": municipality.name}}
        )
    if role == StaffRole.Role.MUNICIPALITY_ADMIN:
        committee = None
    with transaction.atomic():
        user, created = _staff_user(email=email, full_name=full_name)
        staff_role, _new = StaffRole.objects.select_for_update().get_or_create(
            user=user,
            municipality=municipality,
            committee=committee,
            role=role,
            defaults={"state": StaffRole.State.PENDING},
        )
        if staff_role.state == StaffRole.State.ACTIVE:
            raise ValidationError(
                _("%(name)s already has this role.") % {"name": user.full_name or user.email}, code="exists"
            )
        perform_transition(staff_role, transition, by=by, reason=reason or _("Role granted"))
        link = settings.SITE_URL + reverse("login")
        if created:
            from django.contrib.auth.tokens import default_token_generator
            from django.utils.encoding import force_bytes
            from django.utils.http import urlsafe_base64_encode

            link = settings.SITE_URL + reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        outbox_enqueue(
            key=f"staff-role-granted:{staff_role.pk}:{timezone.now().isoformat()}",
            to=user.email,
            subject=_("You have a new role in Bidra for %(municipality)s")
            % {"municipality": municipality.name},
            template="organizations/email/staff_role_granted.txt",
            context={
                "role": staff_role,
                "invited": created,
                "link": link,
                "by": by,
                "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            },
        )
    forget_permissions(user)
    return staff_role


def staff_role_revoke(*, role: StaffRole, by: User, reason: str = "") -> StaffRole:
    """Take a role away; the row stays, revoked, so the log keeps who had it and who removed it."""
    with transaction.atomic():
        role = StaffRole.objects.select_for_update().get(pk=role.pk)
        perform_transition(role, "revoke", by=by, reason=reason or _("Role revoked"))
    forget_permissions(role.user)
    return role


def delegation_create(
    *,
    committee: Committee,
    user: User,
    matter: str,
    max_amount,
    valid_from,
    valid_until=None,
    by: User,
    reason: str = "",
) -> Delegation:
    """Delegate to an official the right to decide a kind of matter for a committee, up to an amount."""
    require(by, "organizations.manage_delegations", committee)
    errors = {}
    if (
        not StaffRole.objects.filter(
            user=user, municipality_id=committee.municipality_id, state=StaffRole.State.ACTIVE
        )
        .exclude(role=StaffRole.Role.MUNICIPALITY_ADMIN)
        .exists()
    ):
        errors["user"] = _("Only an official with a role in the municipality can decide on delegation.")
    if max_amount is None or max_amount <= 0:
        errors["max_amount"] = _("Give an amount above 0 kr.")
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("The last day cannot be before the first.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        delegation = Delegation.objects.create(
            committee=committee,
            user=user,
            matter=matter,
            max_amount=max_amount,
            valid_from=valid_from,
            valid_until=valid_until,
            state=Delegation.State.PENDING,
        )
        perform_transition(delegation, "delegate", by=by, reason=reason or _("Delegated"))
    return delegation


def delegation_end(*, delegation: Delegation, by: User, reason: str = "") -> Delegation:
    """End a delegation now: yesterday becomes its last valid day, so no decision can rest on it today."""
    from datetime import timedelta

    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        last_day = timezone.localdate() - timedelta(days=1)
        perform_transition(
            delegation,
            "end",
            by=by,
            reason=reason or _("Delegation ended"),
            save_fields=["valid_until"],
            last_day=last_day,
        )
    return delegation
