"""Follow-up reports and reclaims for tests, each walked through the services to the wanted state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from grants.models import FormField
from meetings import services as meetings
from organizations.models import Delegation
from reporting import services
from reporting.models import (
    CommitmentTemplate,
    FollowUpReport,
    Reclaim,
    ReportField,
    ReportingRequirement,
)

from ..grants.factories import application_in, draft_application, open_round, pdf_upload

RULES = {
    "org_kinds": {"kinds": ["nonprofit", "religious", "foundation"]},
    "no_overdue_report": {},
    "no_unpaid_reclaim": {},
}


def reporting_program(world):
    """The world's program with a report form, a commitment and the blocking rules (memoised)."""
    if "reporting" in world.objects:
        return world.objects["reporting"]
    round = open_round(world, **RULES)
    program = round.program
    program.delegation_limit = Decimal(50000)
    program.save()
    ReportingRequirement.objects.create(
        program=program, instructions="Redovisa hur bidraget har använts.", reminder_days="30,7"
    )
    fields = {
        "activities": ReportField.objects.create(
            program=program,
            kind=FormField.Kind.LONG_TEXT,
            label="Genomförda aktiviteter",
            required=True,
            order=1,
        ),
        "participants": ReportField.objects.create(
            program=program, kind=FormField.Kind.NUMBER, label="Antal deltagare", required=True, order=2
        ),
        "statement": ReportField.objects.create(
            program=program, kind=FormField.Kind.FILE, label="Ekonomisk redovisning", required=True, order=3
        ),
    }
    CommitmentTemplate.objects.create(
        program=program, label="Öppna träffar", unit="träffar", planned=10, order=1
    )
    world.objects["reporting"] = {"program": program, "round": round, "fields": fields}
    return world.objects["reporting"]


def granted_by_delegation(
    world, *, report_due: dt.date | None = None, key="granted", period_end=None, amount=25000
):
    """The world organisation's application granted (25 000 kr) by the caseworker's delegation."""
    if key in world.objects:
        return world.objects[key]
    reporting_program(world)
    application = application_in(world, "proposed", key=f"{key}-application")
    today = timezone.localdate()
    meetings.delegated_decision_record(
        case=application,
        decision=meetings.DecisionData(
            outcome="granted",
            amount=Decimal(amount),
            period_start=dt.date(today.year, 1, 1),
            period_end=period_end or dt.date(today.year, 12, 31),
            report_due=report_due,
            reasons="Väl förankrad verksamhet.",
        ),
        by=world.users["caseworker"],
    )
    application.refresh_from_db()
    world.objects[key] = application
    return application


def fill_in(world, report: FollowUpReport, *, achieved=10) -> FollowUpReport:
    fields = world.objects["reporting"]["fields"]
    commitment = report.commitments.get(label="Öppna träffar")
    return services.report_save(
        report=report,
        by=world.users["applicant"],
        answers={
            f"field:{fields['activities'].pk}": "Tio öppna träffar med lunch.",
            f"field:{fields['participants'].pk}": "120",
        },
        achieved={commitment.pk: (achieved, "")},
        uploads={f"field:{fields['statement'].pk}": pdf_upload("resultat.pdf")},
    )


def report_in(world, state: str, *, key: str = "report", amount=25000) -> FollowUpReport:
    """The world organisation's report walked through the services to ``state`` (memoised)."""
    if key in world.objects:
        return world.objects[key]
    today = timezone.localdate()
    due = {
        "upcoming": None,
        "overdue": today - dt.timedelta(days=10),
    }.get(state, today + dt.timedelta(days=20))
    application = granted_by_delegation(world, report_due=due, key=f"{key}-granted", amount=amount)
    services.reports_create_due()
    report = FollowUpReport.objects.get(application=application)
    if state == "overdue":
        services.reports_advance()
    caseworker, applicant = world.users["caseworker"], world.users["applicant"]
    if state in ("submitted", "completion_requested", "approved", "not_approved"):
        fill_in(world, report)
        services.report_submit(report=report, by=applicant)
    if state == "completion_requested":
        services.report_request_completion(report=report, by=caseworker, message="Bifoga kvitton.")
    elif state == "approved":
        services.report_approve(report=report, by=caseworker)
    elif state == "not_approved":
        services.report_reject(report=report, by=caseworker, reason="Pengarna användes till annat.")
    report = FollowUpReport.objects.get(pk=report.pk)
    assert report.state == state, (report.state, state)
    world.objects[key] = report
    return report


def reclaim_in(world, state: str, *, key: str = "reclaim") -> Reclaim:
    """A reclaim of the overdue report's grant, decided by delegation, walked to ``state``."""
    if key in world.objects:
        return world.objects[key]
    report = report_in(world, "overdue", key=f"{key}-report")
    caseworker = world.users["caseworker"]
    reclaim = services.reclaim_propose(
        application=report.application,
        report=report,
        by=caseworker,
        amount=25000,
        grounds=Reclaim.Grounds.REPORT_MISSING,
        motivation="Återrapporteringen har inte kommit in.",
    )
    if state != "proposed":
        Delegation.objects.get_or_create(
            user=caseworker,
            committee=world.committee,
            matter=Delegation.Matter.RECLAIM,
            defaults={"max_amount": 50000, "valid_from": dt.date(2020, 1, 1)},
        )
        meetings.delegated_decision_record(
            case=reclaim,
            decision=meetings.DecisionData(
                outcome="granted", amount=Decimal(25000), reasons="Rapporten saknas."
            ),
            by=caseworker,
        )
    if state in ("invoiced", "paid"):
        services.reclaim_invoice(reclaim=reclaim, by=caseworker)
    if state == "paid":
        services.reclaim_mark_paid(reclaim=reclaim, by=caseworker)
    if state == "written_off":
        services.reclaim_write_off(reclaim=reclaim, by=caseworker, reason="Föreningen är upplöst.")
    reclaim = Reclaim.objects.get(pk=reclaim.pk)
    assert reclaim.state == state, (reclaim.state, state)
    world.objects[key] = reclaim
    return reclaim


__all__ = ["draft_application"]
