"""Changes to programs, rounds and applications.  Views, the API, tasks and the demo call these."""

from __future__ import annotations

import contextlib
import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organisation, OrganisationDocument
from organizations.selectors import document_status
from organizations.services import document_check_upload
from workflows import locks
from workflows.amounts import amount_clean, labelled
from workflows.appeals import appeal_terms
from workflows.deadlines import add_working_days
from workflows.queue import delay_on_commit
from workflows.services import (
    TransitionRefused,
    case_number_register,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
)
from workflows.templatetags.bidra import kr
from workflows.text import text_check

from . import eligibility as elig
from . import flows
from .models import (
    DEFAULT_ANSWER_LENGTH,
    Application,
    ApplicationAttachment,
    Assessment,
    CompletionRequest,
    ConflictOfInterest,
    EligibilityOverride,
    FormField,
    Program,
    Round,
)
from .scoring import application_score, assessment_weighted, scores_clean

S = Application.State
DEFAULT_COMPLETION_DAYS = 10


# ---- the round's snapshot ----


def program_snapshot(program: Program) -> dict:
    """The program's form, attachments, eligibility rules and criteria as they are now."""
    return {
        "taken_at": timezone.now().isoformat(),
        "program": {
            "id": program.pk,
            "name": program.name,
            "kind": program.kind,
            "rules_reference": program.rules_reference,
            "rules_url": program.rules_url,
            "min_amount": None if program.min_amount is None else str(program.min_amount),
            "max_amount": None if program.max_amount is None else str(program.max_amount),
            "several_per_round": program.several_per_round,
        },
        "fields": [
            {
                "id": f.pk,
                "key": f"field:{f.pk}",
                "kind": f.kind,
                "label": f.label,
                "help_text": f.help_text,
                "required": f.required,
                "choices": [c.strip() for c in f.choices.splitlines() if c.strip()],
                "max_length": f.max_length,
            }
            for f in program.form_fields.order_by("order", "pk")
        ],
        "attachments": [
            {
                "id": a.pk,
                "key": f"attachment:{a.pk}",
                "label": a.label,
                "doc_type": a.doc_type,
                "help_text": a.help_text,
                "required": a.required,
            }
            for a in program.attachments.order_by("order", "pk")
        ],
        "rules": [
            {"kind": r.kind, "params": r.params or {}}
            for r in program.eligibility_rules.filter(enabled=True).order_by("pk")
        ],
        "criteria": [
            {
                "id": c.pk,
                "name": c.name,
                "guidance": c.guidance,
                "weight": str(c.weight),
                "scale_min": c.scale_min,
                "scale_max": c.scale_max,
                "allow_na": c.allow_not_applicable,
            }
            for c in program.criteria.order_by("order", "pk")
        ],
    }


def round_snapshot(*, round: Round) -> dict:
    """The round's snapshot; taken once, the first time it is needed after the round opens."""
    if round.snapshot:
        return round.snapshot
    with transaction.atomic():
        locked = Round.objects.select_for_update(of=("self",)).select_related("program").get(pk=round.pk)
        if not locked.snapshot:
            locked.snapshot = program_snapshot(locked.program)
            locked.snapshot_taken_at = timezone.now()
            locked.save(update_fields=["snapshot", "snapshot_taken_at"])
    round.snapshot, round.snapshot_taken_at = locked.snapshot, locked.snapshot_taken_at
    return round.snapshot


def rounds_take_due_snapshots() -> int:
    """Periodic: snapshot every round that has opened without one."""
    count = 0
    for round in Round.objects.filter(snapshot__isnull=True, opens_at__lte=timezone.now()):
        round_snapshot(round=round)
        count += 1
    return count


@dataclass
class Lateness:
    accepted: bool
    weeks: int = 0
    percent: Decimal = Decimal("0")


def lateness(round: Round, at: datetime | None = None) -> Lateness:
    """Whether the round accepts an application now, and the deduction the late rule gives."""
    at = at or timezone.now()
    if at < round.opens_at:
        return Lateness(False)
    if at < round.closes_at:
        return Lateness(True)
    weeks = max(1, math.ceil((at - round.closes_at).total_seconds() / (7 * 24 * 3600)))
    if round.late_rule == Round.LateRule.REFUSE or round.program.kind == Program.Kind.AWARD:
        # An award is decided among those nominated or applying in time: it takes none late.
        return Lateness(False, weeks)
    if round.late_rule == Round.LateRule.DEDUCT:
        return Lateness(True, weeks, min(Decimal("100"), round.late_deduction_percent * weeks))
    return Lateness(True, weeks)


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


