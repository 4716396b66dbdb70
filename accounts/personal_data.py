"""Everything Bidra holds about a person: export it, and erase it where the law allows.

Apps add what they hold with ``register_export``, what stops an erasure with
``register_erasure_check`` and how their rows are anonymised with
``register_erasure`` (declare them in ``<app>/retention.py``; it is imported at start).
Decisions, case documents and the transition log are public records and are
kept: the person's name disappears from them because the user row they point
to is anonymised.  Every export and erasure is written to the transition log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm_log.models import StateLog

ERASED_NAME = "Raderad användare"
ERASED_PERSON = "Raderad person"

_exports: dict[str, Callable] = {}
_labels: dict[str, str] = {}
_checks: list[Callable] = []
_erasures: list[Callable] = []


def register_export(name: str, label=None):
    """``@register_export("applications", _("Applications"))`` on ``f(*, email, user) -> list | dict``."""

    def decorator(func):
        _exports[name] = func
        _labels[name] = label or name
        return func

    return decorator


def register_erasure_check(func):
    """``f(*, email, user) -> list[str]``: reasons, in words a person reads, why erasure must wait."""
    _checks.append(func)
    return func


def register_erasure(func):
    """``f(*, email, user) -> None``: anonymise the app's rows about the person."""
    _erasures.append(func)
    return func


@dataclass
class Subject:
    email: str
    user: object | None


def subject_for(email: str) -> Subject:
    User = get_user_model()
    email = email.strip().lower()
    return Subject(email, User.objects.filter(email__iexact=email, is_system=False).first())


def _dt(value):
    return value.isoformat() if value else None


def personal_data_export(*, email: str, by) -> dict:
    """A JSON-ready dict of everything held about the person with this e-mail address."""
    subject = subject_for(email)
    data = {
        "generated_at": timezone.now().isoformat(),
        "email": subject.email,
        "user": None,
    }
    for name, func in sorted(_exports.items()):
        data[name] = func(email=subject.email, user=subject.user)
    if subject.user is not None:
        u = subject.user
        data["user"] = {
            "id": u.pk,
            "email": u.email,
            "full_name": u.full_name,
            "phone": u.phone,
            "active": u.is_active,
            "admin_access": u.is_staff,
            "email_verified_at": _dt(u.email_verified_at),
            "date_joined": _dt(u.date_joined),
            "last_login": _dt(u.last_login),
        }
        _log(u, "personal_data_export", by=by, description=_("Personal data exported"))
    return data


def personal_data_summary(*, email: str) -> list[tuple[str, int]]:
    """(label, number of records) per kind of data held, for the support page (not logged)."""
    subject = subject_for(email)
    rows = []
    for name, func in sorted(_exports.items()):
        value = func(email=subject.email, user=subject.user)
        if isinstance(value, dict):
            count = sum(len(v) if isinstance(v, list) else 1 for v in value.values())
        else:
            count = len(value)
        rows.append((str(_labels[name]), count))
    return rows


def erasure_obstacles(*, email: str) -> list[str]:
    subject = subject_for(email)
    reasons: list[str] = []
    for check in _checks:
        reasons += [str(r) for r in check(email=subject.email, user=subject.user)]
    return reasons


class ErasureRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def person_erase(*, email: str, by, reason: str) -> Subject:
    """Anonymise the person's account and every row about them; keep decisions and logs."""
    reasons = erasure_obstacles(email=email)
    if reasons:
        raise ErasureRefused(reasons)
    subject = subject_for(email)
    with transaction.atomic():
        for erase in _erasures:
            erase(email=subject.email, user=subject.user)
        if subject.user is not None:
            _log(subject.user, "personal_data_erase", by=by, description=reason, state="erased")
    return subject


def _log(user, transition: str, *, by, description: str, state: str = "active") -> None:
    """Write the event to the transition log (which the database keeps append-only)."""
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(user)),
        object_id=user.pk,
        transition=transition,
        source_state="active",
        state=state,
        by=by,
        description=description[:2000],
    )


# --- What the register and the engine hold ---------------------------------------------------


@register_export("staff_roles", gettext_lazy("Staff roles"))
def _export_staff_roles(*, email, user):
    if user is None:
        return []
    return [
        {
            "municipality": r.municipality.name,
            "committee": r.committee.name if r.committee else None,
            "role": r.role,
        }
        for r in user.staff_roles.select_related("municipality", "committee")
    ]


