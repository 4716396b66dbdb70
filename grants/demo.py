"""Demo data of grants: Socialnämnden's programs, open and closed rounds, and applications in every state.

Idempotent, and every state change goes through the services (so each has its log row).
"""

from __future__ import annotations

from datetime import timedelta
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


def _round(program, name, *, opens, closes, **extra) -> Round:
    round, _created = Round.objects.get_or_create(
        program=program,
        name=name,
        defaults={"year": timezone.localdate().year, "opens_at": opens, "closes_at": closes, **extra},
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
    from .awards.demo import seed as seed_awards  # awards live in their own package

    seed_awards(context)
