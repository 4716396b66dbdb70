"""Demo data of grants: Socialnämnden's programs, open and closed rounds, and applications in every state.

Idempotent, and every state change goes through the services (so each has its log row).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from organizations.demo import DEMO_PASSWORD, _tiny_pdf
from organizations.models import OrganisationRole, User
from workflows.services import perform_transition

from . import services
from .models import (
    Application,
    BudgetCommitment,
    Criterion,
    EligibilityRule,
    FormField,
    Program,
    ProgramBudget,
    RequiredAttachment,
    Round,
)

RULES = {
    "org_kinds": {"kinds": ["nonprofit", "religious", "foundation"]},
    "active_in_municipality": {},
    "min_resident_members": {"min": 10},
    "documents_current": {"doc_types": ["statutes", "annual_report"]},
    "no_overdue_report": {},
    "no_unpaid_reclaim": {},
    "democracy_declaration": {},
}


def _program(committee, *, name, kind, description, budget, earmarked=None) -> Program:
    program, created = Program.objects.get_or_create(
        municipality=committee.municipality,
        committee=committee,
        name=name,
        defaults={
            "kind": kind,
            "rules_reference": "Riktlinjer för föreningsbidrag, SN 2025:12",
            "description": description,
            "who_may_apply": "Ideella föreningar, registrerade trossamfund och stiftelser med verksamhet i kommunen.",
            "delegation_limit": Decimal("30000"),
            "reporting_requirement": "Verksamhetsberättelse och ekonomisk redovisning senast 30 april året efter.",
        },
    )
    if created:
        FormField.objects.create(
            program=program,
            kind=FormField.Kind.LONG_TEXT,
            label="Vad ska bidraget användas till?",
            required=True,
            order=1,
        )
        FormField.objects.create(
            program=program,
            kind=FormField.Kind.CHOICE,
            label="Huvudsaklig målgrupp",
            required=True,
            order=2,
            choices="Barn och unga\nÄldre\nPersoner med funktionsnedsättning\nAlla",
        )
        FormField.objects.create(
            program=program, kind=FormField.Kind.NUMBER, label="Antal deltagare per år", order=3
        )
        FormField.objects.create(
            program=program,
            kind=FormField.Kind.YES_NO,
            label="Samverkar ni med andra organisationer?",
            order=4,
        )
        RequiredAttachment.objects.create(program=program, label="Stadgar", doc_type="statutes", order=1)
        RequiredAttachment.objects.create(
            program=program, label="Verksamhetsberättelse", doc_type="annual_report", order=2
        )
        RequiredAttachment.objects.create(program=program, label="Budget för bidragsåret", order=3)
        for kind, params in RULES.items():
            EligibilityRule.objects.create(program=program, kind=kind, params=params)
        Criterion.objects.create(
            program=program,
            name="Når målgruppen",
            guidance="Hur väl når verksamheten de invånare programmet är till för?",
            weight=Decimal("2"),
            order=1,
        )
        Criterion.objects.create(program=program, name="Ideellt engagemang", weight=Decimal("1"), order=2)
        Criterion.objects.create(
            program=program,
            name="Samverkan",
            weight=Decimal("1"),
            allow_not_applicable=True,
            order=3,
        )
        year = timezone.localdate().year
        budget_row = ProgramBudget.objects.create(program=program, year=year, amount=budget)
        if earmarked:
            BudgetCommitment.objects.create(budget=budget_row, description=earmarked[0], amount=earmarked[1])
    return program


def day_start(when: datetime) -> datetime:
    """A round opens as its first day begins (00.00, local time)."""
    return timezone.make_aware(datetime.combine(timezone.localtime(when).date(), time(0, 0)))


def day_end(when: datetime) -> datetime:
    """A round closes as its last day ends (23.59, local time), as a municipality announces it."""
    return timezone.make_aware(datetime.combine(timezone.localtime(when).date(), time(23, 59)))


def _round(program, name, *, opens, closes, **extra) -> Round:
    round, _created = Round.objects.get_or_create(
        program=program,
        name=name,
        defaults={
            "year": timezone.localdate().year,
            "opens_at": day_start(opens),
            "closes_at": day_end(closes),
            **extra,
        },
    )
    return round


def _applicant(organisation, email, name) -> User:
    role = (
        OrganisationRole.objects.filter(organisation=organisation, state=OrganisationRole.State.ACTIVE)
        .select_related("user")
        .first()
    )
    if role is not None:
        return role.user
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password=DEMO_PASSWORD, full_name=name, email_verified_at=timezone.now()
    )
    role = OrganisationRole.objects.create(
        user=user, organisation=organisation, kind=OrganisationRole.Kind.SIGNATORY
    )
    perform_transition(role, "grant_on_registration", by=user, reason="Registrerade organisationen")
    return user


def _walk(round, organisation, user, target, caseworker, *, amount):
    if Application.objects.filter(round=round, organisation=organisation).exists():
        return
    application = services.application_start(round=round, organisation=organisation, by=user)
    fields = {f["label"]: f["key"] for f in application.snapshot["fields"]}
    services.application_save(
        application=application,
        by=user,
        title=f"{round.program.name} {round.year}",
        requested_amount=amount,
        answers={
            fields[
                "Vad ska bidraget användas till?"
            ]: f"{organisation.purpose} Bidraget går till lokaler och material.",
            fields["Huvudsaklig målgrupp"]: "Alla",
            fields["Antal deltagare per år"]: "120",
            fields["Samverkar ni med andra organisationer?"]: "yes",
        },
        democracy_declaration=True,
    )
    budget_key = next(a["key"] for a in application.snapshot["attachments"] if not a["doc_type"])
    services.application_attach(
        application=application,
        by=user,
        key=budget_key,
        upload=SimpleUploadedFile(
            "budget.pdf", _tiny_pdf(f"Budget {organisation.name}"), content_type="application/pdf"
        ),
    )
    if target == "draft":
        return
    application = services.application_submit(application=application, by=user)
    for rule in application.eligibility:
        if not rule["ok"]:
            services.eligibility_override(
                application=application,
                by=caseworker,
                rule=rule["kind"],
                reason="Undantag enligt nämndens beslut.",
            )
    if target == "submitted":
        return
    if target == "withdrawn":
        services.application_withdraw(application=application, by=user, reason="Vi söker i nästa omgång.")
        return
    if target == "completion_requested":
        services.application_request_completion(
            application=application,
            by=caseworker,
            message="Skicka en budget som visar hur bidraget fördelas över året.",
        )
        return
    services.application_accept(application=application, by=caseworker)
    if target == "in_assessment":
        return
    criteria = application.snapshot["criteria"]
    services.assessment_save(
        application=application,
        by=caseworker,
        scores={str(c["id"]): {"score": 4 if i == 0 else 3} for i, c in enumerate(criteria)},
        comment="Etablerad verksamhet med bred förankring.",
        complete=True,
    )
    services.application_finish_assessment(application=application, by=caseworker)
    if target == "assessed":
        return
    services.application_propose(
        application=application,
        by=caseworker,
        amount=(application.amount_after_deduction or Decimal(amount)) - Decimal("5000"),
        motivation="Verksamheten uppfyller programmets syfte; föreslaget belopp efter prioritering.",
    )


def seed(context: dict) -> None:
    committee = context["committees"]["SN"]
    users = context["users"]
    caseworker = users["caseworker"]
    organisations = context["organisations"]
    now = timezone.now()

    operating = _program(
        committee,
        name="Verksamhetsstöd till sociala föreningar",
        kind=Program.Kind.OPERATING,
        description="Årligt stöd till föreningar som arbetar för gemenskap, trygghet och hälsa.",
        budget=Decimal("135000"),
        earmarked=("Långsiktigt avtal (IOP) med Stadsmissionen Exempelö", Decimal("84000")),
    )
    project = _program(
        committee,
        name="Projektbidrag för social gemenskap",
        kind=Program.Kind.PROJECT,
        description="Stöd till tidsbegränsade projekt som bryter ensamhet och utanförskap.",
        budget=Decimal("200000"),
    )
    open_operating = _round(
        operating,
        "Ansökan om verksamhetsstöd",
        opens=now - timedelta(days=20),
        closes=now + timedelta(days=25),
        decision_date=(now + timedelta(days=60)).date(),
        decision_reference="Socialnämndens sammanträde",
    )
    _round(
        operating,
        "Ansökan om verksamhetsstöd (förra året)",
        opens=now - timedelta(days=400),
        closes=now - timedelta(days=340),
    )
    closed_project = _round(
        project,
        "Projektbidrag, vårens omgång",
        opens=now - timedelta(days=45),
        closes=now - timedelta(days=3),
        late_rule=Round.LateRule.DEDUCT,
        late_deduction_percent=Decimal("10"),
    )
    _round(
        project,
        "Projektbidrag, höstens omgång",
        opens=now - timedelta(days=1),
        closes=now + timedelta(days=60),
        late_rule=Round.LateRule.REFUSE,
    )

    def user_for(index):
        organisation = organisations[index]
        return _applicant(organisation, f"ansokan{index + 1}@forening.example", f"Kassör {organisation.name}")

    plan = [
        (open_operating, 1, "draft", 30000),
        (open_operating, 5, "submitted", 25000),
        (open_operating, 0, "completion_requested", 40000),
        (open_operating, 2, "in_assessment", 20000),
        (open_operating, 4, "assessed", 15000),
        (open_operating, 8, "proposed", 18000),
        (open_operating, 10, "withdrawn", 12000),
        (closed_project, 9, "proposed", 45000),
    ]
    for round, index, target, amount in plan:
        _walk(round, organisations[index], user_for(index), target, caseworker, amount=amount)
    seed_decisions(context, operating=operating)
    from .awards.demo import seed as seed_awards  # awards live in their own package

    seed_awards(context)
    from .reporting.demo import seed as seed_reporting  # follow-up reports and reclaims, too

    seed_reporting(context)


# ---- decisions: the June meeting of this year, and the coming meeting's agenda ----


def _june_meeting_day(today: date) -> date:
    """June 10 this year, or a month ago when June has not passed far enough yet for the demo."""
    june = date(today.year, 6, 10)
    return june if today >= june + timedelta(days=40) else today - timedelta(days=40)


def _at(day: date, hour: int = 13):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed_decisions(context: dict, *, operating: Program) -> None:
    """Socialnämnden's June meeting: a decided round with a recusal and an amended amount, minutes
    approved and posted, letters made and sent, payments planned and the first ones paid; and the
    committee's next meeting with the proposed applications on its agenda."""
    from workflows.demo import _second_member
    from workflows.demo import attendance as demo_attendance
    from workflows.meetings import services as meetings
    from workflows.meetings_models import Meeting

    from .agenda import ApplicationAgendaAdapter
    from .models import Payment

    committee = context["committees"]["SN"]
    users = context["users"]
    secretary, caseworker, lars = users["secretary"], users["caseworker"], users["member"]
    asa = _second_member(context["municipality"])
    organisations = context["organisations"]
    today = timezone.localdate()
    day = _june_meeting_day(today)

    if operating.instalments != 2:
        Program.objects.filter(pk=operating.pk).update(
            instalments=2, appeal_court="Förvaltningsrätten i Exempelstad"
        )
        operating.refresh_from_db()

    if not Meeting.objects.filter(committee=committee, starts_at=_at(day)).exists():
        now = timezone.now()
        spring = _round(
            operating,
            "Vårens omgång",
            opens=now - timedelta(days=1),
            closes=now + timedelta(days=1),
            decision_date=day,
            decision_reference="Socialnämndens sammanträde i juni",
        )
        planned = [(12, 25000), (18, 20000), (16, 30000)]
        for index, amount in planned:
            organisation = organisations[index]
            user = _applicant(
                organisation, f"ansokan{index + 1}@forening.example", f"Kassör {organisation.name}"
            )
            _walk(spring, organisation, user, "proposed", caseworker, amount=amount)
        # The round was open in the spring (its dates are configuration, not a state change).
        Round.objects.filter(pk=spring.pk).update(
            opens_at=_at(date(day.year, 2, 1), 0), closes_at=day_end(_at(day - timedelta(days=50)))
        )
        applications = [
            Application.objects.get(round=spring, organisation=organisations[index]) for index, _a in planned
        ]
        meeting = meetings.meeting_create(
            committee=committee, starts_at=_at(day), place="Kommunhuset, sammanträdesrum Ön", by=secretary
        )
        items = meetings.agenda_add(meeting=meeting, cases=applications, by=secretary)
        meetings.meeting_transition(
            meeting=meeting, name="publish_agenda", by=secretary, reason="Kallelse skickad"
        )
        meetings.recusal_declare(
            item=items[0], user=lars, reason="Lars Ledamot sitter i föreningens styrelse.", by=secretary
        )
        meetings.attendance_set(
            meeting=meeting,
            rows=demo_attendance(),
            by=secretary,
        )
        meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
        period = {
            "period_start": date(day.year, 7, 1),
            "period_end": date(day.year, 12, 31),
            "report_due": date(day.year + 1, 3, 31),
        }
        meetings.decisions_record(
            meeting=meeting,
            group_no=items[0].group_no,
            decisions={
                items[0].pk: meetings.DecisionData(
                    outcome="partly_granted",
                    amount=items[0].proposed_amount,
                    conditions="Verksamheten ska vara öppen för alla åldrar.",
                    reasons=items[0].proposal_text,
                    **period,
                ),
                items[1].pk: meetings.DecisionData(
                    outcome="partly_granted",
                    amount=Decimal("12000"),
                    conditions="Redovisa antalet deltagare per aktivitet.",
                    reasons="Nämnden beviljar ett lägre belopp än föreslaget för att rymma fler föreningar.",
                    **period,
                ),
                items[2].pk: meetings.DecisionData(
                    outcome="rejected",
                    reasons="Ansökan ryms inte inom årets budget; verksamheten prioriteras lägre enligt riktlinjerna.",
                ),
            },
            by=secretary,
        )
        meetings.minutes_approve(meeting=meeting, by=lars)
        meetings.minutes_approve(meeting=meeting, by=asa)
        meetings.meeting_post(meeting=meeting, posted_on=day + timedelta(days=2), by=secretary)
        meetings.meetings_finalise_due()
        services.payments_create_due()
        job = services.letter_job_start(meeting=meeting, by=secretary)
        services.letter_job_run(job_id=job.pk)
        if Payment.objects.filter(state=Payment.State.PLANNED, due_on__lte=today).exists():
            batch = services.payments_export(by=caseworker, due_until=today)
            services.payment_batch_mark_paid(batch=batch, by=caseworker, paid_on=today)

    # The coming meeting: its agenda is built from the proposed applications.
    coming = (
        Meeting.objects.filter(committee=committee, state=Meeting.State.PLANNED, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if coming is not None:
        waiting = list(ApplicationAgendaAdapter().proposed_queryset(committee))
        if waiting:
            meetings.agenda_add(meeting=coming, cases=waiting, by=secretary)


def backdate(context: dict) -> None:
    """Each demo application carries the dates on which it ran: submitted a week or two before its
    round closed, decided on the day of its meeting.  The demo makes every case today; these are
    the case's own date fields.  The transition log keeps the moment of seeding: it is append-only
    (on PostgreSQL a trigger refuses any UPDATE), and the demo does not rewrite it."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.meetings_models import Decision

    now = timezone.now()
    decisions = Decision.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), item__isnull=False
    ).select_related("item__meeting")
    for decision in decisions:
        Decision.objects.filter(pk=decision.pk).update(decided_at=decision.item.meeting.starts_at)
    for application in Application.objects.exclude(state=Application.State.DRAFT).select_related("round"):
        round = application.round
        submitted = min(round.closes_at, now) - timedelta(days=7 + application.pk % 10)
        submitted = max(submitted, round.opens_at)
        Application.objects.filter(pk=application.pk).update(
            submitted_at=submitted, registered_at=submitted, created_at=submitted - timedelta(days=2)
        )
