"""Submitting an application: the checks of rule 2 and 3 and the registration of the case.

An application is submitted only while its round is open (or under its late rule), with every
required answer and attachment and the eligibility rules passed; the transition, its StateLog
row, the case number and the start of the case's process commit together or not at all.  The
receipt and the PDF of the application are made after commit.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from correspondence.models import Message
from correspondence.services import message_record
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

from .. import consequences, flows
from .. import eligibility as elig
from ..models import (
    Application,
    ApplicationAttachment,
    FormField,
    Program,
)
from .applications import (
    _DRAFT_FIELDS,
    _attachment_facts,
    _AttachmentFacts,
    _clean_answer,
    _draft_changed,
    _earlier_application,
    _missing_answers,
    _too_long,
    application_save,
    missing_attachments,
)
from .programs import Lateness, lateness

S = Application.State


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
        # What the submission causes in the apps built on grants (an award round's application
        # makes or joins the organisation's candidate): with the submission, both or neither.
        consequences.submitted(application=application, by=by)
        from .. import tasks

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
    from ..selectors import application_answers_display

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
        from .fl import decision_requests_close

        decision_requests_close(application_ids=[application.pk], outcome="withdrawn", by=by)
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
        message_record(
            case=application,
            by=by,
            side=Message.Side.ORGANISATION,
            body=answer,
            kind=Message.Kind.COMPLETION_ANSWER,
            notify=True,
        )
        flows.flow_completion_answered(application=application)
    return application
