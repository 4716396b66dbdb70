"""Follow-up reports and reclaims: every change of their data and state goes through here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.services import document_check_upload
from workflows.appeals import appeal_terms
from workflows.deadlines import is_working_day, next_working_day
from workflows.services import (
    TransitionRefused,
    case_number_register,
    document_store,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
)
from workflows.templatetags.bidra import kr

from ..models import Application, FormField, Program
from ..snapshots import form_fields_snapshot
from .models import (
    CommitmentTemplate,
    FollowUpReport,
    Reclaim,
    ReportAttachment,
    ReportCommitment,
    ReportingRequirement,
    ReportReminder,
)

R = FollowUpReport.State
RC = Reclaim.State


# ---- the requirement ----


def requirement_of(program: Program) -> ReportingRequirement:
    """The program's requirement; an unsaved default (30 April, reminders 30 and 7 days) when none is kept."""
    try:
        return program.reporting
    except ReportingRequirement.DoesNotExist:
        return ReportingRequirement(program=program)


def requirement_save(*, program: Program, by, **fields) -> ReportingRequirement:
    require(by, "grants.manage_reporting", program)
    requirement = requirement_of(program)
    for name, value in fields.items():
        setattr(requirement, name, value)
    requirement.full_clean()
    requirement.save()
    return requirement


def report_due_date(*, program: Program, decision, year: int) -> dt.date:
    """The decision's report due date, else the program's rule; moved off weekends and holidays."""
    if decision is not None and decision.report_due:
        return next_working_day(decision.report_due)
    requirement = requirement_of(program)
    if requirement.due_rule == ReportingRequirement.DueRule.DAYS_AFTER_PERIOD:
        end = (decision.period_end if decision is not None else None) or dt.date(year, 12, 31)
        return next_working_day(end + dt.timedelta(days=requirement.days_after))
    month, day = requirement.due_month, requirement.due_day
    while True:
        try:
            return next_working_day(dt.date(year + 1, month, day))
        except ValueError:  # e.g. 31 April: the last day of the month
            day -= 1


def _form_snapshot(program: Program, requirement: ReportingRequirement) -> dict:
    return {
        "taken_at": timezone.now().isoformat(),
        "instructions": requirement.instructions,
        "fields": form_fields_snapshot(program.report_fields.order_by("order", "pk")),
    }


def report_create(*, application: Application, by) -> FollowUpReport | None:
    """The report a granted application owes, once its decision may be executed (idempotent).

    Its due date comes from the decision or the program's rule; the program's usual
    commitments (motprestation) are copied onto it, and the caseworker may add the
    decision's own.  Returns None when the program asks for no report.
    """
    from workflows.meetings.services import decision_may_be_executed

    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round__program", "decision", "organisation")
            .get(pk=application.pk)
        )
        existing = FollowUpReport.objects.filter(application=application).first()
        if existing is not None:
            return existing
        decision = application.decision
        if application.state not in Application.GRANTED_STATES or decision is None:
            return None
        if not decision_may_be_executed(decision):
            return None
        program = application.round.program
        requirement = requirement_of(program)
        if not requirement.enabled:
            return None
        due_on = report_due_date(program=program, decision=decision, year=application.round.year)
        period_end = decision.period_end or dt.date(application.round.year, 12, 31)
        opens_on = min(period_end, due_on)
        if requirement.reminder_offsets:
            opens_on = min(opens_on, due_on - dt.timedelta(days=requirement.reminder_offsets[0]))
        report = FollowUpReport.objects.create(
            application=application,
            organisation=application.organisation,
            program=program,
            decision=decision,
            case_number=application.case_number,
            registered_at=timezone.now(),
            opens_on=opens_on,
            due_on=due_on,
            snapshot=_form_snapshot(program, requirement),
        )
        ReportCommitment.objects.bulk_create(
            ReportCommitment(report=report, label=t.label, unit=t.unit, planned=t.planned, order=t.order)
            for t in CommitmentTemplate.objects.filter(program=program)
        )
        if opens_on <= timezone.localdate():
            perform_transition(report, "open", by=system_user(), reason=_("The grant period has ended."))
    return report


