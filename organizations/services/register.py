"""The organisation register: registration, details, activities and documents (with the check of every upload)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from workflows.services import perform_transition, require

from .. import uploads, validators
from ..models import (
    AccountChange,
    Organisation,
    OrganisationActivity,
    OrganisationDocument,
    OrganisationRole,
    User,
)
from ..permissions import forget_permissions
from ..scanning import scan_upload
from .payment_account import _tell_about_account_change
from .people import DuplicateOrganisation
from .setup import _log_admin_change

logger = logging.getLogger(__name__)


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
