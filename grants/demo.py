"""Demo data of grants: Socialnämnden's programs, open and closed rounds, and applications in every state.

Idempotent, and every state change goes through the services (so each has its log row), at the
moment it has in the story (``workflows.demo_story``): the cases run over the past weeks, the June
meeting's round over the spring and summer.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from correspondence.models import Message
from correspondence.services import message_send
from organizations.demo import DEMO_PASSWORD, _tiny_pdf, signatory_since_registration
from organizations.models import OrganisationRole, User
from workflows.deadlines import add_working_days
from workflows.demo_story import at, happened, latest, registered, spread

from . import services
from .models import (
    Application,
    BudgetCommitment,
    CompletionRequest,
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


#: whom the demo programs' decision letters name as the contact (the demo's caseworker)
CONTACT = {
    "contact_name": "Hanna Handläggare",
    "contact_email": "handlaggare@exemplo.se",
    "contact_phone": "0123-456 710",
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
            # where the grants are booked in the municipality's ledger (the SIE file)
            "ledger_account": "4610",
            "cost_centre": committee.code,
            "ledger_project": "FB" if kind == Program.Kind.OPERATING else "PB",
            **CONTACT,
        },
    )
    if not (program.contact_name or program.contact_email):  # a demo seeded before programs had one
        Program.objects.filter(pk=program.pk).update(**CONTACT)
        program.refresh_from_db()
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
    signatory_since_registration(role)
    return user


#: how many steps of the log a walk to each state leaves
STEPS = {
    "submitted": 1,
    "withdrawn": 2,
    "completion_requested": 2,
    "in_assessment": 2,
    "assessed": 3,
    "proposed": 4,
}


def _walk(round, organisation, user, target, caseworker, *, amount, submitted=None, until=None):
    """Take a new application of ``organisation`` to ``target``: sent at ``submitted``, each later
    step of the caseworker on a working day after it, the last no later than ``until``."""
    if Application.objects.filter(round=round, organisation=organisation).exists():
        return
    submitted = submitted or latest()
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
        Application.objects.filter(pk=application.pk).update(created_at=submitted - timedelta(days=2))
        return
    moments = iter(spread(submitted, until or latest(), STEPS[target]))
    sent = next(moments)
    with happened(sent):
        application = services.application_submit(application=application, by=user)
    Application.objects.filter(pk=application.pk).update(
        created_at=sent - timedelta(days=2), submitted_at=sent
    )
    registered(application, sent)
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
        with happened(next(moments)):
            services.application_withdraw(application=application, by=user, reason="Vi söker i nästa omgång.")
        return
    if target == "completion_requested":
        asked = next(moments)
        with happened(asked):
            request = services.application_request_completion(
                application=application,
                by=caseworker,
                message="Skicka en budget som visar hur bidraget fördelas över året.",
            )
        deadline = add_working_days(timezone.localdate(asked), services.DEFAULT_COMPLETION_DAYS)
        CompletionRequest.objects.filter(pk=request.pk).update(requested_at=asked, deadline=deadline)
        Application.objects.filter(pk=application.pk).update(completion_deadline=deadline)
        return
    accepted = next(moments)
    with happened(accepted):
        services.application_accept(application=application, by=caseworker)
    if target == "in_assessment":
        _conversation(application, user, caseworker, after=accepted)
        return
    criteria = application.snapshot["criteria"]
    with happened(next(moments)):
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
    with happened(next(moments)):
        services.application_propose(
            application=application,
            by=caseworker,
            amount=(application.amount_after_deduction or Decimal(amount)) - Decimal("5000"),
            motivation="Verksamheten uppfyller programmets syfte; föreslaget belopp efter prioritering.",
        )


def _conversation(application, user, caseworker, *, after):
    """The association asks on the case page and the caseworker answers: a thread to read."""
    said = [
        (user, "Får vi använda en del av bidraget till hyra av lokal för våra sommaraktiviteter?"),
        (
            caseworker,
            "Ja, lokalhyra ingår. Redovisa den för sig i återrapporten, så blir det lätt att följa.",
        ),
    ]
    for hours, (by, body) in enumerate(said, start=2):
        moment = min(after + timedelta(hours=hours), latest())
        with happened(moment):
            message = message_send(case=application, by=by, body=body)
        Message.objects.filter(pk=message.pk).update(created_at=moment)


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
    today = timezone.localdate()
    for position, (round, index, target, amount) in enumerate(plan):
        if round.closes_at < now:  # sent the day after the round closed: late, with its deduction
            submitted = at(timezone.localdate(round.closes_at) + timedelta(days=1), 10)
            until = max(at(today - timedelta(days=1), 16), submitted + timedelta(hours=4))
        else:  # sent in the round's first weeks, handled until yesterday
            submitted = max(
                at(today - timedelta(days=7 + 2 * position), 9 + position % 6),
                round.opens_at + timedelta(hours=9),
            )
            until = at(today - timedelta(days=1), 15)
        _walk(
            round,
            organisations[index],
            user_for(index),
            target,
            caseworker,
            amount=amount,
            submitted=submitted,
            until=until,
        )
    seed_decisions(context, operating=operating)


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
    committee's next meeting with the proposed applications on its agenda.  Each step on its day:
    the applications sent in the spring, the agenda published ten days before the meeting, the
    minutes approved the day after it and posted the day after that, final when the appeal period
    has passed, the first part paid as the grant period begins."""
    from meetings import services as meetings
    from meetings.demo import attendance as demo_attendance
    from meetings.demo import second_member
    from meetings.models import Decision, Meeting
    from workflows.services import system_user

    from .agenda import ApplicationAgendaAdapter

    committee = context["committees"]["SN"]
    users = context["users"]
    secretary, caseworker, lars = users["secretary"], users["caseworker"], users["member"]
    asa = second_member(context["municipality"])
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
        closes = day - timedelta(days=50)
        published = at(day - timedelta(days=10), 9)
        spring = _round(
            operating,
            "Vårens omgång",
            opens=now - timedelta(days=1),
            closes=now + timedelta(days=1),
            decision_date=day,
            decision_reference="Socialnämndens sammanträde i juni",
        )
        planned = [(12, 25000), (18, 20000), (16, 30000)]
        for position, (index, amount) in enumerate(planned):
            organisation = organisations[index]
            user = _applicant(
                organisation, f"ansokan{index + 1}@forening.example", f"Kassör {organisation.name}"
            )
            _walk(
                spring,
                organisation,
                user,
                "proposed",
                caseworker,
                amount=amount,
                submitted=at(closes - timedelta(days=6 + 9 * position), 10 + position),
                until=published - timedelta(days=2),
            )
        # The round was open in the spring (its dates are configuration, not a state change).
        Round.objects.filter(pk=spring.pk).update(
            opens_at=_at(min(date(day.year, 2, 1), closes - timedelta(days=60)), 0),
            closes_at=day_end(_at(closes)),
        )
        applications = [
            Application.objects.get(round=spring, organisation=organisations[index]) for index, _a in planned
        ]
        meeting = meetings.meeting_create(
            committee=committee, starts_at=_at(day), place="Kommunhuset, sammanträdesrum Ön", by=secretary
        )
        Meeting.objects.filter(pk=meeting.pk).update(created_at=published - timedelta(days=14))
        items = meetings.agenda_add(meeting=meeting, cases=applications, by=secretary)
        with happened(published):
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
        with happened(meeting.starts_at):
            meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
        # a grant period of a year from the month after the meeting: paid in two parts, half a year apart
        period_start = (date(day.year, day.month, 1) + timedelta(days=32)).replace(day=1)
        period_end = date(period_start.year + 1, period_start.month, 1) - timedelta(days=1)
        period = {
            "period_start": period_start,
            "period_end": period_end,
            "report_due": period_end + timedelta(days=90),
        }
        with happened(meeting.starts_at):  # decided at the meeting (the decisions carry its time)
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
        approved = day + timedelta(days=1)
        with happened(at(approved, 10)):
            meetings.minutes_approve(meeting=meeting, by=lars)
        with happened(at(approved, 15)):
            meetings.minutes_approve(meeting=meeting, by=asa)
        posted = at(day + timedelta(days=2), 9)
        with happened(posted):
            meetings.meeting_post(meeting=meeting, posted_on=day + timedelta(days=2), by=secretary)
        Meeting.objects.filter(pk=meeting.pk).update(posted_at=posted)
        with happened(posted + timedelta(hours=2)):
            job = services.letter_job_start(meeting=meeting, by=secretary)
            services.letter_job_run(job_id=job.pk)
        letters_made(meeting, applications, posted + timedelta(hours=2))
        meeting.refresh_from_db()
        final = at(meeting.appeal_ends_on + timedelta(days=1), 6)
        with happened(final):
            meetings.meeting_make_final(meeting=meeting, by=system_user())
        Decision.objects.filter(item__meeting=meeting).update(final_at=final)
        services.payments_create_due()
        payments_from(applications, planned=at(approved, 15))
        pay_due(by=caseworker)

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


