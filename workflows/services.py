"""The one way a case changes state, gets a case number, sends a message or
keeps a document.  Every case type's services build on these."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, FSMField
from django_fsm_log.helpers import FSMLogDescriptor

from .checks import refusal
from .models import CaseNumberSequence, DiariumEntry, OutboxMessage, StoredDocument
from .queue import delay_on_commit
from .statelog import batching


class TransitionRefused(Exception):
    """A transition that may not happen now; ``reasons`` are sentences a person can read."""

    def __init__(self, reasons: list[str]):
        self.reasons = [str(r) for r in reasons]
        super().__init__(" ".join(self.reasons))


class CaseChangedMeanwhile(TransitionRefused):
    """Someone else changed the case since it was read."""


SYSTEM_EMAIL = "system@bidra.invalid"


def system_user():
    """The user that timers and other automatic steps act as in the log."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        email=SYSTEM_EMAIL,
        defaults={"full_name": "Bidra (automatiskt)", "is_active": False, "is_system": True},
    )
    return user


def _state_field(case):
    """The model's state: its one ``FSMField`` (``state`` on a case; ``outcome`` of an appeal,
    ``status`` of a commitment)."""
    return next(f for f in case._meta.concrete_fields if isinstance(f, FSMField))


def _transition_from(case, name: str, state):
    """The transition ``name`` of ``case`` out of ``state`` (None: not from there), as django-fsm
    chooses it: one declared from that state, else from any state ("*"), else from any other state
    than its target ("+")."""
    declared = {t.source: t for t in _state_field(case).get_all_transitions(type(case)) if t.name == name}
    if not declared:
        raise ValueError(f"{type(case).__name__} has no transition {name!r}")
    other = declared.get("+")
    return declared.get(state) or declared.get("*") or (other if other and other.target != state else None)


@dataclass
class TransitionOption:
    name: str
    label: str
    target: str
    allowed: bool
    reasons: list[str] = field(default_factory=list)
    custom: dict = field(default_factory=dict)
    permitted: bool = True


def transition_check(case, name: str, *, by) -> TransitionOption:
    """Whether ``by`` may perform transition ``name`` on ``case`` now, and why not."""
    state = _state_field(case).get_state(case)
    transition = _transition_from(case, name, state)
    label = str((transition.custom if transition else {}).get("label", name)) if transition else name
    if transition is None:
        return TransitionOption(
            name,
            label,
            "",
            False,
            [_("This is not possible while the case is “%(state)s”.") % {"state": _state_label(case, state)}],
        )
    reasons: list[str] = []
    permitted = transition.has_perm(case, by)
    if not permitted:
        reasons.append(_("You do not have permission to do this."))
    reasons += [refusal(c) for c in transition.conditions if not c(case)]
    return TransitionOption(
        name, label, transition.target, not reasons, reasons, dict(transition.custom), permitted
    )


def _state_label(case, state) -> str:
    return str(dict(_state_field(case).flatchoices).get(state, state))


def transitions_for(case, *, by, include_hidden: bool = False) -> list[TransitionOption]:
    """Every transition out of the case's current state, with whether ``by`` may do it now."""
    fsm_field = _state_field(case)
    options = []
    for transition in fsm_field.get_all_transitions(type(case)):
        if transition.source not in (fsm_field.get_state(case), "*", "+"):
            continue
        if transition.custom.get("hidden") and not include_hidden:
            continue
        if any(o.name == transition.name for o in options):
            continue
        options.append(transition_check(case, transition.name, by=by))
    return options


def perform_transition(case, name: str, *, by, reason: str = "", save_fields=None, savepoint=True, **kwargs):
    """Check permission and conditions, run the transition, save, and log it.

    Runs inside one transaction: the state change and its log row are written
    together or not at all.  Raises PermissionDenied when ``by`` may not do it,
    TransitionRefused (with readable reasons) when the case is not ready, and
    CaseChangedMeanwhile when another transaction changed the state first.

    ``save_fields``: the caller names the fields it changed before the transition, and
    only those, the state and ``updated_at`` are written (a case row carries its form
    snapshot and answers as JSON: a meeting's thousand decisions need not rewrite them).
    Without it the whole row is saved.

    ``savepoint=False``: the caller's own transaction block lets every exception out, so this
    one needs no savepoint to roll back to (a submission: two statements fewer).
    """
    option = transition_check(case, name, by=by)
    if not option.permitted:
        raise PermissionDenied(option.reasons[0])
    if not option.allowed:
        raise TransitionRefused(option.reasons)
    method = getattr(case, name)
    # Inside a batch the caller's transaction succeeds or fails as a whole: no savepoint per case.
    with transaction.atomic(savepoint=savepoint and not batching()):
        with FSMLogDescriptor(case, "by", by), FSMLogDescriptor(case, "description", reason or ""):
            result = method(**kwargs)
        try:
            # no savepoint of its own: the enclosing block is rolled back as a whole anyway
            with transaction.atomic(savepoint=False):
                if save_fields is None:
                    case.save()
                else:
                    fields = {_state_field(case).name, *save_fields}
                    if any(f.name == "updated_at" for f in case._meta.concrete_fields):
                        fields.add("updated_at")
                    case.save(update_fields=sorted(fields))
        except ConcurrentTransition as exc:
            raise CaseChangedMeanwhile(
                [_("Someone else changed this case at the same time. Reload the page and try again.")]
            ) from exc
    return result