@register_export("delegations", gettext_lazy("Delegations"))
def _export_delegations(*, email, user):
    if user is None:
        return []
    return [
        {
            "committee": d.committee.name,
            "matter": d.matter,
            "max_amount": int(d.max_amount),
            "valid_from": _dt(d.valid_from),
            "valid_until": _dt(d.valid_until),
        }
        for d in user.delegations.select_related("committee")
    ]


@register_export("organisation_roles", gettext_lazy("Roles in organisations"))
def _export_org_roles(*, email, user):
    if user is None:
        return []
    return [
        {
            "organisation": r.organisation.name,
            "org_number": r.organisation.org_number_display,
            "kind": r.kind,
            "state": r.state,
            "message": r.message,
            "created_at": _dt(r.created_at),
        }
        for r in user.org_roles.select_related("organisation")
    ]


@register_export("people", gettext_lazy("Board member or contact person"))
def _export_people(*, email, user):
    from organizations.models import Person

    return [
        {
            "organisation": p.organisation.name,
            "kind": p.kind,
            "name": p.name,
            "position": p.position,
            "email": p.email,
            "phone": p.phone,
        }
        for p in Person.objects.filter(email__iexact=email).select_related("organisation")
    ]


@register_export("log", gettext_lazy("Entries in the transition log"))
def _export_log(*, email, user):
    if user is None:
        return []
    return [
        {
            "timestamp": _dt(e.timestamp),
            "object": f"{e.content_type.app_label}.{e.content_type.model}#{e.object_id}",
            "transition": e.transition,
            "from": e.source_state,
            "to": e.state,
            "reason": e.description,
        }
        for e in StateLog.objects.filter(by=user).select_related("content_type").order_by("timestamp")
    ]


@register_export("messages", gettext_lazy("E-mail messages"))
def _export_messages(*, email, user):
    from workflows.models import OutboxMessage

    return [
        {
            "created_at": _dt(m.created_at),
            "sent_at": _dt(m.sent_at),
            "subject": m.subject,
            "body": m.body,
        }
        for m in OutboxMessage.objects.filter(to__iexact=email).order_by("created_at")
    ]


@register_export("documents_uploaded", gettext_lazy("Uploaded documents"))
def _export_documents(*, email, user):
    from organizations.models import OrganisationDocument

    if user is None:
        return []
    return [
        {
            "organisation": d.organisation.name,
            "type": d.doc_type,
            "year": d.year,
            "file_name": d.original_name,
            "uploaded_at": _dt(d.uploaded_at),
        }
        for d in OrganisationDocument.objects.filter(uploaded_by=user).select_related("organisation")
    ]


@register_export("sign_in_attempts", gettext_lazy("Sign-in records"))
def _export_sign_ins(*, email, user):
    from axes.models import AccessAttempt, AccessLog

    failed = [
        {"time": _dt(a.attempt_time), "ip_address": a.ip_address, "failures": a.failures_since_start}
        for a in AccessAttempt.objects.filter(username__iexact=email)
    ]
    successful = [
        {"time": _dt(a.attempt_time), "ip_address": a.ip_address}
        for a in AccessLog.objects.filter(username__iexact=email).order_by("attempt_time")
    ]
    return {"failed": failed, "successful": successful}


@register_erasure_check
def _check_register(*, email, user):
    from organizations.models import OrganisationRole

    reasons = []
    if user is None:
        return reasons
    if user.is_superuser or user.is_staff or user.staff_roles.exists():
        reasons.append(_("The person works for a municipality in Bidra: remove their staff roles first."))
    for role in user.org_roles.filter(state=OrganisationRole.State.ACTIVE).select_related("organisation"):
        reasons.append(
            _("The person still acts for %(org)s: the role must be ended first.")
            % {"org": role.organisation.name}
        )
    return reasons


@register_erasure
def _erase_register(*, email, user):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from organizations.models import OrganisationRole, Person
    from workflows.models import OutboxMessage

    Person.objects.filter(email__iexact=email).update(name=ERASED_PERSON, email="", phone="", position="")
    OutboxMessage.objects.filter(to__iexact=email).update(to="raderad@bidra.invalid", body="")
    AccessAttempt.objects.filter(username__iexact=email).delete()
    AccessLog.objects.filter(username__iexact=email).delete()
    AccessFailureLog.objects.filter(username__iexact=email).delete()
    if user is None:
        return
    OrganisationRole.objects.filter(user=user).update(message="")
    TOTPDevice.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    user.email = f"raderad-{user.pk}@bidra.invalid"
    user.full_name = ERASED_NAME
    user.phone = ""
    user.is_active = False
    user.email_verified_at = None
    user.set_unusable_password()
    user.save()