def letters_made(meeting, applications, moment: datetime) -> None:
    """The decision letters of ``applications`` decided at ``meeting`` were made and sent at ``moment``."""
    from workflows.models import StoredDocument

    from .models import DecisionLetter, LetterJob

    letters = DecisionLetter.objects.filter(application__in=applications)
    StoredDocument.objects.filter(pk__in=letters.values("document")).update(created_at=moment)
    LetterJob.objects.filter(meeting=meeting).update(
        created_at=moment, heartbeat_at=moment, finished_at=moment
    )
    letters.update(created_at=moment)


def payments_from(applications, *, planned: datetime) -> None:
    """The payments of ``applications`` as they were planned at ``planned``, when their decision
    could be executed: the first part due then or when the grant period begins, the others spread
    over the period (as the service plans them)."""
    from payments.models import Payment

    executable_on = timezone.localdate(planned)
    for application in Application.objects.filter(pk__in=[a.pk for a in applications]).select_related(
        "decision"
    ):
        decision = application.decision
        start = max(executable_on, decision.period_start) if decision.period_start else executable_on
        end = decision.period_end if decision.period_end and decision.period_end > start else None
        span = (end - start) if end else timedelta(days=365)
        for payment in Payment.objects.filter(application=application):
            Payment.objects.filter(pk=payment.pk).update(
                due_on=start + span * (payment.instalment - 1) / payment.instalments, created_at=planned
            )


def pay_due(*, by) -> None:
    """Every planned payment due by today, exported on its due day (once planned) and paid two days later."""
    from django.db.models import Max

    from payments import services as payments
    from payments.models import Payment, PaymentBatch

    today = timezone.localdate()
    due = Payment.objects.filter(state=Payment.State.PLANNED, due_on__lte=today)
    for day in list(due.order_by("due_on").values_list("due_on", flat=True).distinct()):
        planned = due.filter(due_on__lte=day).aggregate(last=Max("created_at"))["last"]
        exported = max(at(day, 9), planned + timedelta(hours=1))
        with happened(exported):
            batch = payments.payments_export(by=by, due_until=day)
        PaymentBatch.objects.filter(pk=batch.pk).update(created_at=exported)
        paid_on = min(day + timedelta(days=2), today)
        with happened(max(at(paid_on, 14), exported + timedelta(hours=1))):
            payments.payment_batch_mark_paid(batch=batch, by=by, paid_on=paid_on)