def application_save_and_submit(
    *, application: Application, by, confirmed: bool = False, **changes
) -> Application:
    """The applicant's form: the draft saved and submitted in one transaction, with one UPDATE
    of the row for both.

    A refused submission raises ``TransitionRefused`` after the draft is saved (nothing typed
    is lost); invalid answers raise ``ValidationError`` and save nothing.

    No savepoint is set for the refusal: it rolls back the whole transaction, and the draft is
    then saved in a transaction of its own (two statements fewer for every submission, a
    second lock of the row for a refused one)."""
    try:
        with transaction.atomic():
            _draft_changed(application, by=by, **changes)
            return application_submit(
                application=application, by=by, locked=True, also_save=_DRAFT_FIELDS, confirmed=confirmed
            )
    except TransitionRefused:
        application_save(application=application, by=by, **changes)
        raise


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
    """Add a file to a draft (or while a completion is requested); content type and size are checked."""
    require(by, "grants.act_for_application", application)
    if application.state not in (S.DRAFT, S.COMPLETION_REQUESTED):
        raise ValidationError(_("Files can be added only to a draft or as a completion."), code="state")
    if key not in attachment_keys(application):
        raise ValidationError(_("Choose which attachment the file is."), code="key")
    mime = document_check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        attachment = ApplicationAttachment(
            application=application,
            key=key,
            original_name=(upload.name or "bilaga")[-200:],
            content_type=mime,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.save()
    return attachment


#: what submitting sets on the application besides its state
_SUBMISSION_FIELDS = (
    "late_weeks",
    "late_deduction_percent",
    "submitted_at",
    "eligibility",
    "case_number",
    "registered_at",
)


#: rules that never refuse a submission (an authority receives what is sent to it): the applicant
#: is told before sending and confirms, and the case stops at screening until the caseworker
#: checks the rules again or dismisses it
OUTSTANDING_RULES = ("no_overdue_report", "no_unpaid_reclaim")


class SubmissionRefused(TransitionRefused):
    """A submission the program's rules refuse.  ``errors`` maps where each is to be corrected
    (``title``, ``requested_amount``, ``democracy_declaration``, ``confirm_outstanding``,
    ``attachments``, an answer's key such as ``field:12``, or ``""`` for the whole application)
    to the sentences saying what to correct; ``reasons`` has them all."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__([message for messages in errors.values() for message in messages])


def submission_eligibility(application: Application) -> list[elig.RuleResult]:
    """The eligibility rules of the application's snapshot, checked now."""
    round = application.round
    return elig.evaluate(
        rules=application.snapshot.get("rules", []),
        organisation=application.organisation,
        municipality_id=round.program.municipality_id,
        declaration=application.democracy_declaration,
        year=round.year,
    )


def outstanding(results: list[elig.RuleResult]) -> list[elig.RuleResult]:
    """The failing rules that do not refuse a submission but stop it at screening."""
    return [r for r in results if r.kind in OUTSTANDING_RULES and not r.ok]


def _snapshot_program(application: Application) -> dict:
    """The program's submission rules as the round took them (older snapshots: the program now)."""
    taken = application.snapshot.get("program", {})
    program = application.round.program
    return {
        "min_amount": taken.get("min_amount", program.min_amount),
        "max_amount": taken.get("max_amount", program.max_amount),
        "several_per_round": taken.get("several_per_round", program.several_per_round),
    }


def submission_problems(
    application: Application,
    *,
    late: Lateness | None = None,
    eligibility: list[elig.RuleResult] | None = None,
    confirmed: bool = False,
) -> dict[str, list[str]]:
    """Everything that keeps the application from being sent, by where it is corrected: the one
    check of the program's rules for the applicant's form and the API.  Empty: it may be sent."""
    errors: dict[str, list[str]] = {}

    def add(where: str, message: str) -> None:
        errors.setdefault(where, []).append(message)

    round = application.round
    late = late or lateness(round)
    if not late.accepted:
        add(
            "",
            _("The round is not open: applications were accepted %(opens)s–%(closes)s.")
            % {
                "opens": timezone.localtime(round.opens_at).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(round.closes_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    for key, label in _missing_answers(application).items():
        add(key, _("%(label)s: this must be answered before you submit.") % {"label": label})
    fields = {f["key"]: f for f in application.snapshot.get("fields", [])}
    for key, value in application.answers.items():
        field = fields.get(key)
        if field is None or value in (None, ""):
            continue
        if field["kind"] in (FormField.Kind.NUMBER, FormField.Kind.AMOUNT):
            try:
                _clean_answer(field, value)
            except ValidationError as exc:
                for message in exc.messages:
                    add(key, message)
        elif isinstance(value, str) and _too_long(field, value):
            add(key, _too_long(field, value))
    rules = _snapshot_program(application)
    amount = application.requested_amount
    low = None if rules["min_amount"] is None else Decimal(rules["min_amount"])
    high = None if rules["max_amount"] is None else Decimal(rules["max_amount"])
    if application.round.program.kind == Program.Kind.AWARD:
        pass  # no amount is applied for an award
    elif amount is None and (low is not None or high is not None):
        add("requested_amount", _("Amount applied for: enter the amount you apply for."))
    elif amount is not None and (low is not None and amount < low or high is not None and amount > high):
        if low is not None and high is not None:
            message = _("The program gives between %(low)s and %(high)s; you have applied for %(amount)s.")
        elif low is not None:
            message = _("The program gives at least %(low)s; you have applied for %(amount)s.")
        else:
            message = _("The program gives at most %(high)s; you have applied for %(amount)s.")
        add("requested_amount", message % {"low": kr(low), "high": kr(high), "amount": kr(amount)})
    if (
        any(r["kind"] == "democracy_declaration" for r in application.snapshot.get("rules", []))
        and not application.democracy_declaration
    ):
        add(
            "democracy_declaration",
            _("Tick the declaration that the organisation respects the democracy conditions."),
        )
    missing = missing_attachments(application)
    if missing:
        add("attachments", _("Add the required attachments: %(list)s.") % {"list": ", ".join(missing)})
    if not rules["several_per_round"]:
        earlier = _earlier_application(application)
        if earlier is not None:
            add(
                "",
                _(
                    "The organisation has already applied in this round (%(number)s). The program "
                    "takes one application per organisation and round."
                )
                % {"number": earlier},
            )
    if eligibility is None:
        eligibility = submission_eligibility(application)
    if outstanding(eligibility) and not confirmed:
        add(
            "confirm_outstanding",
            _(
                "%(reasons)s The application is received all the same, but it is not assessed until "
                "this is put right. Tick the box to send it anyway."
            )
            % {"reasons": " ".join(r.reason for r in outstanding(eligibility))},
        )
    return errors


def _earlier_application(application: Application) -> str | None:
    """The case number of the organisation's application already sent in the round, if any."""
    return (
        Application.objects.filter(round_id=application.round_id, organisation_id=application.organisation_id)
        .exclude(pk=application.pk)
        .exclude(state__in=(S.DRAFT, S.WITHDRAWN))
        .values_list("case_number", flat=True)
        .first()
    )


def application_submit(
    *,
    application: Application,
    by,
    locked: bool = False,
    also_save: tuple[str, ...] = (),
    confirmed: bool = False,
) -> Application:
    """The applicant submits: checked, registered with a case number, receipt and PDF after commit.

    ``locked``: the caller's transaction holds the row lock and the instance is the row with the
    caller's changes (``application_save_and_submit``); ``also_save`` names those changes, written
    with the submission's UPDATE, and a refusal leaves that transaction to be rolled back (no
    savepoint is set).  Otherwise the row is locked and read again here.  A refused
    submission leaves the caller's instance as it was."""
    if not locked:
        return _submit(application, by, confirmed=confirmed)
    before = {name: getattr(application, name) for name in _SUBMISSION_FIELDS}
    try:
        return _submit(application, by, locked=True, also_save=also_save, confirmed=confirmed)
    except TransitionRefused:
        for name, value in before.items():
            setattr(application, name, value)
        application.__dict__.pop("_attachment_facts", None)
        raise


def _submit(
    application: Application,
    by,
    *,
    locked: bool = False,
    also_save: tuple[str, ...] = (),
    confirmed: bool = False,
):
    # Locked: the caller's transaction is the submission's, and it rolls back as a whole.
    with transaction.atomic(savepoint=not locked):
        if not locked:
            application = _locked_for_submission(application)
        require(by, "grants.act_for_application", application)
        if application.state != S.DRAFT:
            raise TransitionRefused([_("The application has already been submitted.")])
        application._attachment_facts = _AttachmentFacts(application)
        round = application.round
        late = lateness(round)
        # The rules at the moment of sending, stored with the case; the caseworker can check
        # them again later from the same snapshot (a report approved since then clears one).
        results = submission_eligibility(application)
        errors = submission_problems(application, late=late, eligibility=results, confirmed=confirmed)
        if errors:
            raise SubmissionRefused(errors)
        application.late_weeks = late.weeks if timezone.now() >= round.closes_at else 0
        application.late_deduction_percent = late.percent
        application.submitted_at = timezone.now()
        application.eligibility = [r.as_dict() for r in results]
        _link_register_documents(application, by)
        program = round.program
        committee = program.committee
        if committee.municipality_id == program.municipality_id:
            committee.municipality = program.municipality  # the same row, read with the program
        # The committee's number sequence stays locked until commit, and every application
        # submitted to the committee at the same moment waits for it: what follows is only the
        # submission's own writes.  The number is written with the transition's UPDATE.
        case_number_register(
            committee=committee,
            title=f"{program.name}: {application.organisation.name}",
            case=application,
            by=by,
            save=False,
        )
        # Only what submitting changed is written: the row's form snapshot and answers stay as saved.
        perform_transition(
            application,
            "submit",
            by=by,
            reason="",
            save_fields=[*_SUBMISSION_FIELDS, *also_save],
            savepoint=False,  # nothing below catches: the submission's own block rolls back
        )
        del application._attachment_facts
        receipt = outbox_enqueue(
            key=f"grant-receipt:{application.pk}",
            to=by.email,
            subject=_("We have received your application %(number)s") % {"number": application.case_number},
            template="grants/email/receipt.txt",
            context={"application": application, "link": _link(application)},
            send=False,  # the submission's task sends it: one message on the queue, not two
        )
        flows.flow_start(application=application)
        from . import tasks

        delay_on_commit(tasks.application_submitted, application.pk, by.pk, receipt.pk if receipt else None)
    return application


def _locked_for_submission(application: Application) -> Application:
    """The application read again under its row lock, with the round (its program, committee and
    municipality) and organisation that submitting uses.

    Only the application's own row is read when the caller has read its round and organisation
    and the row still points to them, as a draft's always does: joined again under the lock they
    cost every submission 2–3 ms (compiling the join of six tables, planning it, building five
    more objects)."""
    fields = [Application._meta.get_field(name) for name in ("round", "organisation")]
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if all(
        f.is_cached(application) and getattr(locked, f.attname) == getattr(application, f.attname)
        for f in fields
    ):
        for f in fields:
            f.set_cached_value(locked, f.get_cached_value(application))
        return locked
    return Application.objects.select_related("round__program__committee__municipality", "organisation").get(
        pk=application.pk
    )


def _link(application: Application) -> str:
    return settings.SITE_URL + reverse("grants:application_detail", kwargs={"pk": application.pk})


def _link_register_documents(application: Application, by) -> None:
    """Attachments the register has a current document for are taken from the register."""
    facts = _attachment_facts(application)
    for item in application.snapshot.get("attachments", []):
        if not item["doc_type"] or item["key"] in facts.uploaded:
            continue
        document = facts.register.get(item["doc_type"])
        if document is not None:
            ApplicationAttachment.objects.create(
                application=application,
                key=item["key"],
                register_document=document,
                original_name=document.original_name,
                content_type=document.content_type,
                size=document.size,
                sha256=document.sha256,
                uploaded_by=by,
            )


def application_document(*, application: Application, by):
    """The submitted application as a PDF (the same content gives the same stored version)."""
    from .selectors import application_answers_display

    return document_store(
        subject=application,
        kind="grant_application",
        title=_("Application %(number)s") % {"number": application.case_number},
        template="documents/grant_application.html",
        context={
            "application": application,
            "answers": application_answers_display(application=application),
            "files": list(application.files.order_by("key", "pk")),
        },
        by=by,
    )


def application_withdraw(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, "withdraw", by=by, reason=reason)
        flows.flow_close(application=application, by=by)
    return application


def application_answer_completion(*, application: Application, by, answer: str) -> Application:
    if not answer.strip():
        raise ValidationError(_("Write what you complete the application with."), code="required")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, "answer_completion", by=by, reason=answer[:500])
        request = application.completion_requests.filter(answered_at=None).first()
        if request is not None:
            request.answer = answer
            request.answered_by = by
            request.answered_at = timezone.now()
            request.save(update_fields=["answer", "answered_by", "answered_at"])
        flows.flow_completion_answered(application=application)
    return application


# ---- the caseworker ----


def application_request_completion(
    *, application: Application, by, message: str, working_days: int = DEFAULT_COMPLETION_DAYS
) -> CompletionRequest:
    """Ask the applicant to complete; the deadline counts Swedish working days."""
    if not message.strip():
        raise ValidationError(_("Write what the applicant needs to complete."), code="required")
    if not 1 <= working_days <= 60:
        raise ValidationError(_("The deadline must be 1–60 working days."), code="days")
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=application.pk)
        )
        deadline = add_working_days(timezone.localdate(), working_days)
        application.completion_deadline = deadline
        perform_transition(application, "request_completion", by=by, reason=message[:500])
        request = CompletionRequest.objects.create(
            application=application, message=message, deadline=deadline, requested_by=by
        )
        flows.flow_complete_human_task(application=application, by=by)
        for email in {application.created_by.email, application.organisation.email} - {""}:
            outbox_enqueue(
                key=f"grant-completion:{request.pk}:{email}",
                to=email,
                subject=_("Your application %(number)s needs to be completed by %(deadline)s")
                % {"number": application.case_number, "deadline": deadline.isoformat()},
                template="grants/email/completion_requested.txt",
                context={"application": application, "request": request, "link": _link(application)},
            )
    return request


def completion_lapsed(*, application_id: int) -> None:
    """The completion deadline passed without an answer (called when the flow's timer fires)."""
    CompletionRequest.objects.filter(application_id=application_id, answered_at=None, lapsed_at=None).update(
        lapsed_at=timezone.now()
    )


def eligibility_override(*, application: Application, by, rule: str, reason: str) -> EligibilityOverride:
    require(by, "grants.handle_application", application)
    if not reason.strip():
        raise ValidationError(_("Write why the rule is set aside."), code="required")
    if application.state not in (S.SUBMITTED, S.COMPLETION_REQUESTED):
        raise ValidationError(
            _("Rules can be set aside only while the application is screened."), code="state"
        )
    if rule not in {r["kind"] for r in application.eligibility}:
        raise ValidationError(_("The application has no such rule."), code="rule")
    override, _created = EligibilityOverride.objects.update_or_create(
        application=application,
        rule=rule,
        defaults={"reason": reason.strip(), "by": by, "at": timezone.now()},
    )
    return override


def _transition_with_task(application: Application, name: str, *, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, name, by=by, reason=reason)
        flows.flow_complete_human_task(application=application, by=by)
    return application


def application_accept(*, application: Application, by, reason: str = "") -> Application:
    return _transition_with_task(application, "accept", by=by, reason=reason)


def eligibility_recheck(*, application: Application, by) -> list[elig.RuleResult]:
    """Check the program's rules again now, at screening: what was stored at submission is
    replaced (a report approved or a reclaim paid since then clears its rule)."""
    require(by, "grants.handle_application", application)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program", "organisation")
            .get(pk=application.pk)
        )
        if application.state not in (S.SUBMITTED, S.COMPLETION_REQUESTED):
            raise ValidationError(
                _("The rules can be checked again only while the application is screened."), code="state"
            )
        results = elig.evaluate(
            rules=application.snapshot.get("rules", []),
            organisation=application.organisation,
            municipality_id=application.round.program.municipality_id,
            declaration=application.democracy_declaration,
            year=application.round.year,
        )
        application.eligibility = [r.as_dict() for r in results]
        application.save(update_fields=["eligibility", "updated_at"])
    return results


