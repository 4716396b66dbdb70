"""Changes to the organisation register.  Views and the API call these."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from workflows.services import outbox_enqueue, perform_transition, require

from . import uploads, validators
from .models import (
    AccountChange,
    AccountVerification,
    Committee,
    Delegation,
    Municipality,
    Organisation,
    OrganisationActivity,
    OrganisationDocument,
    OrganisationRole,
    StaffRole,
    User,
)
from .permissions import forget_permissions
from .scanning import scan_upload

logger = logging.getLogger(__name__)

VERIFY_SALT = "bidra.email-verification"


class DuplicateOrganisation(ValidationError):
    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        super().__init__(
            _(
                "%(name)s (%(number)s) is already registered in Bidra. "
                "Ask to join it instead; its authorised signatory approves the request."
            )
            % {"name": organisation.name, "number": organisation.org_number_display},
            code="duplicate",
        )


def user_signup(*, email: str, full_name: str, password: str) -> User:
    """Create an applicant account and send the e-mail verification link after commit."""
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        email_verification_send(user=user)
    return user


def email_verification_token(user: User) -> str:
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"u": user.pk, "e": user.email})


def email_verification_send(*, user: User) -> None:
    token = email_verification_token(user)
    link = settings.SITE_URL + reverse("organizations:verify_email", kwargs={"token": token})
    outbox_enqueue(
        key=f"verify-email:{user.pk}:{hashlib.sha256(token.encode()).hexdigest()[:16]}",
        to=user.email,
        subject=_("Confirm your e-mail address for Bidra"),
        template="organizations/email/verify_email.txt",
        context={"user": user, "link": link, "days": settings.EMAIL_VERIFICATION_MAX_AGE // 86400},
    )


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def email_verify(*, token: str) -> User:
    """Mark the address verified.  Raises LinkExpired or LinkInvalid."""
    signer = signing.TimestampSigner(salt=VERIFY_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise LinkInvalid
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def organisation_register(*, by: User, data: dict, municipalities: dict) -> Organisation:
    """Register an organisation; the registering user becomes its authorised signatory.

    ``municipalities`` maps Municipality -> members living there.
    """
    if by.email_verified_at is None:
        raise PermissionDenied(_("Confirm your e-mail address before you register an organisation."))
    org_number = validators.org_number_compact(data["org_number"])
    existing = Organisation.objects.filter(org_number=org_number).first()
    if existing is not None:
        raise DuplicateOrganisation(existing)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(**{**data, "org_number": org_number})
            OrganisationActivity.objects.bulk_create(
                OrganisationActivity(organisation=organisation, municipality=m, resident_members=n)
                for m, n in municipalities.items()
            )
            role = OrganisationRole.objects.create(
                user=by, organisation=organisation, kind=OrganisationRole.Kind.SIGNATORY
            )
            perform_transition(role, "grant_on_registration", by=by, reason=_("Registered the organisation"))
    except IntegrityError as exc:  # registered by someone else a moment ago
        existing = Organisation.objects.filter(org_number=org_number).first()
        if existing is None:
            raise
        raise DuplicateOrganisation(existing) from exc
    forget_permissions(by)
    return organisation


def organisation_update(
    *, organisation: Organisation, by: User, data: dict, municipalities: dict | None = None
) -> Organisation:
    """Those who act for the organisation change its register data and where it is active.

    Staff of a municipality do not: an organisation active in several municipalities belongs to
    none of them (their own record of it is ``activity_update``).  When the municipalities change
    while a new payment account waits for verification, that change is withdrawn: the
    municipalities asked to verify it are no longer the ones that pay."""
    require(by, "organizations.change_organisation", organisation)
    protected = {"org_number", "account_type", "account_number"}
    with transaction.atomic():
        for name, value in data.items():
            if name in protected:
                raise PermissionDenied(_("This cannot be changed here."))
            setattr(organisation, name, value)
        organisation.save()
        if municipalities is not None:
            before = set(organisation.activities.values_list("municipality_id", flat=True))
            organisation.activities.exclude(municipality__in=list(municipalities)).delete()
            for municipality, resident in municipalities.items():
                OrganisationActivity.objects.update_or_create(
                    organisation=organisation,
                    municipality=municipality,
                    defaults={"resident_members": resident},
                )
            organisation._municipality_ids = None
            if before != {m.pk for m in municipalities}:
                for change in AccountChange.objects.select_for_update().filter(
                    organisation=organisation, state=AccountChange.State.PENDING
                ):
                    perform_transition(
                        change,
                        "withdraw",
                        by=by,
                        reason=_(
                            "The municipalities where the organisation is active changed: "
                            "ask for the new account again."
                        ),
                        save_fields=["decided_at"],
                    )
                    _tell_about_account_change(change, by=by)
    return organisation


def activity_update(
    *, activity: OrganisationActivity, by: User, resident_members: int, note: str
) -> OrganisationActivity:
    """A municipality's staff keep their own record of an organisation active there: how many of
    its members live in the municipality and the municipality's note.  Only their municipality's
    record, never another's; the change is written to the change log."""
    require(by, "organizations.change_activity", activity)
    with transaction.atomic():
        activity = OrganisationActivity.objects.select_for_update().get(pk=activity.pk)
        changed = []
        if activity.resident_members != resident_members:
            changed.append(f"resident_members: {activity.resident_members} → {resident_members}")
        if activity.note != note:
            changed.append("note")
        activity.resident_members = resident_members
        activity.note = note
        activity.save(update_fields=["resident_members", "note"])
        if changed:
            _log_admin_change(by=by, obj=activity, added=False, message="; ".join(changed))
    return activity


