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

from accounts.scanning import scan_upload
from workflows.services import outbox_enqueue, perform_transition, require

from . import uploads, validators
from .models import (
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
    require(by, "organizations.change_organisation", organisation)
    protected = {"org_number", "account_type", "account_number"}
    with transaction.atomic():
        for name, value in data.items():
            if name in protected:
                raise PermissionDenied(_("Only staff can change this."))
            setattr(organisation, name, value)
        organisation.save()
        if municipalities is not None:
            organisation.activities.exclude(municipality__in=list(municipalities)).delete()
            for municipality, resident in municipalities.items():
                OrganisationActivity.objects.update_or_create(
                    organisation=organisation,
                    municipality=municipality,
                    defaults={"resident_members": resident},
                )
            organisation._municipality_ids = None
    return organisation


def organisation_set_bank_account(
    *, organisation: Organisation, by: User, account_type: str, account_number: str
) -> Organisation:
    """Only staff change where money goes; the organisation's users are told after commit."""
    require(by, "organizations.change_bank_account", organisation)
    if account_type == Organisation.AccountType.BANKGIRO:
        digits = validators.bankgiro_compact(account_number)
    elif account_type == Organisation.AccountType.PLUSGIRO:
        digits = validators.plusgiro_compact(account_number)
    else:
        raise ValidationError(_("Choose bankgiro or plusgiro."), code="account_type")
    with transaction.atomic():
        organisation.account_type = account_type
        organisation.account_number = digits
        organisation.account_changed_at = timezone.now()
        organisation.save(
            update_fields=["account_type", "account_number", "account_changed_at", "updated_at"]
        )
        for role in organisation.roles.filter(state=OrganisationRole.State.ACTIVE).select_related("user"):
            outbox_enqueue(
                key=f"account-changed:{organisation.pk}:{organisation.account_changed_at.isoformat()}:{role.user_id}",
                to=role.user.email,
                subject=_("The payment account of %(name)s was changed") % {"name": organisation.name},
                template="organizations/email/account_changed.txt",
                context={"organisation": organisation, "by": by},
            )
    return organisation


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
    scan_upload(upload)  # virus scanner (accounts/scanning.py), when one is configured
    return mime


def document_upload(
    *, organisation: Organisation, by: User, doc_type: str, year: int, upload
) -> OrganisationDocument:
    require(by, "organizations.manage_documents", organisation)
    mime = document_check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = OrganisationDocument(
            organisation=organisation,
            doc_type=doc_type,
            year=year,
            original_name=(upload.name or "dokument")[-200:],
            content_type=mime,
            size=upload.size,
            sha256=digest.hexdigest(),
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
