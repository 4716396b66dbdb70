"""Factories of grants: a program with a form, attachments, rules and criteria, and its rounds."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from grants.models import (
    BudgetCommitment,
    Criterion,
    EligibilityRule,
    FormField,
    Program,
    ProgramBudget,
    RequiredAttachment,
    Round,
)

from ..factories import CommitteeFactory
from ..pdf import tiny_pdf


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    committee = factory.SubFactory(CommitteeFactory)
    municipality = factory.LazyAttribute(lambda o: o.committee.municipality)
    kind = Program.Kind.OPERATING
    name = "Verksamhetsstöd till sociala föreningar"
    rules_reference = "SN 2025:12"
    description = "Stöd till föreningar som arbetar för social gemenskap."
    delegation_limit = Decimal("30000")
    # The shared worlds walk several applications of one organisation through one round; the
    # rule of one per organisation and round has its own tests.
    several_per_round = True


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Omgång {n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))


def configure_program(program, *, rules=None) -> dict:
    """A typical form: purpose (required), member count, a yes/no, a budget file; statutes from the register."""
    fields = {
        "purpose": FormField.objects.create(
            program=program,
            kind=FormField.Kind.LONG_TEXT,
            label="Vad ska stödet användas till?",
            required=True,
            order=1,
        ),
        "participants": FormField.objects.create(
            program=program, kind=FormField.Kind.NUMBER, label="Antal deltagare", required=False, order=2
        ),
        "focus": FormField.objects.create(
            program=program,
            kind=FormField.Kind.CHOICE,
            label="Målgrupp",
            required=True,
            order=3,
            choices="Barn\nÄldre\nAlla",
        ),
    }
    attachments = {
        "statutes": RequiredAttachment.objects.create(
            program=program, label="Stadgar", doc_type="statutes", required=True, order=1
        ),
        "budget": RequiredAttachment.objects.create(
            program=program, label="Budget för verksamheten", doc_type="", required=True, order=2
        ),
    }
    for kind, params in (rules or {"org_kinds": {"kinds": ["nonprofit", "religious", "foundation"]}}).items():
        EligibilityRule.objects.create(program=program, kind=kind, params=params)
    criteria = {
        "reach": Criterion.objects.create(
            program=program, name="Når målgruppen", weight=Decimal("2"), order=1
        ),
        "quality": Criterion.objects.create(
            program=program, name="Kvalitet", weight=Decimal("1"), order=2, allow_not_applicable=True
        ),
    }
    budget = ProgramBudget.objects.create(
        program=program, year=timezone.localdate().year, amount=Decimal("135000")
    )
    BudgetCommitment.objects.create(budget=budget, description="IOP Trygg Vardag", amount=Decimal("84000"))
    return {"fields": fields, "attachments": attachments, "criteria": criteria, "budget": budget}


def open_round(world, **rules):
    """A program of the world's committee with an open round (memoised in world.objects)."""
    if "round" in world.objects:
        return world.objects["round"]
    program = ProgramFactory(committee=world.committee, municipality=world.municipality)
    world.objects["config"] = configure_program(program, rules=rules or None)
    world.objects["program"] = program
    world.objects["round"] = RoundFactory(program=program)
    return world.objects["round"]


PDF = tiny_pdf()


def pdf_upload(name="budget.pdf", data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def draft_application(world, *, organisation=None, user=None):
    """A filled-in draft, ready to submit."""
    from grants import services

    from ..factories import OrganisationDocumentFactory

    round = open_round(world)
    organisation = organisation or world.organisation
    user = user or world.users["applicant"]
    if not organisation.documents.filter(doc_type="statutes").exists():
        OrganisationDocumentFactory(organisation=organisation, doc_type="statutes")
    config = world.objects["config"]
    application = services.application_start(round=round, organisation=organisation, by=user)
    services.application_save(
        application=application,
        by=user,
        title="Träffpunkt för äldre",
        requested_amount=40000,
        answers={
            f"field:{config['fields']['purpose'].pk}": "Veckoträffar med lunch.",
            f"field:{config['fields']['focus'].pk}": "Äldre",
        },
        democracy_declaration=True,
    )
    services.application_attach(
        application=application,
        by=user,
        key=f"attachment:{config['attachments']['budget'].pk}",
        upload=pdf_upload(),
    )
    return application


def application_in(world, state: str, *, key: str = "application"):
    """An application walked through the services to ``state`` (memoised in world.objects[key])."""
    from grants import services
    from grants.models import Application

    if key in world.objects:
        return world.objects[key]
    applicant = world.users["applicant"]
    caseworker = world.users["caseworker"]
    application = draft_application(world)
    steps = ["submitted", "in_assessment", "assessed", "proposed"]
    if state == "completion_requested":
        steps = ["submitted", "completion_requested"]
    if state != "draft":
        for step in steps:
            if step == "submitted":
                application = services.application_submit(application=application, by=applicant)
            elif step == "completion_requested":
                services.application_request_completion(
                    application=application, by=caseworker, message="Skicka verksamhetsberättelsen."
                )
            elif step == "in_assessment":
                application = services.application_accept(application=application, by=caseworker)
            elif step == "assessed":
                criteria = world.objects["config"]["criteria"]
                services.assessment_save(
                    application=application,
                    by=caseworker,
                    scores={
                        str(criteria["reach"].pk): {"score": 4},
                        str(criteria["quality"].pk): {"score": 3},
                    },
                    comment="Bra",
                    complete=True,
                )
                application = services.application_finish_assessment(application=application, by=caseworker)
            elif step == "proposed":
                application = services.application_propose(
                    application=application,
                    by=caseworker,
                    amount=35000,
                    motivation="Väl förankrad verksamhet.",
                )
            if step == state:
                break
    application = Application.objects.get(pk=application.pk)
    world.objects[key] = application
    return application