# ---- the payment account: the signatory asks, every municipality that pays verifies ----


def _account_digits(account_type: str, account_number: str) -> str:
    if account_type == Organisation.AccountType.BANKGIRO:
        return validators.bankgiro_compact(account_number)
    if account_type == Organisation.AccountType.PLUSGIRO:
        return validators.plusgiro_compact(account_number)
    raise ValidationError(_("Choose bankgiro or plusgiro."), code="account_type")


def _tell_about_account_change(change: AccountChange, *, by: User, reason: str = "") -> None:
    """Every user of the organisation is told by e-mail after commit, once per state of the change."""
    subjects = {
        AccountChange.State.PENDING: _("A new payment account of %(name)s waits for verification"),
        AccountChange.State.IN_EFFECT: _("The new payment account of %(name)s is in effect"),
        AccountChange.State.REJECTED: _("The new payment account of %(name)s was not verified"),
        AccountChange.State.WITHDRAWN: _("The change of payment account of %(name)s was withdrawn"),
    }
    organisation = change.organisation
    link = settings.SITE_URL + reverse("organizations:account_change", kwargs={"pk": change.pk})
    for role in organisation.roles.filter(state=OrganisationRole.State.ACTIVE).select_related("user"):
        outbox_enqueue(
            key=f"account-change:{change.pk}:{change.state}:{role.user_id}",
            to=role.user.email,
            subject=subjects[change.state] % {"name": organisation.name},
            template="organizations/email/account_change.txt",
            context={
                "change": change,
                "organisation": organisation,
                "by": by,
                "reason": reason,
                "link": link,
            },
        )


def account_change_request(
    *, organisation: Organisation, by: User, account_type: str, account_number: str
) -> AccountChange:
    """The organisation's signatory asks for a new payment account.

    It takes effect only when a caseworker of every municipality where the organisation is active
    now has verified it; until then every payment is planned to the account in effect.  A change
    still waiting is replaced by this one.  The organisation's users are told after commit."""
    require(by, "organizations.request_account_change", organisation)
    digits = _account_digits(account_type, account_number)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if (organisation.account_type, organisation.account_number) == (account_type, digits):
            raise ValidationError(
                {"account_number": _("This is already the organisation's payment account.")}
            )
        municipality_ids = sorted(organisation.activities.values_list("municipality_id", flat=True))
        if not municipality_ids:
            raise ValidationError(
                _(
                    "Register first where the organisation is active: "
                    "each of those municipalities verifies the new account."
                ),
                code="no_municipality",
            )
        for waiting in AccountChange.objects.select_for_update().filter(
            organisation=organisation, state__in=[AccountChange.State.NEW, AccountChange.State.PENDING]
        ):
            if (waiting.account_type, waiting.account_number) == (account_type, digits):
                raise ValidationError({"account_number": _("This account already waits for verification.")})
            perform_transition(
                waiting, "withdraw", by=by, reason=_("Replaced by a new account"), save_fields=["decided_at"]
            )
        change = AccountChange.objects.create(
            organisation=organisation,
            account_type=account_type,
            account_number=digits,
            previous_account_type=organisation.account_type,
            previous_account_number=organisation.account_number,
            requested_by=by,
        )
        AccountVerification.objects.bulk_create(
            AccountVerification(change=change, municipality_id=m) for m in municipality_ids
        )
        perform_transition(change, "submit", by=by, reason=_("New payment account asked for"))
        _tell_about_account_change(change, by=by)
    return change


