"""Accounts of people and their roles in organisations: sign-up, e-mail verification, requests to join, signatories."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.services import outbox_enqueue, perform_transition, require

from ..models import (
    Organisation,
    OrganisationRole,
    User,
)
from ..permissions import forget_permissions

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