DISMISSAL_KIND = "dismissal_letter"


def application_dismiss(*, application: Application, by, reason: str) -> Application:
    """Dismiss (avvisa) the application; the organisation gets a letter with the reasons and how
    to appeal (förvaltningslagen 32-33 §§)."""
    if not reason.strip():
        raise ValidationError(_("Write why the application is dismissed."), code="required")
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program__committee__municipality", "organisation", "created_by")
            .get(pk=application.pk)
        )
        perform_transition(application, "dismiss", by=by, reason=reason)
        flows.flow_close(application=application, by=by)
        dismissal_letter_make(application=application, by=by, reason=reason.strip())
    return application


def dismissal_letter_make(*, application: Application, by, reason: str):
    """The letter of a dismissal, kept as PDF/A and e-mailed to the organisation."""
    from django.utils import translation

    program = application.round.program
    with translation.override("sv"):
        subject = (
            f"Beslut om avvisning: ansökan {application.case_number} från {application.organisation.name}"
        )
        document = document_store(
            subject=application,
            kind=DISMISSAL_KIND,
            title=subject,
            template="documents/grant_dismissal_letter.html",
            context={
                "subject": subject,
                "application": application,
                "organisation": application.organisation,
                "program": program,
                "committee": program.committee,
                "municipality": program.committee.municipality,
                "decided_on": timezone.localdate(),
                "decided_by": by,
                "reason": reason,
                # decided by the caseworker; Bidra does not list a dismissal for the committee
                "appeal": appeal_terms(
                    kind=program.appeal_kind,
                    court=program.appeal_court,
                    committee=program.committee,
                    case_number=application.case_number,
                    decided_on=timezone.localdate(),
                    delegated=True,
                ),
            },
            by=by,
            stylesheets=(LETTER_CSS,),
        )
        for email in {application.organisation.email or application.created_by.email} - {""}:
            outbox_enqueue(
                key=f"dismissal-letter:{application.pk}:v{document.version}",
                to=email,
                subject=subject,
                template="grants/email/decision_letter.txt",
                context={"application": application, "subject": subject, "link": _link(application)},
            )
    return document


