"""Follow-up reports: the program's requirement, creating each report a grant owes, and the grantee filling it in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Application, FormField, Program
from grants.snapshots import form_fields_snapshot
from organizations.services import document_check_upload
from workflows.deadlines import next_working_day
from workflows.services import (
    TransitionRefused,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
)

from ..models import (
    CommitmentTemplate,
    FollowUpReport,
    ReportAttachment,
    ReportCommitment,
    ReportingRequirement,
)

R = FollowUpReport.State


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
    from meetings.services import decision_may_be_executed

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
    from grants.services import grants_executable

    candidates = grants_executable(followup_report__isnull=True).values_list("pk", flat=True)
    by = system_user()
    created = 0
    for pk in list(candidates):
        if report_create(application=Application(pk=pk), by=by) is not None:
            created += 1
    return created


# ---- the grantee fills in the report ----


def report_missing_answers(report: FollowUpReport) -> list[str]:
    from grants.services import _answered

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
    from grants.services import _clean_answer

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
            template="reporting/email/received.txt",
            context={"report": report, "link": report_link(report)},
        )
    return report