def case_number_register(
    *, committee, title: str, case=None, by, year: int | None = None, save: bool = True
) -> DiariumEntry:
    """Register a case in the diarium and give it the next case number.

    Per committee and year the numbers are consecutive and never repeat, also
    when many are registered at once: the sequence row is incremented with one
    UPDATE, which PostgreSQL serialises with a row lock until commit.

    ``save=False``: the number and time are set on ``case`` only, and the caller writes them
    with its own UPDATE of the row in the same transaction (a submission's transition).
    """
    year = year or timezone.localdate().year
    # No savepoint inside the caller's transaction: a failure here fails the whole registration.
    with transaction.atomic(savepoint=False):
        number = _next_number(committee, year)
        if number is None:  # the committee's first case of the year
            _sequence(committee, year)
            number = _next_number(committee, year)
        formatted = committee.municipality.case_number_format.format(
            committee=committee.code, year=year, number=number
        )
        entry = DiariumEntry(
            committee=committee,
            year=year,
            number=number,
            case_number=formatted,
            title=title[:300],
            content_type=ContentType.objects.get_for_model(case) if case is not None else None,
            object_id=case.pk if case is not None else None,
            registered_by=by,
        )
        entry.save()
        if case is not None:
            if save:
                type(case).objects.filter(pk=case.pk).update(
                    case_number=formatted, registered_at=entry.registered_at
                )
            case.case_number = formatted
            case.registered_at = entry.registered_at
    return entry


def _next_number(committee, year: int) -> int | None:
    """Increment the sequence and read the new number in one statement (None: no sequence yet)."""
    table = connection.ops.quote_name(CaseNumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1 "  # noqa: S608 - the model's table
            "WHERE committee_id = %s AND year = %s RETURNING last_number",
            [committee.pk, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _sequence(committee, year: int) -> CaseNumberSequence:
    try:
        return CaseNumberSequence.objects.get(committee=committee, year=year)
    except CaseNumberSequence.DoesNotExist:
        try:
            with transaction.atomic():
                return CaseNumberSequence.objects.create(committee=committee, year=year)
        except IntegrityError:
            return CaseNumberSequence.objects.get(committee=committee, year=year)


def outbox_enqueue(
    *, key: str, to: str, subject: str, template: str, context: dict, send: bool = True
) -> OutboxMessage | None:
    """Write a message in the current transaction and send it after commit.

    The same ``key`` twice (a retried job, a double click) writes one message.  ``send=False``:
    the caller's own task sends it after commit (one message on the queue instead of two); the
    periodic ``outbox_send_pending`` sends whatever is left unsent.
    """
    from . import tasks

    if not to:
        return None
    message = OutboxMessage(
        key=key[:200], to=to, subject=subject[:300], body=render_to_string(template, context)
    )
    message.pk = _outbox_insert(message)
    if message.pk is None:  # written before
        return OutboxMessage.objects.get(key=message.key)
    if send:
        delay_on_commit(tasks.outbox_send, message.pk)
    return message


def _outbox_insert(message: OutboxMessage) -> int | None:
    """Insert the message unless one with its key exists; the new row's id, or None.

    One statement (INSERT … ON CONFLICT DO NOTHING RETURNING), where ``get_or_create`` takes a
    SELECT, a savepoint, the INSERT and the savepoint's release: it runs inside every submission.
    """
    fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(OutboxMessage._meta.db_table)} "  # noqa: S608 - the model's own names
            f"({', '.join(quote(f.column) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))}) "
            f"ON CONFLICT ({quote('key')}) DO NOTHING RETURNING {quote(OutboxMessage._meta.pk.column)}",
            [f.get_db_prep_save(getattr(message, f.attname), connection) for f in fields],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def outbox_send(*, message_id: int) -> bool:
    """Send one message unless it was sent already.  Returns True when it was sent now."""
    from django.core.mail import EmailMessage

    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id, sent_at=None).first()
        if message is None:
            return False
        message.attempts += 1
        try:
            EmailMessage(subject=message.subject, body=message.body, to=[message.to]).send()
        except Exception as exc:  # noqa: BLE001 - recorded and retried by the periodic task
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts, last_error=str(exc)[:2000]
            )
            return False
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["sent_at", "attempts", "last_error"])
    return True


def document_store(
    *,
    subject: models.Model,
    kind: str,
    title: str,
    template: str,
    context: dict,
    by,
    stylesheets: tuple = (),
) -> StoredDocument:
    """Render a document as PDF/A and keep it; the same content twice is one version.

    ``stylesheets``: the template's CSS files (see ``html_to_pdfa``), part of what makes a version.
    """
    from .pdf import html_to_pdfa

    html = render_to_string(template, context)
    source = hashlib.sha256(html.encode())
    for path in stylesheets:
        source.update(_file_sha256(str(path)).encode())
    source_sha = source.hexdigest()
    content_type = ContentType.objects.get_for_model(subject)
    latest = (
        StoredDocument.objects.filter(content_type=content_type, object_id=subject.pk, kind=kind)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.source_sha256 == source_sha:
        return latest
    pdf = html_to_pdfa(html, stylesheets=stylesheets)
    document = StoredDocument(
        content_type=content_type,
        object_id=subject.pk,
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        title=title,
        sha256=hashlib.sha256(pdf).hexdigest(),
        source_sha256=source_sha,
        size=len(pdf),
        created_by=by,
    )
    document.file.save(f"{kind}-{subject.pk}-v{document.version}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


@functools.cache
def _file_sha256(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless ``user`` holds ``perm`` (for ``obj``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))