def dismissal_letter(application: Application):
    """The latest dismissal letter of the application, or None."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.models import StoredDocument

    return (
        StoredDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id=application.pk,
            kind=DISMISSAL_KIND,
        )
        .order_by("-version")
        .first()
    )


def conflict_declare(*, organisation: Organisation, by, reason: str) -> ConflictOfInterest:
    """Declare a conflict of interest (jäv): the person's assessments of the organisation do not count."""
    if not by.has_perm("organizations.view_organisation", organisation):
        raise PermissionDenied(_("You do not have permission to do this."))
    if not reason.strip():
        raise ValidationError(_("Write what the conflict of interest is."), code="required")
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        user=by, organisation=organisation, defaults={"reason": reason.strip()}
    )
    for application in Application.objects.filter(
        organisation=organisation, state__in=Application.OPEN_STATES
    ):
        _update_score(application)
    return conflict


def _update_score(application: Application) -> None:
    application._conflicted_ids = None
    Application.objects.filter(pk=application.pk).update(score=application_score(application))


def assessment_save(
    *, application: Application, by, scores: dict, comment: str = "", complete: bool = False
) -> Assessment:
    """Save one assessor's scores; ``complete`` requires every criterion scored or not applicable."""
    require(by, "grants.handle_application", application)
    criteria = application.snapshot.get("criteria", [])
    cleaned = scores_clean(criteria, scores, complete)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != S.IN_ASSESSMENT:
            raise ValidationError(
                _("The application can be assessed only while it is in assessment."), code="state"
            )
        assessment, _created = Assessment.objects.get_or_create(application=application, assessor=by)
        assessment.scores = cleaned
        assessment.comment = comment
        assessment.weighted_score = assessment_weighted(criteria, cleaned)
        assessment.completed_at = timezone.now() if complete else None
        assessment.save()
        _update_score(application)
    return assessment


def application_finish_assessment(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, "finish_assessment", by=by, reason=reason)
        _update_score(application)
    return application


def application_reopen_assessment(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, "reopen_assessment", by=by, reason=reason)
    return application


def application_propose(*, application: Application, by, amount, motivation: str) -> Application:
    """Propose the decision (amount and motivation): the case is ready for the committee."""
    high = _snapshot_program(application)["max_amount"]
    try:
        amount = amount_clean(amount, ceiling=None if high is None else Decimal(high))
    except ValidationError as exc:
        raise ValidationError(labelled(_("Proposed amount"), exc), code="amount") from exc
    if amount is None:
        raise ValidationError(_("Enter the proposed amount in kronor."), code="amount")
    if not (motivation or "").strip():
        raise ValidationError(_("Write a motivation for the proposal."), code="motivation")
    text_check(motivation, label=_("Motivation"))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state == S.ASSESSED:
            application.proposed_amount = amount
            application.proposal_motivation = motivation.strip()
        perform_transition(application, "propose", by=by, reason=motivation[:500])
        flows.flow_complete_human_task(application=application, by=by)
    return application


# ---- tasks of the inbox ----


def task_claim(*, task, by) -> None:
    application = _task_application(task)
    require(by, "grants.handle_application", application)
    if not flows.task_claim(task=task, by=by):
        task.refresh_from_db()
        owner = task.owner.full_name if task.owner_id else ""
        raise TransitionRefused(
            [
                _("%(name)s took the task a moment ago.") % {"name": owner}
                if owner
                else _("The task is no longer open.")
            ]
        )


