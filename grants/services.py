"""Changes to programs, rounds and applications.  Views, the API, tasks and the demo call these."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organisation, OrganisationDocument
from organizations.selectors import document_status
from organizations.services import document_check_upload
from workflows.deadlines import add_working_days
from workflows.services import (
    TransitionRefused,
    case_number_register,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
)

from . import eligibility as elig
from . import flows
from .models import (
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
from .scoring import application_score, assessment_weighted

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
        locked = Round.objects.select_for_update().select_related("program").get(pk=round.pk)
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
    if round.late_rule == Round.LateRule.REFUSE:
        return Lateness(False, weeks)
    if round.late_rule == Round.LateRule.DEDUCT:
        return Lateness(True, weeks, min(Decimal("100"), round.late_deduction_percent * weeks))
    return Lateness(True, weeks)


# ---- what an application still lacks ----


def _answered(value) -> bool:
    return value not in (None, "", [], {})


def missing_answers(application: Application) -> list[str]:
    missing = []
    if not application.title.strip():
        missing.append(_("Title"))
    for field in application.snapshot.get("fields", []):
        if field["kind"] == FormField.Kind.FILE or not field["required"]:
            continue
        if not _answered(application.answers.get(field["key"])):
            missing.append(field["label"])
    return missing


def _current_register_documents(organisation: Organisation) -> dict[str, OrganisationDocument]:
    return {s.doc_type: s.current for s in document_status(organisation=organisation) if s.current}


def missing_attachments(application: Application) -> list[str]:
    uploaded = set(application.files.values_list("key", flat=True))
    register = None
    missing = []
    for item in application.snapshot.get("attachments", []):
        if not item["required"] or item["key"] in uploaded:
            continue
        if item["doc_type"]:
            if register is None:
                register = _current_register_documents(application.organisation)
            if item["doc_type"] in register:
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
    if kind in (FormField.Kind.NUMBER, FormField.Kind.AMOUNT):
        try:
            number = Decimal(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError(_("%(label)s: enter a number.") % {"label": field["label"]}) from exc
        if kind == FormField.Kind.AMOUNT and number < 0:
            raise ValidationError(_("%(label)s: the amount cannot be negative.") % {"label": field["label"]})
        return str(number)
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
    return str(value)


def application_save(
    *,
    application: Application,
    by,
    title: str | None = None,
    requested_amount=None,
    answers: dict | None = None,
    democracy_declaration: bool | None = None,
) -> Application:
    """Save the draft; nothing is required yet (submission checks that)."""
    require(by, "grants.act_for_application", application)
    if application.state != S.DRAFT:
        raise ValidationError(_("Only a draft can be changed."), code="not_draft")
    fields = {f["key"]: f for f in application.snapshot.get("fields", []) if f["kind"] != FormField.Kind.FILE}
    cleaned = dict(application.answers)
    errors = []
    for key, value in (answers or {}).items():
        if key not in fields:
            continue
        try:
            cleaned[key] = _clean_answer(fields[key], value)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if requested_amount not in (None, ""):
        try:
            requested_amount = Decimal(str(requested_amount))
        except InvalidOperation:
            errors.append(_("Amount applied for: enter a number."))
        else:
            if requested_amount < 0:
                errors.append(_("Amount applied for: the amount cannot be negative."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.state != S.DRAFT:
            raise ValidationError(_("Only a draft can be changed."), code="not_draft")
        if title is not None:
            application.title = title.strip()[:200]
        if requested_amount is not None:
            application.requested_amount = requested_amount if requested_amount != "" else None
        if democracy_declaration is not None:
            application.democracy_declaration = democracy_declaration
        application.answers = cleaned
        application.save(
            update_fields=["title", "requested_amount", "democracy_declaration", "answers", "updated_at"]
        )
    return application


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


def application_submit(*, application: Application, by) -> Application:
    """The applicant submits: checked, registered with a case number, receipt and PDF after commit."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("round__program__committee__municipality", "organisation")
            .get(pk=application.pk)
        )
        require(by, "grants.act_for_application", application)
        if application.state != S.DRAFT:
            raise TransitionRefused([_("The application has already been submitted.")])
        round = application.round
        late = lateness(round)
        reasons = []
        if not late.accepted:
            reasons.append(
                _("The round is not open: applications were accepted %(opens)s–%(closes)s.")
                % {
                    "opens": timezone.localtime(round.opens_at).strftime("%Y-%m-%d %H:%M"),
                    "closes": timezone.localtime(round.closes_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        missing = missing_answers(application)
        if missing:
            reasons.append(_("Answer the required questions: %(list)s.") % {"list": ", ".join(missing)})
        missing = missing_attachments(application)
        if missing:
            reasons.append(_("Add the required attachments: %(list)s.") % {"list": ", ".join(missing)})
        if reasons:
            raise TransitionRefused(reasons)
        application.late_weeks = late.weeks if timezone.now() >= round.closes_at else 0
        application.late_deduction_percent = late.percent
        application.submitted_at = timezone.now()
        application.eligibility = [
            r.as_dict()
            for r in elig.evaluate(
                rules=application.snapshot.get("rules", []),
                organisation=application.organisation,
                municipality_id=round.program.municipality_id,
                declaration=application.democracy_declaration,
                year=round.year,
            )
        ]
        perform_transition(application, "submit", by=by, reason="")
        _link_register_documents(application, by)
        program = round.program
        case_number_register(
            committee=program.committee,
            title=f"{program.name}: {application.organisation.name}",
            case=application,
            by=by,
        )
        flows.flow_start(application=application)
        outbox_enqueue(
            key=f"grant-receipt:{application.pk}",
            to=by.email,
            subject=_("We have received your application %(number)s") % {"number": application.case_number},
            template="grants/email/receipt.txt",
            context={"application": application, "link": _link(application)},
        )
        from . import tasks

        tasks.application_document.delay_on_commit(application.pk, by.pk)
    return application


def _link(application: Application) -> str:
    return settings.SITE_URL + reverse("grants:application_detail", kwargs={"pk": application.pk})


def _link_register_documents(application: Application, by) -> None:
    """Attachments the register has a current document for are taken from the register."""
    uploaded = set(application.files.values_list("key", flat=True))
    register = None
    for item in application.snapshot.get("attachments", []):
        if not item["doc_type"] or item["key"] in uploaded:
            continue
        if register is None:
            register = _current_register_documents(application.organisation)
        document = register.get(item["doc_type"])
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
            Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)
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


def application_dismiss(*, application: Application, by, reason: str) -> Application:
    if not reason.strip():
        raise ValidationError(_("Write why the application is dismissed."), code="required")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        perform_transition(application, "dismiss", by=by, reason=reason)
        flows.flow_close(application=application, by=by)
    return application


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
    cleaned: dict[str, dict] = {}
    errors = []
    for criterion in criteria:
        key = str(criterion["id"])
        entry = scores.get(key) or scores.get(criterion["id"]) or {}
        na = bool(entry.get("na"))
        score = entry.get("score")
        if na and not criterion["allow_na"]:
            errors.append(_("%(name)s: “not applicable” is not allowed.") % {"name": criterion["name"]})
            na = False
        if score in (None, "") or na:
            score = None
        else:
            try:
                score = int(score)
            except (TypeError, ValueError):
                errors.append(_("%(name)s: the score must be a whole number.") % {"name": criterion["name"]})
                continue
            if not criterion["scale_min"] <= score <= criterion["scale_max"]:
                errors.append(
                    _("%(name)s: the score must be between %(min)s and %(max)s.")
                    % {
                        "name": criterion["name"],
                        "min": criterion["scale_min"],
                        "max": criterion["scale_max"],
                    }
                )
                continue
        if complete and score is None and not na:
            errors.append(
                _("%(name)s: give a score or mark it not applicable.") % {"name": criterion["name"]}
            )
        cleaned[key] = {"score": score, "na": na, "comment": str(entry.get("comment", ""))[:2000]}
    if errors:
        raise ValidationError(errors)
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
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, TypeError) as exc:
        raise ValidationError(_("Enter the proposed amount in kronor."), code="amount") from exc
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."), code="amount")
    if not (motivation or "").strip():
        raise ValidationError(_("Write a motivation for the proposal."), code="motivation")
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