def reports_create_due() -> int:
    """Periodic (and when minutes are approved): a report for every granted application whose
    decision may now be executed and that has none yet (decided within the catch-up window of
    ``grants.services.catch_up_since``)."""
    from django.db.models import Q

    from workflows.meetings_models import Meeting

    from ..services import catch_up_since

    approved = (Meeting.State.MINUTES_APPROVED, Meeting.State.POSTED, Meeting.State.FINAL)
    candidates = (
        Application.objects.filter(
            state__in=Application.GRANTED_STATES,
            decision__isnull=False,
            decision__annulled=False,
            decision__decided_at__gte=catch_up_since(),
            followup_report__isnull=True,
        )
        .filter(Q(decision__delegation__isnull=False) | Q(decision__item__meeting__state__in=approved))
        .values_list("pk", flat=True)
    )
    by = system_user()
    created = 0
    for pk in list(candidates):
        if report_create(application=Application(pk=pk), by=by) is not None:
            created += 1
    return created


# ---- the grantee fills in the report ----


def report_missing_answers(report: FollowUpReport) -> list[str]:
    from ..services import _answered

    uploaded = None
    missing = []
    for field in report.snapshot.get("fields", []):
        if not field["required"]:
            continue
        if field["kind"] == FormField.Kind.FILE:
            if uploaded is None:
                uploaded = set(report.files.values_list("key", flat=True))
            if field["key"] not in uploaded:
                missing.append(field["label"])
        elif not _answered(report.answers.get(field["key"])):
            missing.append(field["label"])
    for commitment in report.commitments.all():
        if commitment.achieved is None:
            missing.append(_("Achieved: %(commitment)s") % {"commitment": commitment.label})
    return missing


def _refuse_unless_editable(report: FollowUpReport) -> None:
    if report.state in (R.SUBMITTED,):
        raise TransitionRefused(
            [
                _("The report %(case)s has already been submitted; the caseworker is reviewing it.")
                % _names(report)
            ]
        )
    if report.state == R.APPROVED:
        raise TransitionRefused(
            [_("The report %(case)s is approved; it can no longer be changed.") % _names(report)]
        )
    if report.state == R.NOT_APPROVED:
        raise TransitionRefused(
            [_("The report %(case)s was not approved; it can no longer be changed.") % _names(report)]
        )


def _names(report: FollowUpReport) -> dict:
    return {"case": report.case_number, "program": report.program.name, "due": report.due_on.isoformat()}


def _require_grantee(report: FollowUpReport, by) -> None:
    if not by.has_perm("grants.act_for_report", report):
        raise PermissionDenied(_("You can only report for an organisation you act for."))