def task_assign(*, task, by, to) -> None:
    application = _task_application(task)
    require(by, "grants.handle_application", application)
    if not to.has_perm("grants.handle_application", application):
        raise ValidationError(_("%(name)s cannot handle this application.") % {"name": to.full_name})
    try:
        flows.task_assign(task=task, to=to)
    except ValueError as exc:
        raise TransitionRefused([_("The task is no longer open.")]) from exc


def _task_application(task) -> Application:
    return Application.objects.select_related("round__program").get(pk=task.process.artifact_object_id)


# ---- program administration ----


def program_save(*, program: Program, by) -> Program:
    if program.pk:
        require(by, "grants.manage_program", program)
    else:
        require(by, "grants.create_program")
        if not by.has_perm("grants.manage_program", program):
            raise PermissionDenied(_("You can only create programs of your own municipality."))
    program.full_clean()
    program.save()
    return program


def program_settings_save(*, program: Program, saved: list, deleted: list, by) -> None:
    """Save one section of a program's settings (rounds, questions, criteria, rules...), as a whole.

    ``saved`` and ``deleted`` are the rows a page's formset changed; each must belong to the program."""
    from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

    require(by, "grants.manage_program", program)
    with transaction.atomic():
        # who changed which setting, in Django's change log (settings have no states to log)
        added = {id(i) for i in saved if i.pk is None}
        for instance in saved:
            if hasattr(instance, "program_id"):
                instance.program = program
            elif instance.budget.program_id != program.pk:  # an earmarked commitment
                raise PermissionDenied(_("You do not have permission to do this."))
            instance.save()
        for instance in deleted:
            owner = getattr(instance, "program_id", None) or instance.budget.program_id
            if owner != program.pk:
                raise PermissionDenied(_("You do not have permission to do this."))
            LogEntry.objects.log_actions(
                user_id=by.pk, queryset=[instance], action_flag=DELETION, change_message=program.name
            )
            instance.delete()
        for instance in saved:
            LogEntry.objects.log_actions(
                user_id=by.pk,
                queryset=[instance],
                action_flag=ADDITION if id(instance) in added else CHANGE,
                change_message=program.name,
            )


# ---- the decision (called by the meeting engine through grants.agenda) ----


def application_decide(*, application: Application, decision, by, locked: bool = False) -> Application:
    """Perform the application's own transition for a recorded decision (committee or delegated).

    Runs inside the transaction that records the decision.  The Decision is the one source
    of truth for amount, conditions, grant period, report due date and reasons; the
    application points at it and keeps the granted amount for the budget sums.  ``locked``:
    the caller has locked and loaded the application (with its round, program and organisation).
    """
    from workflows.meetings.services import DelegationRefused

    from .agenda import TRANSITIONS

    name = TRANSITIONS.get(decision.outcome)
    if name is None:
        raise ValidationError(_("A grant application is granted, partly granted or rejected."))
    if not locked:
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program", "organisation")
            .get(pk=application.pk)
        )
        application._conflicted_ids = None
    program = application.round.program
    if decision.delegated:
        limit = program.delegation_limit
        at_stake = max(application.requested_amount or Decimal(0), decision.amount or Decimal(0))
        if limit is None:
            raise DelegationRefused([_("The committee decides every application of this program.")])
        if at_stake >= limit:
            raise DelegationRefused(
                [
                    _(
                        "%(amount)s is not below the program's delegation limit of %(limit)s; the committee decides this."
                    )
                    % {"amount": kr(at_stake), "limit": kr(limit)}
                ]
            )
    reason = decision.reasons or str(decision.get_outcome_display())
    # Written by the transition's own save (one UPDATE with the new state).
    application.decision = decision
    application.granted_amount = decision.amount if decision.outcome in Application.GRANTED_STATES else None
    application.score = application_score(application)
    perform_transition(
        application,
        name,
        by=by,
        reason=reason[:500],
        save_fields=["decision", "granted_amount", "score"],
    )
    if decision.delegated:
        # A delegated decision may be executed at once: plan the payments and send the letter.
        if application.state in Application.GRANTED_STATES:
            # Without a registered account it is refused: the case page says so, the periodic task retries.
            with contextlib.suppress(ValidationError):
                payments_plan(application=application, by=by)
        from . import tasks

        delay_on_commit(tasks.decision_letter_make, application.pk, by.pk)
    return application


def application_decide_by_delegation(*, application: Application, data, by):
    """A caseworker holding the grant delegation decides without a meeting (below the limits);
    the decision is listed for information on the committee's next meeting."""
    from workflows.meetings.services import delegated_decision_record

    require(by, "grants.view_application", application)
    return delegated_decision_record(case=application, decision=data, by=by)


def decision_state(decision) -> dict:
    """Where a decision stands: may it be executed, is it final, until when it can be appealed."""
    from workflows.meetings.services import decision_is_final, decision_may_be_executed

    meeting = decision.item.meeting if decision.item_id else None
    pending = [a for a in decision.appeals.all() if a.pending] if decision.pk else []
    return {
        "decision": decision,
        "meeting": meeting,
        "item": decision.item if decision.item_id else None,
        "final": decision_is_final(decision),
        "executable": decision_may_be_executed(decision),
        "appealed": bool(pending),
        "posted_on": meeting.posted_on if meeting else None,
        "appeal_ends_on": meeting.appeal_ends_on if meeting else None,
    }


# ---- decision letters ----

LETTER_KIND = "decision_letter"
#: the decision letter's styles, parsed once per process (its template has only the page footer)
LETTER_CSS = Path(__file__).parent / "templates" / "documents" / "grant_decision_letter.css"


def letter_template_save(*, program: Program, outcome: str, subject: str, body: str, by):
    """Save a program's letter text; only the listed placeholders are allowed."""
    from .letters import check_placeholders
    from .models import LetterTemplate

    require(by, "grants.manage_letter_templates", program)
    if outcome not in LetterTemplate.Outcome.values:
        raise ValidationError(_("Choose which decision the letter is for."))
    errors = []
    if not subject.strip():
        errors.append(_("Write the subject of the letter."))
    if not body.strip():
        errors.append(_("Write the text of the letter."))
    for text in (subject, body):
        try:
            check_placeholders(text)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    template, _created = LetterTemplate.objects.update_or_create(
        program=program,
        outcome=outcome,
        defaults={
            "subject": subject.strip()[:200],
            "body": body.strip(),
            "updated_by": by,
            "updated_at": timezone.now(),
        },
    )
    return template


