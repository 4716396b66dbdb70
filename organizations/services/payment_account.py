"""The payment account: the signatory asks, every municipality that pays verifies."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from workflows.services import outbox_enqueue, perform_transition, require

from .. import validators
from ..models import (
    AccountChange,
    AccountVerification,
    Organisation,
    OrganisationRole,
    User,
)


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
