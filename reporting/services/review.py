"""The caseworker's review of reports, the timer and the reminders, and what blocks new applications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.deadlines import is_working_day
from workflows.services import (
    TransitionRefused,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
)
from workflows.templatetags.bidra import kr

from ..models import (
    FollowUpReport,
    Reclaim,
    ReportCommitment,
    ReportingRequirement,
    ReportReminder,
)
from .reports import _names, report_link, requirement_of

R = FollowUpReport.State


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
            template="reporting/email/reviewed.txt",
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
                template="reporting/email/reminder.txt",
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
