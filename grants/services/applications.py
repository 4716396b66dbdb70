"""The applicant's draft: starting an application, saving answers and attaching files.

Every answer is cleaned against the round's snapshot of the form (bounded text, sensible
numbers) before it is saved, so a draft never holds a value the form would refuse; only
someone who may act for the organisation changes a draft, and only while it is a draft.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organizations import uploads
from organizations.models import Organisation, OrganisationDocument
from organizations.selectors import document_status
from organizations.services import document_check_upload
from workflows.amounts import amount_clean, labelled
from workflows.services import (
    require,
)
from workflows.text import text_check

from .. import eligibility as elig
from ..models import (
    DEFAULT_ANSWER_LENGTH,
    Application,
    ApplicationAttachment,
    FormField,
    Program,
    Round,
)
from .programs import lateness, program_snapshot, round_snapshot

S = Application.State


# ---- what an application still lacks ----


def _answered(value) -> bool:
    return value not in (None, "", [], {})


def _missing_answers(application: Application) -> dict[str, str]:
    """The required questions not answered: the answer's key ("title" for the title) and its label."""
    missing = {}
    if not application.title.strip():
        missing["title"] = _("Title")
    for field in application.snapshot.get("fields", []):
        if field["kind"] == FormField.Kind.FILE or not field["required"]:
            continue
        if not _answered(application.answers.get(field["key"])):
            missing[field["key"]] = field["label"]
    return missing


def missing_answers(application: Application) -> list[str]:
    return list(_missing_answers(application).values())


def _current_register_documents(organisation: Organisation) -> dict[str, OrganisationDocument]:
    return {s.doc_type: s.current for s in document_status(organisation=organisation) if s.current}


class _AttachmentFacts:
    """The keys of an application's files and its organisation's current register documents.

    Read once while a submission holds the application's row lock: the submission's own
    checks, the transition's conditions (checked twice by the state machine) and the linking
    of register documents all ask the same question.
    """

    def __init__(self, application: Application):
        self.application = application
        self.uploaded = set(application.files.values_list("key", flat=True))
        self._register = None

    @property
    def register(self) -> dict[str, OrganisationDocument]:
        if self._register is None:
            self._register = _current_register_documents(self.application.organisation)
        return self._register


def _attachment_facts(application: Application) -> _AttachmentFacts:
    return getattr(application, "_attachment_facts", None) or _AttachmentFacts(application)


def missing_attachments(application: Application) -> list[str]:
    facts = _attachment_facts(application)
    uploaded = facts.uploaded
    missing = []
    for item in application.snapshot.get("attachments", []):
        if not item["required"] or item["key"] in uploaded:
            continue
        if item["doc_type"] and item["doc_type"] in facts.register:
            continue
        missing.append(item["label"])
    for field in application.snapshot.get("fields", []):
        if field["kind"] == FormField.Kind.FILE and field["required"] and field["key"] not in uploaded:
            missing.append(field["label"])
    return missing


def eligibility_precheck(
    *, round: Round, organisation: Organisation, declaration: bool | None = None
) -> list[elig.RuleResult]:
    snapshot = round.snapshot or program_snapshot(round.program)
    return elig.evaluate(
        rules=snapshot.get("rules", []),
        organisation=organisation,
        municipality_id=round.program.municipality_id,
        declaration=declaration,
        year=round.year,
    )


# ---- the applicant ----


def application_start(*, round: Round, organisation: Organisation, by) -> Application:
    """Start (or return the existing) draft of an organisation in a round."""
    if not by.has_perm("grants.apply", organisation):
        raise PermissionDenied(_("You can only apply for an organisation you act for."))
    if not lateness(round).accepted:
        raise ValidationError(_("The round is not open for applications."), code="closed")
    existing = Application.objects.filter(round=round, organisation=organisation, state=S.DRAFT).first()
    if existing is not None:
        return existing
    if not round.program.several_per_round:
        earlier = _earlier_application(Application(round=round, organisation=organisation))
        if earlier is not None:
            raise ValidationError(
                _(
                    "The organisation has already applied in this round (%(number)s). The program "
                    "takes one application per organisation and round."
                )
                % {"number": earlier},
                code="one_per_round",
            )
    snapshot = round_snapshot(round=round)
    try:
        with transaction.atomic():
            return Application.objects.create(
                round=round,
                organisation=organisation,
                title=round.program.name,
                snapshot=snapshot,
                created_by=by,
            )
    except IntegrityError:  # the same draft started a moment ago (a double click)
        return Application.objects.get(round=round, organisation=organisation, state=S.DRAFT)