def letter_context(*, application: Application, decision) -> dict:
    """Everything the decision letter shows; the same decision always gives the same letter."""
    from .letters import letter_text, placeholder_values, template_for

    program = application.round.program
    values = placeholder_values(application, decision)
    text = letter_text(template_for(program, decision.outcome), values)
    state = decision_state(decision)
    decided_on = timezone.localtime(decision.decided_at).date()
    return {
        "application": application,
        "organisation": application.organisation,
        "program": program,
        "committee": decision.committee,
        "municipality": decision.committee.municipality,
        "decision": decision,
        "decided_on": decided_on,
        "subject": text.subject,
        "paragraphs": text.paragraphs,
        "meeting": state["meeting"],
        "item": state["item"],
        # a delegated decision's item is its report to the committee: the meeting whose posted
        # minutes start a review of legality; its letter is made again then (``_make_letters``)
        "appeal": appeal_terms(
            kind=program.appeal_kind,
            court=program.appeal_court,
            committee=decision.committee,
            case_number=application.case_number,
            decided_on=decided_on,
            delegated=decision.delegated,
            meeting=state["meeting"],
            reported=decision.delegated,
            new_letter_at_posting=True,
        ),
        "granted": decision.outcome in Application.GRANTED_STATES,
        "instalments": program.instalments,
    }


def decision_letter_make(*, application: Application, by, missing_only: bool = False):
    """Make (or find) the decision letter of the application's decision and e-mail it once.

    Safe to run any number of times and at the same time: the application row is locked,
    the same content is the same stored version, and the e-mail's key is the application and
    the letter's version.  With ``missing_only`` (the meeting's letter job) an application
    another process is making the letter of right now is skipped, and one whose decision has
    its letter already is left as it is (None is returned for both).
    """
    from django.utils import translation

    from workflows.meetings_models import Decision

    from .models import DecisionLetter

    with transaction.atomic():
        # Two joins of six and seven tables, not one of thirteen: PostgreSQL took longer to plan
        # that than to run it, for each of a meeting's thousand letters.
        application = (
            Application.objects.select_for_update(of=("self",), skip_locked=missing_only)
            .select_related("round__program__committee__municipality", "organisation", "created_by")
            # the form and its answers are not in the letter: a thousand letters need not read them
            .defer("answers", "snapshot", "eligibility", "round__snapshot")
            .filter(pk=application.pk)
            .first()
        )
        if application is None:
            if missing_only:
                return None
            raise Application.DoesNotExist
        if application.decision_id is None:
            return None
        decision = application.decision = Decision.objects.select_related(
            "committee__municipality", "decided_by", "item__meeting"
        ).get(pk=application.decision_id)
        if decision.annulled:
            return None
        if (
            missing_only
            and _current_letters(
                DecisionLetter.objects.filter(application=application, decision=decision)
            ).exists()
        ):
            return None
        with translation.override("sv"):
            context = letter_context(application=application, decision=decision)
            document = document_store(
                subject=application,
                kind=LETTER_KIND,
                title=context["subject"],
                template="documents/grant_decision_letter.html",
                context=context,
                by=by,
                stylesheets=(LETTER_CSS,),
            )
            letter, created = DecisionLetter.objects.get_or_create(
                document=document,
                defaults={
                    "application": application,
                    "decision": decision,
                    "subject": context["subject"][:300],
                },
            )
            if not created and not _current_letters(DecisionLetter.objects.filter(pk=letter.pk)).exists():
                # the same letter as before the posting (its text does not name the posting day):
                # it is issued again now
                letter.created_at = timezone.now()
                letter.save(update_fields=["created_at"])
            recipient = application.organisation.email or application.created_by.email
            outbox_enqueue(
                key=f"decision-letter:{application.pk}:v{document.version}",
                to=recipient,
                subject=context["subject"],
                template="grants/email/decision_letter.txt",
                context={
                    "application": application,
                    "letter": letter,
                    "subject": context["subject"],
                    "link": _link(application),
                },
            )
    return letter


def reported_decision_letters_remake(*, meeting, by) -> int:
    """The minutes of a meeting that delegated grant decisions were reported to are posted: the
    letter of each is made (and e-mailed) again, now with the last day to appeal, where the
    decision is reviewed for legality (that period counts from this posting).  An administrative
    appeal counts from the first letter's receipt, so those letters stay as they are."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.meetings_models import AgendaItem, Decision

    from . import tasks

    ids = list(
        Decision.objects.filter(
            item__meeting=meeting,
            item__kind=AgendaItem.Kind.INFORMATION,
            delegation__isnull=False,
            annulled=False,
            content_type=ContentType.objects.get_for_model(Application),
        ).values_list("object_id", flat=True)
    )
    ids = list(
        Application.objects.filter(pk__in=ids, decision__item__meeting=meeting)
        .exclude(round__program__appeal_kind="administrative")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for application_id in ids:
        delay_on_commit(tasks.decision_letter_make, application_id, by.pk)
    return len(ids)


def meeting_grant_items(meeting):
    """The decided grant applications of a meeting's agenda (not those reported for information)."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.meetings_models import AgendaItem

    return AgendaItem.objects.filter(
        meeting=meeting,
        kind=AgendaItem.Kind.DECISION,
        content_type=ContentType.objects.get_for_model(Application),
        decision__isnull=False,
    ).order_by("order", "pk")


def letters_ready_count(meeting) -> int:
    """How many of the meeting's decided applications have a letter of their decision at it."""
    return len(_letters_made(meeting, list(meeting_grant_items(meeting).values_list("object_id", flat=True))))


#: how long a job may wait in the queue for a worker before a new click starts another
LETTER_JOB_STALE_SECONDS = 120

#: the lock the processes making a job's letters hold while they run (``workflows.locks``)
LETTER_JOB_LOCK = "grants-letter-job"