def report_save(
    *,
    report: FollowUpReport,
    by,
    answers: dict | None = None,
    achieved: dict | None = None,
    uploads: dict | None = None,
) -> FollowUpReport:
    """Save what the grantee has filled in so far (nothing is required until submission).

    ``answers`` by field key; ``achieved`` {commitment id: (figure or None, comment)};
    ``uploads`` {field key: uploaded file}.
    """
    from ..services import _clean_answer

    _require_grantee(report, by)
    fields = {f["key"]: f for f in report.snapshot.get("fields", [])}
    errors = []
    cleaned = {}
    for key, value in (answers or {}).items():
        if key in fields and fields[key]["kind"] != FormField.Kind.FILE:
            try:
                cleaned[key] = _clean_answer(fields[key], value)
            except ValidationError as exc:
                errors.extend(exc.messages)
    figures = {}
    for pk, (figure, comment) in (achieved or {}).items():
        if figure in (None, ""):
            figures[int(pk)] = (None, comment or "")
            continue
        try:
            number = Decimal(str(figure).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            errors.append(_("Achieved: enter a number."))
            continue
        if number < 0:
            errors.append(_("Achieved: the figure cannot be negative."))
            continue
        figures[int(pk)] = (number, comment or "")
    checked_uploads = {}
    for key, upload in (uploads or {}).items():
        if key not in fields or fields[key]["kind"] != FormField.Kind.FILE or upload is None:
            continue
        try:
            checked_uploads[key] = (upload, document_check_upload(upload))
        except ValidationError as exc:
            errors.extend(f"{fields[key]['label']}: {m}" for m in exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = (
            FollowUpReport.objects.select_for_update(of=("self",)).select_related("program").get(pk=report.pk)
        )
        _refuse_unless_editable(report)
        report.answers = {**report.answers, **cleaned}
        report.save(update_fields=["answers", "updated_at"])
        for commitment in report.commitments.filter(pk__in=list(figures)):
            commitment.achieved, commitment.comment = figures[commitment.pk]
            commitment.save(update_fields=["achieved", "comment"])
        for key, (upload, mime) in checked_uploads.items():
            attachment = ReportAttachment(
                report=report,
                key=key,
                original_name=(upload.name or "bilaga")[-200:],
                content_type=mime,
                size=upload.size,
                uploaded_by=by,
            )
            attachment.file.save("upload", upload, save=False)
            attachment.save()
    return report


def report_link(report: FollowUpReport) -> str:
    return settings.SITE_URL + reverse("reporting:report_detail", kwargs={"pk": report.pk})


def report_submit(*, report: FollowUpReport, by) -> FollowUpReport:
    """The grantee submits (or, after a completion request, resubmits) the report."""
    with transaction.atomic():
        report = (
            FollowUpReport.objects.select_for_update(of=("self",)).select_related("program").get(pk=report.pk)
        )
        _require_grantee(report, by)
        _refuse_unless_editable(report)
        missing = report_missing_answers(report)
        if missing:
            raise TransitionRefused(
                [_("Answer the required questions: %(list)s.") % {"list": ", ".join(missing)}]
            )
        name = "resubmit" if report.state == R.COMPLETION_REQUESTED else "submit"
        perform_transition(report, name, by=by, reason="")
        report.submitted_at = timezone.now()
        report.first_submitted_at = report.first_submitted_at or report.submitted_at
        report.submitted_by = by
        report.save(update_fields=["submitted_at", "first_submitted_at", "submitted_by", "updated_at"])
        outbox_enqueue(
            key=f"report-received:{report.pk}:{report.submitted_at.isoformat()}",
            to=by.email,
            subject=_("We have received your follow-up report %(case)s") % {"case": report.case_number},
            template="grants/reporting/email/received.txt",
            context={"report": report, "link": report_link(report)},
        )
    return report


# ---- the caseworker reviews ----


def _grantee_email(report_or_reclaim) -> str:
    organisation = report_or_reclaim.organisation
    if organisation.email:
        return organisation.email
    return report_or_reclaim.application.created_by.email


def _review(report: FollowUpReport, name: str, *, by, reason: str = "", **fields) -> FollowUpReport:
    with transaction.atomic():
        report = (
            FollowUpReport.objects.select_for_update(of=("self",))
            .select_related("program", "organisation", "application__created_by")
            .get(pk=report.pk)
        )
        perform_transition(report, name, by=by, reason=reason[:500])
        for key, value in fields.items():
            setattr(report, key, value)
        report.reviewed_at = timezone.now()
        report.reviewed_by = by
        report.save()
        outbox_enqueue(
            key=f"report-reviewed:{report.pk}:{name}:{report.reviewed_at.isoformat()}",
            to=_grantee_email(report),
            subject=_("Your follow-up report %(case)s: %(state)s")
            % {"case": report.case_number, "state": report.get_state_display()},
            template="grants/reporting/email/reviewed.txt",
            context={"report": report, "link": report_link(report)},
        )
    return report


def report_approve(*, report: FollowUpReport, by, reason: str = "") -> FollowUpReport:
    return _review(report, "approve", by=by, reason=reason, outcome_reasons=reason)


def report_request_completion(*, report: FollowUpReport, by, message: str) -> FollowUpReport:
    if not message.strip():
        raise ValidationError(_("Say what needs to be completed."))
    return _review(report, "request_completion", by=by, reason=message, completion_message=message.strip())


def report_reject(*, report: FollowUpReport, by, reason: str) -> FollowUpReport:
    if not reason.strip():
        raise ValidationError(_("Give the reasons why the report is not approved."))
    return _review(report, "reject", by=by, reason=reason, outcome_reasons=reason.strip())


def report_notes_save(*, report: FollowUpReport, by, notes: str) -> FollowUpReport:
    require(by, "grants.handle_report", report)
    FollowUpReport.objects.filter(pk=report.pk).update(review_notes=notes.strip(), updated_at=timezone.now())
    report.review_notes = notes.strip()
    return report


def report_commitment_add(
    *, report: FollowUpReport, by, label: str, planned, unit: str = ""
) -> ReportCommitment:
    """The decision adds a commitment (motprestation) to the grant, with its planned figure."""
    require(by, "grants.handle_report", report)
    if not label.strip():
        raise ValidationError(_("Describe the commitment."))
    try:
        planned = Decimal(str(planned))
    except (InvalidOperation, TypeError) as exc:
        raise ValidationError(_("Planned: enter a number.")) from exc
    if planned < 0:
        raise ValidationError(_("Planned: the figure cannot be negative."))
    with transaction.atomic():
        report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if report.state not in FollowUpReport.EDITABLE_STATES:
            raise TransitionRefused([_("Commitments can be added only before the report is submitted.")])
        order = (report.commitments.aggregate(m=Max("order"))["m"] or 0) + 1
        return ReportCommitment.objects.create(
            report=report, label=label.strip()[:300], unit=unit.strip()[:40], planned=planned, order=order
        )


# ---- the timer and the reminders ----


def reports_advance(*, today: dt.date | None = None) -> dict:
    """Upcoming reports open when they may be submitted; unsubmitted ones become overdue after
    their due date.  Indexed on (state, opens_on) and (state, due_on); safe to run twice."""
    today = today or timezone.localdate()
    by = system_user()
    result = {"opened": 0, "overdue": 0}
    overdue_ids = FollowUpReport.objects.filter(state__in=[R.UPCOMING, R.DUE], due_on__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(overdue_ids):
        if _timer_step(pk, "mark_overdue", by, _("The due date has passed.")):
            result["overdue"] += 1
    opening_ids = FollowUpReport.objects.filter(state=R.UPCOMING, opens_on__lte=today).values_list(
        "pk", flat=True
    )
    for pk in list(opening_ids):
        if _timer_step(pk, "open", by, _("The report may now be submitted.")):
            result["opened"] += 1
    return result


def _timer_step(pk: int, name: str, by, reason: str) -> bool:
    with transaction.atomic():
        report = FollowUpReport.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if report is None:
            return False
        try:
            perform_transition(report, name, by=by, reason=reason)
        except TransitionRefused:
            return False
    return True


def _reminder_kind(
    report: FollowUpReport, offsets: list[int], today: dt.date
) -> tuple[str, list[str]] | None:
    """The reminder due today for ``report`` and the earlier kinds it replaces (passed over)."""
    if report.state == R.OVERDUE or today > report.due_on:
        return "overdue", []
    if today == report.due_on:
        return "on_day", [f"before:{n}" for n in offsets]
    passed = [n for n in offsets if report.due_on - dt.timedelta(days=n) <= today]
    if not passed:
        return None
    nearest = min(passed)
    return f"before:{nearest}", [f"before:{n}" for n in passed if n != nearest]


def reminders_send_due(*, today: dt.date | None = None) -> int:
    """Send today's reminders: before the due date (the program's days), on the day and when overdue.

    Only on working days (a reminder whose day is a weekend or holiday goes out on the next
    working day).  Each reminder is a unique ``ReportReminder`` row written in the same
    transaction as its outbox message, so running twice, or after a crash, sends each once.
    """
    today = today or timezone.localdate()
    if not is_working_day(today):
        return 0
    # Only what can have a reminder due today: reports due within the largest reminder offset
    # (a program without a saved requirement uses the default offsets), and past-due reports whose
    # overdue reminder has not gone out (NOT EXISTS on the reminder's unique (report, kind) index).
    # The reports that got theirs long ago are not read again, however many years they pile up.
    default_offsets = ReportingRequirement().reminder_offsets
    horizon = max(
        [
            0,
            *default_offsets,
            *(max(r.reminder_offsets, default=0) for r in ReportingRequirement.objects.all()),
        ]
    )
    overdue_sent = ReportReminder.objects.filter(report=OuterRef("pk"), kind="overdue")
    candidates = (
        FollowUpReport.objects.filter(state__in=[R.UPCOMING, R.DUE, R.OVERDUE])
        .filter(
            Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=horizon))
            | (Q(due_on__lt=today) & ~Exists(overdue_sent))
            | (Q(state=R.OVERDUE) & ~Exists(overdue_sent))
        )
        .select_related("program__reporting", "organisation", "application__created_by")
        .prefetch_related("reminders")
        .order_by("due_on", "pk")
    )
    sent = 0
    for report in candidates:
        offsets = requirement_of(report.program).reminder_offsets
        chosen = _reminder_kind(report, offsets, today)
        if chosen is None:
            continue
        kind, passed_over = chosen
        done = {r.kind for r in report.reminders.all()}
        if kind in done:
            continue
        if _reminder_send(report, kind, [k for k in passed_over if k not in done], today):
            sent += 1
    return sent


def _reminder_send(report: FollowUpReport, kind: str, passed_over: list[str], today: dt.date) -> bool:
    try:
        with transaction.atomic():
            reminder = ReportReminder.objects.create(report=report, kind=kind, sent_on=today)
            for other in passed_over:
                ReportReminder.objects.get_or_create(
                    report=report, kind=other, defaults={"sent_on": today, "skipped": True}
                )
            subjects = {
                "before": _("The follow-up report %(case)s is due on %(due)s"),
                "on_day": _("The follow-up report %(case)s is due today"),
                "overdue": _("The follow-up report %(case)s is overdue"),
            }
            reminder.message = outbox_enqueue(
                key=f"report-reminder:{report.pk}:{kind}",
                to=_grantee_email(report),
                subject=subjects[kind.split(":")[0]] % _names(report),
                template="grants/reporting/email/reminder.txt",
                context={
                    "report": report,
                    "kind": kind.split(":")[0],
                    "days": (report.due_on - today).days,
                    "link": report_link(report),
                },
            )
            reminder.save(update_fields=["message"])
    except IntegrityError:  # another run sent it a moment ago
        return False
    return True


# ---- what blocks new applications (eligibility hooks) ----


def overdue_report_reason(organisation) -> str | None:
    reports = list(
        FollowUpReport.objects.filter(organisation=organisation, state=R.OVERDUE)
        .select_related("program")
        .order_by("due_on")[:3]
    )
    if not reports:
        return None
    return " ".join(
        _(
            "The follow-up report %(case)s for %(program)s was due on %(due)s and has not been submitted. "
            "Submit it under “Follow-up reports” on the start page; then the organisation may apply again."
        )
        % _names(r)
        for r in reports
    )


def unpaid_reclaim_reason(organisation) -> str | None:
    reclaims = list(
        Reclaim.objects.filter(organisation=organisation, state__in=Reclaim.UNPAID_STATES)
        .select_related("program")
        .order_by("pk")[:3]
    )
    if not reclaims:
        return None
    sentences = []
    for reclaim in reclaims:
        names = {
            "case": reclaim.case_number,
            "program": reclaim.program.name,
            "amount": kr(reclaim.decided_amount),
            "date": reclaim.pay_by.isoformat() if reclaim.pay_by else "",
        }
        if reclaim.pay_by:
            sentences.append(
                _(
                    "The reclaim %(case)s of %(amount)s (%(program)s) is not paid. Pay it by %(date)s as the "
                    "reclaim letter says; the organisation may apply again once the payment is registered."
                )
                % names
            )
        else:
            sentences.append(
                _(
                    "The reclaim %(case)s of %(amount)s (%(program)s) is decided and not paid. A reclaim letter "
                    "with how to pay follows; the organisation may apply again once the payment is registered."
                )
                % names
            )
    return " ".join(sentences)


# ---- reclaims ----


def reclaim_propose(
    *,
    application: Application,
    by,
    amount,
    grounds: str,
    motivation: str,
    report: FollowUpReport | None = None,
) -> Reclaim:
    """The caseworker proposes to reclaim (part of) a grant; the committee or a delegate decides."""
    application = Application.objects.select_related("round__program__committee__municipality").get(
        pk=application.pk
    )
    program = application.round.program
    reclaim_probe = Reclaim(program=program, organisation_id=application.organisation_id)
    if not by.has_perm("grants.propose_reclaim", reclaim_probe):
        raise PermissionDenied(_("You do not have permission to do this."))
    errors = []
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, TypeError):
        errors.append(_("Amount: enter a number."))
        amount = None
    if grounds not in Reclaim.Grounds.values:
        errors.append(_("Choose the grounds for the reclaim."))
    if not (motivation or "").strip():
        errors.append(_("Give the motivation for the reclaim."))
    if application.state not in Application.GRANTED_STATES or not application.granted_amount:
        errors.append(_("Only a granted application can be reclaimed."))
    elif amount is not None and not (0 < amount <= application.granted_amount):
        errors.append(
            _("The amount must be above 0 kr and at most the granted %(amount)s.")
            % {"amount": kr(application.granted_amount)}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        if Reclaim.objects.filter(application=application, state=RC.PROPOSED).exists():
            raise ValidationError(_("A reclaim of this grant is already proposed."))
        reclaim = Reclaim.objects.create(
            application=application,
            report=report,
            organisation_id=application.organisation_id,
            program=program,
            grounds=grounds,
            motivation=motivation.strip(),
            amount=amount,
            proposed_by=by,
        )
        case_number_register(
            committee=program.committee,
            title=_("Reclaim: %(organisation)s, %(case)s")
            % {"organisation": application.organisation.name, "case": application.case_number},
            case=reclaim,
            by=by,
        )
    return reclaim


def reclaim_decide(*, reclaim: Reclaim, decision, by) -> Reclaim:
    """Called by the meeting engine (committee or delegated decision) inside its transaction."""
    reclaim = Reclaim.objects.select_for_update(of=("self",)).select_related("application").get(pk=reclaim.pk)
    if decision.outcome in ("granted", "partly_granted"):
        if not decision.amount or decision.amount > (reclaim.application.granted_amount or 0):
            raise ValidationError(_("A reclaim cannot be more than the grant."))
        name = "decide"
        reclaim.decided_amount = decision.amount
    else:
        name = "drop"
    perform_transition(reclaim, name, by=by, reason=(decision.reasons or "")[:500])
    reclaim.decision = decision
    reclaim.save(update_fields=["decided_amount", "decision"])
    if name == "decide" and reclaim.report_id:
        # The reclaim settles the report the grantee still owes: it no longer blocks, the reclaim does.
        report = FollowUpReport.objects.select_for_update().get(pk=reclaim.report_id)
        if report.state in FollowUpReport.OWED_STATES:
            reason = _("Not approved: the grant is reclaimed (%(case)s).") % {"case": reclaim.case_number}
            perform_transition(report, "close_by_reclaim", by=by, reason=reason)
            report.outcome_reasons = reason
            report.save(update_fields=["outcome_reasons", "updated_at"])
    return reclaim


PAY_WITHIN_DAYS = 30
LETTER_KIND = "reclaim_letter"


def reclaim_letter_context(reclaim: Reclaim) -> dict:
    decision = reclaim.decision
    meeting = decision.item.meeting if decision and decision.item_id else None
    program = reclaim.program
    decided_on = timezone.localtime(decision.decided_at).date() if decision else None
    return {
        "reclaim": reclaim,
        "application": reclaim.application,
        "organisation": reclaim.organisation,
        "program": program,
        "committee": program.committee,
        "municipality": program.municipality,
        "decision": decision,
        "meeting": meeting,
        "decided_on": decided_on,
        "posted_on": meeting.posted_on if meeting else None,
        "appeal_ends_on": meeting.appeal_ends_on if meeting else None,
        # a delegated reclaim's item is its report to the committee, whose posted minutes count
        "appeal": appeal_terms(
            kind=program.appeal_kind,
            court=program.appeal_court,
            committee=program.committee,
            case_number=reclaim.case_number,
            decided_on=decided_on,
            delegated=bool(decision and decision.delegated),
            meeting=meeting,
            reported=bool(decision and decision.delegated),
        ),
        "made_on": timezone.localdate(),
    }


def reclaim_invoice(*, reclaim: Reclaim, by) -> Reclaim:
    """Send the reclaim letter (PDF/A) with the amount, the date to pay by and how to appeal."""
    with transaction.atomic():
        reclaim = (
            Reclaim.objects.select_for_update(of=("self",))
            .select_related(
                "program__committee__municipality",
                "organisation",
                "application__created_by",
                "decision__item",
            )
            .get(pk=reclaim.pk)
        )
        perform_transition(reclaim, "invoice", by=by, reason="")
        reclaim.invoiced_at = timezone.now()
        reclaim.pay_by = next_working_day(timezone.localdate() + dt.timedelta(days=PAY_WITHIN_DAYS))
        reclaim.save(update_fields=["invoiced_at", "pay_by"])
        document = document_store(
            subject=reclaim,
            kind=LETTER_KIND,
            title=_("Reclaim letter %(case)s") % {"case": reclaim.case_number},
            template="documents/reclaim_letter.html",
            context=reclaim_letter_context(reclaim),
            by=by,
        )
        outbox_enqueue(
            key=f"reclaim-letter:{reclaim.pk}:{document.version}",
            to=_grantee_email(reclaim),
            subject=_("Reclaim of a grant: %(case)s") % {"case": reclaim.case_number},
            template="grants/reporting/email/reclaim_letter.txt",
            context={
                "reclaim": reclaim,
                "link": settings.SITE_URL + reverse("reporting:reclaim_detail", kwargs={"pk": reclaim.pk}),
            },
        )
    return reclaim


def reclaim_mark_paid(*, reclaim: Reclaim, by, paid_on: dt.date | None = None) -> Reclaim:
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot be in the future."))
    with transaction.atomic():
        reclaim = Reclaim.objects.select_for_update().get(pk=reclaim.pk)
        perform_transition(reclaim, "mark_paid", by=by, reason=_("Paid on %(date)s") % {"date": paid_on})
        reclaim.paid_on = paid_on
        reclaim.save(update_fields=["paid_on"])
    return reclaim


def reclaim_write_off(*, reclaim: Reclaim, by, reason: str) -> Reclaim:
    if not reason.strip():
        raise ValidationError(_("Give the reason for writing the reclaim off."))
    with transaction.atomic():
        reclaim = Reclaim.objects.select_for_update().get(pk=reclaim.pk)
        perform_transition(reclaim, "write_off", by=by, reason=reason[:500])
        reclaim.write_off_reason = reason.strip()
        reclaim.save(update_fields=["write_off_reason"])
    return reclaim