def account_verification_verify(*, verification: AccountVerification, by: User) -> AccountVerification:
    """A caseworker of the verification's municipality has checked the new account with the
    organisation and verifies it.  The last municipality's verification puts it into effect: from
    then on payments are planned to it (payments already planned keep their account)."""
    with transaction.atomic():
        change = (
            AccountChange.objects.select_for_update()
            .select_related("organisation")
            .get(pk=verification.change_id)
        )
        verification = AccountVerification.objects.select_for_update().get(pk=verification.pk)
        verification.change = change
        verification.verified_by = by
        perform_transition(
            verification,
            "verify",
            by=by,
            reason=_("Account checked with the organisation"),
            save_fields=["verified_by", "verified_at"],
        )
        if not change.verifications.exclude(state=AccountVerification.State.VERIFIED).exists():
            perform_transition(
                change,
                "take_effect",
                by=by,
                reason=_("Verified by every municipality where the organisation is active"),
                save_fields=["decided_at"],
            )
            organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
            organisation.account_type = change.account_type
            organisation.account_number = change.account_number
            organisation.account_changed_at = change.decided_at
            organisation.save(
                update_fields=["account_type", "account_number", "account_changed_at", "updated_at"]
            )
            change.organisation = organisation
            _tell_about_account_change(change, by=by)
    return verification


