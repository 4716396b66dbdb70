"""Demo data of follow-up reports: a program of small activity grants whose reports are in
every state, one overdue (it blocks its organisation) and a reclaim that has been invoiced.

Idempotent; every state change goes through the services, on its day (``workflows.demo_story``):
the grants decided in the spring, the reports opened, sent and reviewed in the past weeks.
Called from ``grants.demo.seed``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grants.models import Application, FormField, Program
from meetings import services as meetings
from meetings.models import Decision
from organizations.models import Delegation
from workflows.deadlines import next_working_day
from workflows.demo_story import at, happened, registered, spread
from workflows.models import StoredDocument

from . import services
from .models import CommitmentTemplate, FollowUpReport, Reclaim, ReportField, ReportingRequirement

PROGRAM = "Aktivitetsstöd för mötesplatser"
#: (organisation index, the report's state)
PLAN = [
    (0, "upcoming"),
    (1, "due"),
    (2, "submitted"),
    (4, "completion_requested"),
    (5, "approved"),
    (8, "not_approved"),
    (10, "overdue"),
]


def seed(context: dict) -> None:
    from grants.demo import _applicant, _program, _round, _walk, pay_due, payments_from

    committee = context["committees"]["SN"]
    caseworker = context["users"]["caseworker"]
    organisations = context["organisations"]
    now = timezone.now()
    today = timezone.localdate()
    program = _program(
        committee,
        name=PROGRAM,
        kind=Program.Kind.PROJECT,
        description="Bidrag till öppna mötesplatser: träffar, studiecirklar och besöksverksamhet.",
        budget=Decimal("200000"),
    )
    if FollowUpReport.objects.filter(program=program).exists():
        return
    requirement, _created = ReportingRequirement.objects.get_or_create(
        program=program,
        defaults={
            "instructions": "Berätta vad ni har gjort, hur många som deltog och hur pengarna användes.",
            "reminder_days": "30,7",
        },
    )
    fields = {
        "activities": ReportField.objects.create(
            program=program,
            kind=FormField.Kind.LONG_TEXT,
            label="Vilka aktiviteter har ni genomfört?",
            required=True,
            order=1,
        ),
        "participants": ReportField.objects.create(
            program=program, kind=FormField.Kind.NUMBER, label="Antal deltagare", required=True, order=2
        ),
        "money": ReportField.objects.create(
            program=program,
            kind=FormField.Kind.AMOUNT,
            label="Hur mycket av bidraget har använts (kr)?",
            required=True,
            order=3,
        ),
        "results": ReportField.objects.create(
            program=program,
            kind=FormField.Kind.LONG_TEXT,
            label="Vad uppnådde ni jämfört med vad ni lovade?",
            order=4,
        ),
        "statement": ReportField.objects.create(
            program=program, kind=FormField.Kind.FILE, label="Ekonomisk redovisning", order=5
        ),
    }
    CommitmentTemplate.objects.create(
        program=program, label="Hålla öppna träffar", unit="träffar", planned=10, order=1
    )
    # a round open all year, since the spring; each grant decided by delegation a month after it was sent
    round = _round(
        program,
        f"Aktivitetsstöd {today.year}",
        opens=now - timedelta(days=150),
        closes=now + timedelta(days=30),
    )
    due = {
        "upcoming": None,
        "overdue": today - timedelta(days=20),
    }
    for position, (index, state) in enumerate(PLAN):
        organisation = organisations[index]
        user = _applicant(organisation, f"rapport{index + 1}@forening.example", f"Kassör {organisation.name}")
        decided = at(today - timedelta(days=110 - 4 * position), 14)
        _walk(
            round,
            organisation,
            user,
            "proposed",
            caseworker,
            amount=20000,
            submitted=at(today - timedelta(days=140 - 4 * position), 10),
            until=decided - timedelta(days=2),
        )
        application = Application.objects.get(round=round, organisation=organisation)
        with happened(decided):
            decision = meetings.delegated_decision_record(
                case=application,
                decision=meetings.DecisionData(
                    outcome="granted",
                    amount=application.proposed_amount,
                    conditions="Föreningen ska hålla minst tio öppna träffar under året.",
                    period_start=today.replace(month=1, day=1),
                    period_end=today.replace(month=12, day=31),
                    report_due=due.get(state, today + timedelta(days=20)),
                    reasons="Verksamheten uppfyller programmets syfte.",
                ),
                by=caseworker,
            )
        Decision.objects.filter(pk=decision.pk).update(decided_at=decided)
        payments_from([application], planned=decided)
        application.refresh_from_db()
        # the report is registered with the decision, in its transaction (and opened then if its
        # day has come: when the grant period ends or the first reminder goes out)
        created = decided
        report = FollowUpReport.objects.get(application=application)
        FollowUpReport.objects.filter(pk=report.pk).update(created_at=created, registered_at=created)
        if state == "overdue":
            with happened(at(report.due_on + timedelta(days=1), 6)):
                services.reports_advance(today=report.due_on + timedelta(days=1))
        steps = {"submitted": 1, "completion_requested": 2, "approved": 2, "not_approved": 5}.get(state, 0)
        moments = iter(spread(created + timedelta(days=1), at(today - timedelta(days=1), 15), steps))
        if state in ("submitted", "completion_requested", "approved", "not_approved"):
            commitment = report.commitments.get()
            services.report_save(
                report=report,
                by=user,
                answers={
                    f"field:{fields['activities'].pk}": "Öppna träffar varje tisdag och en studiecirkel.",
                    f"field:{fields['participants'].pk}": "85",
                    f"field:{fields['money'].pk}": str(application.granted_amount),
                    f"field:{fields['results'].pk}": "Vi höll fler träffar än planerat.",
                },
                achieved={commitment.pk: (12 if state != "not_approved" else 3, "")},
            )
            sent = next(moments)
            with happened(sent):
                services.report_submit(report=report, by=user)
            FollowUpReport.objects.filter(pk=report.pk).update(submitted_at=sent, first_submitted_at=sent)
        if state in ("completion_requested", "approved", "not_approved"):
            reviewed = next(moments)
            with happened(reviewed):
                if state == "completion_requested":
                    services.report_request_completion(
                        report=report, by=caseworker, message="Bifoga den ekonomiska redovisningen."
                    )
                elif state == "approved":
                    services.report_approve(report=report, by=caseworker, reason="Tydlig redovisning.")
                else:
                    services.report_reject(
                        report=report,
                        by=caseworker,
                        reason="Bara tre av tio träffar hölls; bidraget användes till annat.",
                    )
            FollowUpReport.objects.filter(pk=report.pk).update(reviewed_at=reviewed)
        if state == "not_approved":
            proposed = next(moments)
            with happened(proposed):
                reclaim = services.reclaim_propose(
                    application=application,
                    report=report,
                    by=caseworker,
                    amount=Decimal("8000"),
                    grounds=Reclaim.Grounds.OTHER_PURPOSE,
                    motivation="Bara tre av de tio utlovade träffarna hölls.",
                )
            Reclaim.objects.filter(pk=reclaim.pk).update(created_at=proposed)
            registered(reclaim, proposed)
            Delegation.objects.get_or_create(
                user=caseworker,
                committee=committee,
                matter=Delegation.Matter.RECLAIM,
                defaults={"max_amount": Decimal("30000")},
            )
            reclaim_decided = next(moments)
            with happened(reclaim_decided):
                decision = meetings.delegated_decision_record(
                    case=reclaim,
                    decision=meetings.DecisionData(
                        outcome="granted", amount=Decimal("8000"), reasons=reclaim.motivation
                    ),
                    by=caseworker,
                )
            Decision.objects.filter(pk=decision.pk).update(decided_at=reclaim_decided)
            invoiced = next(moments)
            with happened(invoiced):
                services.reclaim_invoice(reclaim=reclaim, by=caseworker)
            Reclaim.objects.filter(pk=reclaim.pk).update(
                invoiced_at=invoiced,
                pay_by=next_working_day(
                    timezone.localdate(invoiced) + timedelta(days=services.PAY_WITHIN_DAYS)
                ),
            )
            StoredDocument.objects.filter(
                content_type=ContentType.objects.get_for_model(Reclaim), object_id=reclaim.pk
            ).update(created_at=invoiced)
    services.reports_advance()
    services.reports_create_due()
    pay_due(by=caseworker)