def letter_job_start(*, meeting, by):
    """The secretary starts making the meeting's decision letters: one background job.

    A second click while a job is running shows that job instead of starting another.  A job
    marked running whose processes all stopped (a worker killed, a machine lost) holds no lock:
    it is marked stopped and a new job makes the rest at once; each letter is still made once.
    A job still waiting for a worker is given ``GRANTS_LETTER_JOB_STALE_SECONDS`` to start.
    """
    from datetime import timedelta

    from workflows.meetings_models import Meeting

    from . import tasks
    from .models import LetterJob

    require(by, "workflows.manage_meeting", meeting)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.posted_on is None:
            raise TransitionRefused(
                [
                    _(
                        "Decision letters are made once the minutes are posted: each letter states the last day to appeal."
                    )
                ]
            )
        total = meeting_grant_items(meeting).count()
        if not total:
            raise TransitionRefused([_("The meeting decided no grant applications.")])
        stale = getattr(settings, "GRANTS_LETTER_JOB_STALE_SECONDS", LETTER_JOB_STALE_SECONDS)
        waited_too_long = timezone.now() - timedelta(seconds=stale)
        for running in LetterJob.objects.filter(
            meeting=meeting, state__in=[LetterJob.State.QUEUED, LetterJob.State.RUNNING]
        ).order_by("-created_at", "-pk"):
            alive = None  # a job still in the queue has no process yet: its age tells
            if running.state == LetterJob.State.RUNNING:
                alive = locks.is_running(LETTER_JOB_LOCK, running.pk)
            if alive is None:
                alive = running.heartbeat_at >= waited_too_long
            if alive:
                return running
            stopped = _("Stopped before it was finished; a new run makes the rest.")
            LetterJob.objects.filter(pk=running.pk, finished_at__isnull=True).update(
                state=LetterJob.State.FAILED,
                errors=f"{running.errors}\n{stopped}".strip(),
                finished_at=timezone.now(),
            )
        job = LetterJob.objects.create(
            meeting=meeting, total=total, done=letters_ready_count(meeting), started_by=by
        )
        delay_on_commit(tasks.letters_generate, job.pk)
    return job


#: how many worker processes make a meeting's letters side by side (each its share of them)
LETTER_RUNNERS = 2


def letter_runners() -> int:
    return max(1, int(getattr(settings, "GRANTS_LETTER_RUNNERS", LETTER_RUNNERS)))


#: how many letters a process makes before it reads again which the others have made
LETTER_JOB_RECHECK = 25


def _current_letters(letters):
    """Of ``letters``, those made after their meeting's minutes were posted: a letter made before
    has no appeal deadline, and is made again."""
    from django.db.models import F, Q

    return letters.filter(
        Q(decision__item__isnull=True)
        | Q(decision__item__meeting__posted_at__isnull=True)
        | Q(created_at__gte=F("decision__item__meeting__posted_at"))
    )


def _letters_made(meeting, ids: list[int]) -> set[int]:
    """The applications of ``ids`` whose decision at ``meeting`` has its letter (since the posting)."""
    from .models import DecisionLetter

    letters = DecisionLetter.objects.filter(application_id__in=ids, decision__item__meeting=meeting)
    if meeting.posted_at is not None:
        letters = letters.filter(created_at__gte=meeting.posted_at)
    return set(letters.values_list("application_id", flat=True))


def letter_job_run(*, job_id: int, pause: float = 0.0, runner: int = 0, runners: int = 1):
    """Make every letter of the job's meeting that is missing, reporting progress as it goes.

    ``runners`` processes may run the same job at once (``runner`` is this one's number): each
    starts at its own share of the list and goes round it, skipping letters another process is
    making or has made, so together they make each letter once.  The process that sees every
    letter made (or failed) marks the job finished.  Each holds the job's lock while it runs:
    a job marked running whose lock nobody holds has stopped (see ``letter_job_start``).
    """
    with locks.held_while_running(LETTER_JOB_LOCK, job_id):
        return _letter_job_run(job_id, pause=pause, runner=runner, runners=runners)


def _letter_job_run(job_id: int, *, pause: float, runner: int, runners: int):
    import time

    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from .models import LetterJob

    job = LetterJob.objects.select_related("meeting", "started_by").get(pk=job_id)
    if job.finished:
        return job
    LetterJob.objects.filter(pk=job.pk).update(state=LetterJob.State.RUNNING, heartbeat_at=timezone.now())
    meeting = job.meeting
    ids = list(meeting_grant_items(meeting).values_list("object_id", flat=True))
    start = len(ids) * (runner % runners) // runners
    failed = 0
    made: set[int] = set()
    for n, application_id in enumerate(ids[start:] + ids[:start]):
        if n % LETTER_JOB_RECHECK == 0:
            # Which letters the other processes have made meanwhile, read at once: going round
            # the list, a process would otherwise lock and look at each of them in turn.
            made = _letters_made(meeting, ids)
        if application_id in made:
            continue
        if pause:
            time.sleep(pause)
        try:
            letter = decision_letter_make(
                application=Application(pk=application_id), by=job.started_by, missing_only=True
            )
        except Exception as exc:  # noqa: BLE001 - one failing letter must not stop the others
            failed += 1
            LetterJob.objects.filter(pk=job.pk).update(
                failed=F("failed") + 1,
                errors=Concat(F("errors"), Value(f"{application_id}: {exc}"[:300] + "\n")),
                heartbeat_at=timezone.now(),
            )
            continue
        if letter is not None:
            LetterJob.objects.filter(pk=job.pk).update(done=F("done") + 1, heartbeat_at=timezone.now())
    done = letters_ready_count(meeting)
    job.refresh_from_db()
    if done + job.failed >= job.total and not job.finished:
        LetterJob.objects.filter(pk=job.pk, finished_at__isnull=True).update(
            state=LetterJob.State.FAILED if job.failed else LetterJob.State.DONE,
            done=done,
            errors=job.errors.strip(),
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        job.refresh_from_db()
    return job


# ---- payments ----


def _split(amount: Decimal, parts: int) -> list[Decimal]:
    """Equal parts in whole kronor; the last part takes what is left."""
    share = (amount / parts).quantize(Decimal("1"), rounding="ROUND_DOWN")
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


def _due_dates(decision, parts: int) -> list[date]:
    """The first part is due now (or when the grant period starts); the others spread over it."""
    from datetime import timedelta

    today = timezone.localdate()
    start = max(today, decision.period_start) if decision.period_start else today
    end = decision.period_end if decision.period_end and decision.period_end > start else None
    span = (end - start) if end else timedelta(days=365)
    return [start + span * i / parts for i in range(parts)]


def payments_plan(*, application: Application, by) -> list:
    """Plan the payments of a granted application, once its decision may be executed.

    Only to the organisation's account in effect, the one every municipality where it is active
    has verified (copied onto each payment; a new account still waiting for verification is never
    used); refused with a clear message when there is none.  Planning twice plans once.
    """
    from workflows.meetings.services import decision_may_be_executed

    from .models import Payment

    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program", "organisation", "decision__item__meeting")
            .get(pk=application.pk)
        )
        decision = application.decision
        if application.state not in Application.GRANTED_STATES or decision is None or not decision.amount:
            raise ValidationError(_("Only a granted application is paid out."))
        existing = list(Payment.objects.filter(decision=decision).order_by("instalment"))
        if existing:
            return existing
        if not decision_may_be_executed(decision):
            raise TransitionRefused(
                [_("The decision may not be executed yet: the minutes of the meeting are not approved.")]
            )
        organisation = application.organisation
        if not (organisation.account_type and organisation.account_number):
            raise ValidationError(
                _(
                    "%(organisation)s has no verified bankgiro or plusgiro account. "
                    "The grant is paid only to the account in the organisation register: "
                    "once the organisation's signatory has registered one and every municipality "
                    "where it is active has verified it, the payment is planned."
                )
                % {"organisation": organisation.name}
            )
        parts = application.round.program.instalments or 1
        payments = []
        for number, (amount, due) in enumerate(
            zip(_split(decision.amount, parts), _due_dates(decision, parts), strict=True), start=1
        ):
            reference = (
                f"{application.case_number} {number}/{parts}" if parts > 1 else application.case_number
            )
            payments.append(
                Payment.objects.create(
                    application=application,
                    decision=decision,
                    municipality_id=application.round.program.municipality_id,
                    instalment=number,
                    instalments=parts,
                    amount=amount,
                    due_on=due,
                    organisation_name=organisation.name,
                    org_number=organisation.org_number,
                    account_type=organisation.account_type,
                    account_number=organisation.account_number,
                    reference=reference[:60],
                )
            )
    return payments