def account_change_reject(*, change: AccountChange, by: User, reason: str) -> AccountChange:
    """A verifying municipality's caseworker does not accept the new account; the organisation is
    told why, and the account in effect stays."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the account is rejected: the organisation is told.")})
    with transaction.atomic():
        change = AccountChange.objects.select_for_update().select_related("organisation").get(pk=change.pk)
        perform_transition(change, "reject", by=by, reason=reason, save_fields=["decided_at"])
        _tell_about_account_change(change, by=by, reason=reason)
    return change


def account_change_withdraw(*, change: AccountChange, by: User, reason: str = "") -> AccountChange:
    """Those who act for the organisation take back a change that still waits for verification."""
    with transaction.atomic():
        change = AccountChange.objects.select_for_update().select_related("organisation").get(pk=change.pk)
        perform_transition(
            change, "withdraw", by=by, reason=reason or _("Withdrawn"), save_fields=["decided_at"]
        )
        _tell_about_account_change(change, by=by)
    return change


def document_check_upload(upload) -> str:
    """Check an uploaded file by its size and content; return its content type.

    Every upload goes through here: organisation documents, application attachments (pages and
    API), report files, compact evaluations.  What is accepted and how it is told is described
    in ``organizations/uploads.py``; nothing is unpacked to tell it.
    """
    if upload.size > settings.UPLOAD_MAX_BYTES:
        logger.warning("Upload refused: %s bytes, over the limit", upload.size)
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {
                "size": number_format(round(upload.size / 1048576, 1), 1),
                "limit": settings.UPLOAD_MAX_BYTES // 1048576,
            },
            code="too_large",
        )
    mime = uploads.identify(upload)
    scan_upload(upload)  # virus scanner (organizations/scanning.py), when one is configured
    return mime


def document_upload(
    *, organisation: Organisation, by: User, doc_type: str, year: int, upload
) -> OrganisationDocument:
    require(by, "organizations.manage_documents", organisation)
    mime = document_check_upload(upload)
    sha256 = uploads.checksum(upload)
    with transaction.atomic():
        document = OrganisationDocument(
            organisation=organisation,
            doc_type=doc_type,
            year=year,
            original_name=(upload.name or "dokument")[-200:],
            content_type=mime,
            size=upload.size,
            sha256=sha256,
            uploaded_by=by,
        )
        document.file.save("upload", upload, save=False)
        document.save()
    return document


def role_request(*, organisation: Organisation, by: User, message: str = "") -> OrganisationRole:
    """Ask to act for an organisation; its signatories are told after commit."""
    if by.email_verified_at is None:
        raise PermissionDenied(_("Confirm your e-mail address first."))
    open_role = organisation.roles.filter(
        user=by, state__in=[OrganisationRole.State.REQUESTED, OrganisationRole.State.ACTIVE]
    ).first()
    if open_role is not None:
        raise ValidationError(
            _("You already have access to this organisation.")
            if open_role.state == OrganisationRole.State.ACTIVE
            else _("You have already asked to join this organisation; the signatory has not answered yet."),
            code="exists",
        )
    with transaction.atomic():
        role = OrganisationRole.objects.create(user=by, organisation=organisation, message=message)
        for signatory in organisation.roles.filter(
            state=OrganisationRole.State.ACTIVE, kind=OrganisationRole.Kind.SIGNATORY
        ).select_related("user"):
            outbox_enqueue(
                key=f"role-requested:{role.pk}:{signatory.user_id}",
                to=signatory.user.email,
                subject=_("%(name)s asks to join %(org)s in Bidra")
                % {"name": by.full_name, "org": organisation.name},
                template="organizations/email/role_requested.txt",
                context={
                    "role": role,
                    "link": settings.SITE_URL
                    + reverse("organizations:members", kwargs={"pk": organisation.pk}),
                },
            )
    return role


def role_decide(*, role: OrganisationRole, by: User, approve: bool, reason: str = "") -> OrganisationRole:
    with transaction.atomic():
        role = OrganisationRole.objects.select_for_update().get(pk=role.pk)
        perform_transition(role, "approve" if approve else "reject", by=by, reason=reason)
        outbox_enqueue(
            key=f"role-decided:{role.pk}:{role.state}",
            to=role.user.email,
            subject=(
                _("You can now act for %(org)s in Bidra")
                if approve
                else _("Your request to join %(org)s was not approved")
            )
            % {"org": role.organisation.name},
            template="organizations/email/role_decided.txt",
            context={"role": role, "approved": approve, "reason": reason},
        )
    return role


def role_revoke(*, role: OrganisationRole, by: User, reason: str = "") -> OrganisationRole:
    with transaction.atomic():
        role = OrganisationRole.objects.select_for_update().get(pk=role.pk)
        perform_transition(role, "revoke", by=by, reason=reason)
    return role


def signatory_by_support(
    *, organisation: Organisation, user: User, by: User, reason: str
) -> OrganisationRole:
    """Support staff make a person the organisation's signatory when it has lost its own (nobody
    left who may manage its users).  Only after the checks of SECURITY.md; the transition log keeps
    who did it and on what grounds, and the organisation's users are told after commit."""
    require(by, "organizations.support_organisation_roles")
    if not reason.strip():
        raise ValidationError(_("Give the grounds: the case and the document that shows who signs."))
    if not user.is_active or user.email_verified_at is None:
        raise ValidationError(
            _("%(email)s has no confirmed account: the person signs up and confirms the address first.")
            % {"email": user.email}
        )
    with transaction.atomic():
        role = (
            OrganisationRole.objects.select_for_update()
            .filter(
                organisation=organisation,
                user=user,
                state__in=[OrganisationRole.State.REQUESTED, OrganisationRole.State.ACTIVE],
            )
            .first()
        )
        if role is None:
            role = OrganisationRole.objects.create(user=user, organisation=organisation)
        elif role.state == OrganisationRole.State.ACTIVE and role.kind == OrganisationRole.Kind.SIGNATORY:
            raise ValidationError(
                _("%(email)s is already a signatory of %(name)s.")
                % {"email": user.email, "name": organisation.name}
            )
        perform_transition(role, "support_make_signatory", by=by, reason=reason, save_fields=["kind"])
        for other in organisation.roles.filter(state=OrganisationRole.State.ACTIVE).select_related("user"):
            outbox_enqueue(
                key=f"signatory-by-support:{role.pk}:{other.user_id}:{timezone.now().isoformat()}",
                to=other.user.email,
                subject=_("%(user)s is now a signatory of %(name)s in Bidra")
                % {"user": user.full_name or user.email, "name": organisation.name},
                template="organizations/email/signatory_by_support.txt",
                context={"role": role, "organisation": organisation, "reason": reason},
            )
    forget_permissions(user)
    return role


# ---- the municipality's set-up: committees, staff and their roles, delegations ----


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
        perform_transition(staff_role, "grant", by=by, reason=reason or _("Role granted"))
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