def _clean_answer(field: dict, value):
    kind = field["kind"]
    if value in (None, "", []):
        return None
    if kind == FormField.Kind.AMOUNT:
        try:
            return format(amount_clean(value, decimals=2), "f")
        except ValidationError as exc:
            raise ValidationError(labelled(field["label"], exc)) from exc
    if kind == FormField.Kind.NUMBER:
        text = "".join(str(value).split()).replace("\u00a0", "").replace(",", ".")
        try:
            if isinstance(value, bool) or len(text) > 40:
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError(_("%(label)s: enter a number.") % {"label": field["label"]}) from exc
        if not _sensible_number(number):
            raise ValidationError(
                _(
                    "%(label)s: enter a number with at most 12 digits before the decimal comma "
                    "and 4 after it, e.g. 120 or 2,5."
                )
                % {"label": field["label"]}
            )
        if number < 0:
            raise ValidationError(_("%(label)s: the number cannot be negative.") % {"label": field["label"]})
        return format(number, "f")
    if kind == FormField.Kind.DATE:
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ValidationError(
                _("%(label)s: enter a date like 2026-06-15.") % {"label": field["label"]}
            ) from exc
    if kind == FormField.Kind.CHOICE:
        if value not in field["choices"]:
            raise ValidationError(_("%(label)s: choose one of the options.") % {"label": field["label"]})
        return value
    if kind == FormField.Kind.MULTIPLE_CHOICE:
        values = list(value) if isinstance(value, list | tuple) else [value]
        if any(v not in field["choices"] for v in values):
            raise ValidationError(_("%(label)s: choose among the options.") % {"label": field["label"]})
        return values
    if kind == FormField.Kind.YES_NO:
        if value in (True, "yes", "ja"):
            return "yes"
        if value in (False, "no", "nej"):
            return "no"
        raise ValidationError(_("%(label)s: answer yes or no.") % {"label": field["label"]})
    text = text_check(str(value), label=field["label"])
    too_long = _too_long(field, text)
    if too_long:
        raise ValidationError(too_long)
    return text


#: the largest number an answer takes, and the most decimals
_LARGEST_NUMBER = Decimal(10) ** 12
_DECIMALS = 4


def _sensible_number(number: Decimal) -> bool:
    """Finite (no NaN or infinity), below a million millions and with at most four decimals."""
    # compared with itself rounded to four decimals: ``normalize()`` overflows on "1E-999999999"
    return (
        number.is_finite()
        and -_LARGEST_NUMBER < number < _LARGEST_NUMBER  # compared: abs() overflows on "1E+9999999999"
        and number == number.quantize(Decimal(1).scaleb(-_DECIMALS))
    )


def _too_long(field: dict, text: str) -> str:
    """Why a text answer is too long for its field, or ""."""
    limit = field.get("max_length") or DEFAULT_ANSWER_LENGTH
    if len(text) <= limit:
        return ""
    return _("%(label)s: the answer has %(n)s characters; at most %(max)s are allowed.") % {
        "label": field["label"],
        "n": _thousands(len(text)),
        "max": _thousands(limit),
    }


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


#: what saving a draft writes
_DRAFT_FIELDS = ("title", "requested_amount", "democracy_declaration", "answers", "updated_at")


def application_save(*, application: Application, by, **changes) -> Application:
    """Save the draft; nothing is required yet (submission checks that).  ``changes``: title,
    requested_amount, answers, democracy_declaration (see ``_draft_changed``); one left out
    stays as it is."""
    with transaction.atomic():
        _draft_changed(application, by=by, **changes)
        application.save(update_fields=list(_DRAFT_FIELDS))
    return application