#: how far back the hourly catch-up scans (payments, follow-up reports) look for decisions
CATCH_UP_DAYS = 400


def catch_up_since() -> datetime:
    """Decisions made since this moment are caught up by the periodic scans.

    Payments and follow-up reports are made when a decision may be executed (by the service that
    approves the minutes or makes the delegated decision); the hourly scans only catch what that
    missed, such as an organisation that registered its account later.  A decision older than
    ``GRANTS_CATCH_UP_DAYS`` (400 by default) that still has neither is a matter for the
    caseworker, not for a scan over ten years of grants, and a grant imported from before Bidra
    must not get a report that is overdue the day it is made.
    """
    from datetime import timedelta

    return timezone.now() - timedelta(days=getattr(settings, "GRANTS_CATCH_UP_DAYS", CATCH_UP_DAYS))


def payments_create_due() -> dict:
    """Periodic (and after minutes are approved): plan the payments of every granted application
    whose decision may now be executed.  Returns how many were planned and refused."""
    from django.db.models import Q

    from workflows.meetings_models import Meeting
    from workflows.services import system_user

    approved = (Meeting.State.MINUTES_APPROVED, Meeting.State.POSTED, Meeting.State.FINAL)
    candidates = (
        Application.objects.filter(
            state__in=Application.GRANTED_STATES,
            decision__isnull=False,
            decision__annulled=False,
            decision__decided_at__gte=catch_up_since(),
            payments__isnull=True,
        )
        .filter(Q(decision__delegation__isnull=False) | Q(decision__item__meeting__state__in=approved))
        .values_list("pk", flat=True)
        .distinct()
    )
    by = system_user()
    result = {"planned": 0, "refused": 0}
    for pk in list(candidates):
        try:
            payments_plan(application=Application(pk=pk), by=by)
        except (ValidationError, TransitionRefused):
            result["refused"] += 1
        else:
            result["planned"] += 1
    return result


def payments_export(*, by, due_until: date | None = None):
    """Export the planned payments due by ``due_until`` as one batch for the finance system."""
    from organizations.permissions import staff_municipality_ids

    from .models import Payment, PaymentBatch
    from .permissions import CASEWORKER, PROGRAM_ADMIN
    from .selectors import payments_managed

    require(by, "grants.use_payments")
    due_until = due_until or timezone.localdate()
    municipality_id = min(staff_municipality_ids(by, (CASEWORKER, PROGRAM_ADMIN)))
    with transaction.atomic():
        payments = list(
            payments_managed(user=by)
            .filter(
                state=Payment.State.PLANNED,
                due_on__lte=due_until,
                municipality_id=municipality_id,
            )
            .select_for_update(of=("self",))
            .order_by("due_on", "pk")
        )
        payments = [p for p in payments if by.has_perm("grants.manage_payment", p)]
        if not payments:
            raise ValidationError(_("There are no planned payments due by %(date)s.") % {"date": due_until})
        batch = PaymentBatch.objects.create(municipality_id=municipality_id, created_by=by)
        for payment in payments:
            perform_transition(payment, "export", by=by, reason=_("Payment file %(no)s") % {"no": batch.pk})
            payment.batch = batch
            payment.save(update_fields=["batch"])
        batch.count = len(payments)
        batch.total = sum((p.amount for p in payments), Decimal(0))
        batch.save(update_fields=["count", "total"])
    return batch


def payment_mark_paid(*, payment, by, paid_on: date | None = None):
    from .models import Payment

    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError(_("A payment cannot be paid on a future date."))
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("application__round__program")
            .get(pk=payment.pk)
        )
        perform_transition(payment, "mark_paid", by=by, reason=_("Paid on %(date)s") % {"date": paid_on})
        payment.paid_on = paid_on
        payment.save(update_fields=["paid_on"])
    return payment


def payment_batch_mark_paid(*, batch, by, paid_on: date | None = None) -> int:
    """The finance system has paid the whole file: every exported payment of it is paid."""
    from .models import Payment

    count = 0
    with transaction.atomic():
        for payment in batch.payments.filter(state=Payment.State.EXPORTED).order_by("pk"):
            payment_mark_paid(payment=payment, by=by, paid_on=paid_on)
            count += 1
    if not count:
        raise TransitionRefused([_("Every payment of this file is already paid or cancelled.")])
    return count


def payment_cancel(*, payment, by, reason: str):
    from .models import Payment

    if not reason.strip():
        raise ValidationError(_("Write why the payment is cancelled."))
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("application__round__program")
            .get(pk=payment.pk)
        )
        perform_transition(payment, "cancel", by=by, reason=reason.strip()[:500])
    return payment


def payments_cancel_for_annulled_decision(*, decision, by) -> list:
    """Cancel the unpaid parts of a decision annulled on appeal; paid parts stay paid (a reclaim
    is its own decision).  Runs inside the transaction that records the appeal's outcome."""
    from workflows.services import system_user

    from .models import Payment

    reason = _("The decision was annulled on appeal (recorded by %(name)s).") % {
        "name": by.get_full_name() or by.email
    }
    unpaid = Payment.objects.filter(
        decision=decision, state__in=[Payment.State.PLANNED, Payment.State.EXPORTED]
    )
    return [payment_cancel(payment=p, by=system_user(), reason=reason) for p in unpaid.order_by("instalment")]