def _draft_changed(
    application: Application,
    *,
    by,
    title: str | None = None,
    requested_amount=None,
    answers: dict | None = None,
    democracy_declaration: bool | None = None,
) -> None:
    """Check the changes, lock the draft's row (in the caller's transaction) and set them on
    ``application``; the caller writes them."""
    require(by, "grants.act_for_application", application)
    if application.state != S.DRAFT:
        raise ValidationError(_("Only a draft can be changed."), code="not_draft")
    fields = {f["key"]: f for f in application.snapshot.get("fields", []) if f["kind"] != FormField.Kind.FILE}
    cleaned = dict(application.answers)
    errors: dict[str, list[str]] = {}  # by the answer's key, so that a form shows each at its field
    for key, value in (answers or {}).items():
        if key not in fields:
            continue
        try:
            cleaned[key] = _clean_answer(fields[key], value)
        except ValidationError as exc:
            errors[key] = exc.messages
    if requested_amount not in (None, "") and application.round.program.kind == Program.Kind.AWARD:
        errors["requested_amount"] = [
            _("An award is not applied for with an amount: the award's prize sum is set by its rules.")
        ]
    elif requested_amount not in (None, ""):
        # the program's range is checked when the application is sent; a draft keeps what was typed
        try:
            requested_amount = amount_clean(requested_amount)
        except ValidationError as exc:
            errors["requested_amount"] = labelled(_("Amount applied for"), exc)
    if errors:
        raise ValidationError(errors)
    # Locks the row and reads its state only: what is written are the given fields.
    state = Application.objects.select_for_update().values_list("state", flat=True).get(pk=application.pk)
    if state != S.DRAFT:
        raise ValidationError(_("Only a draft can be changed."), code="not_draft")
    if title is not None:
        application.title = title.strip()[:200]
    if requested_amount is not None:
        application.requested_amount = requested_amount if requested_amount != "" else None
    if democracy_declaration is not None:
        application.democracy_declaration = democracy_declaration
    application.answers = cleaned


def attachment_keys(application: Application) -> dict[str, str]:
    keys = {a["key"]: a["label"] for a in application.snapshot.get("attachments", [])}
    keys.update(
        {
            f["key"]: f["label"]
            for f in application.snapshot.get("fields", [])
            if f["kind"] == FormField.Kind.FILE
        }
    )
    return keys


def application_attach(*, application: Application, by, key: str, upload) -> ApplicationAttachment:
    """Add a file to a draft (or while a completion is requested); content type and size are checked.

    In a draft the file replaces the one uploaded earlier for the same ``key``.
    """
    require(by, "grants.act_for_application", application)
    if application.state not in (S.DRAFT, S.COMPLETION_REQUESTED):
        raise ValidationError(_("Files can be added only to a draft or as a completion."), code="state")
    if key not in attachment_keys(application):
        raise ValidationError(_("Choose which attachment the file is."), code="key")
    mime = document_check_upload(upload)
    sha256 = uploads.checksum(upload)
    with transaction.atomic():
        if application.state == S.DRAFT:
            # a draft's file uploaded again replaces the earlier one (its file leaves the storage
            # after commit); a completion's files stay beside what was sent in before
            application.files.filter(key=key, register_document=None).delete()
        attachment = ApplicationAttachment(
            application=application,
            key=key,
            original_name=(upload.name or "bilaga")[-200:],
            content_type=mime,
            size=upload.size,
            sha256=sha256,
            uploaded_by=by,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.save()
    return attachment


#: what submitting sets on the application besides its state
def _earlier_application(application: Application) -> str | None:
    """The case number of the organisation's application already sent in the round, if any."""
    return (
        Application.objects.filter(round_id=application.round_id, organisation_id=application.organisation_id)
        .exclude(pk=application.pk)
        .exclude(state__in=(S.DRAFT, S.WITHDRAWN))
        .values_list("case_number", flat=True)
        .first()
    )
