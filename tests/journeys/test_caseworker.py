"""Journey 2: the caseworker (handläggare) takes the municipality's grant applications through
screening, assessment and proposal, asks for completions, dismisses with a letter, and follows
up the grants: a report reviewed, the rules checked again, a reclaim proposed.

The applications come in through the factories (the applicant's road is journey 1); every step
of the caseworker is taken on the pages, signed in with the second factor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from grants import services
from grants.models import Application, CompletionRequest
from grants.reporting import services as reporting
from grants.reporting.models import FollowUpReport, Reclaim
from organizations.models import Organisation

from .. import factories as f
from ..conftest import build_world
from ..grants.factories import RoundFactory, open_round, pdf_upload
from ..grants.test_caseworker_pages import submit_owing
from ..reporting.factories import fill_in, report_in

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\xa0"


def _submitted(world, name: str, *, kind=Organisation.Kind.NONPROFIT, round=None, amount=40000):
    """An organisation of its own with an applicant, and its application submitted in ``round``."""
    round = round or open_round(world)
    organisation = f.OrganisationFactory(name=name, kind=kind, active_in=[world.municipality])
    applicant = f.UserFactory(email=f"{organisation.pk}@forening.example.se", full_name=f"Sökande {name}")
    f.active_role(applicant, organisation)
    return _submit(world, round, organisation, applicant, amount)


def _submit(world, round, organisation, applicant, amount=40000):
    if not organisation.documents.filter(doc_type="statutes").exists():
        f.OrganisationDocumentFactory(organisation=organisation, doc_type="statutes")
    config = world.objects["config"]
    application = services.application_start(round=round, organisation=organisation, by=applicant)
    services.application_save(
        application=application,
        by=applicant,
        title=f"Träffar hos {organisation.name}",
        requested_amount=amount,
        answers={
            f"field:{config['fields']['purpose'].pk}": "Veckoträffar med lunch.",
            f"field:{config['fields']['focus'].pk}": "Äldre",
        },
        democracy_declaration=True,
    )
    services.application_attach(
        application=application,
        by=applicant,
        key=f"attachment:{config['attachments']['budget'].pk}",
        upload=pdf_upload(),
    )
    return submit_owing(application, applicant)


def _sv(label) -> str:
    with translation.override("sv"):
        return str(label)


def _caseworker(journey, world):
    caseworker = journey.person(world.user("caseworker"), label="handläggaren").sign_in()
    return caseworker


def test_the_caseworker_screens_with_a_written_override_assesses_and_proposes(journey):
    world = build_world()
    open_round(world)
    network = _submitted(world, "Grannskapsnätverket", kind=Organisation.Kind.INFORMAL)

    caseworker = _caseworker(journey, world)
    caseworker.page.locator("header").get_by_role("link", name="Inkorg").click()
    caseworker.check("click Inkorg")
    caseworker.sees("Inkorg", network.case_number, "Grannskapsnätverket").look()
    caseworker.click(f"Ta {network.case_number}").sees("Uppgiften är din")
    caseworker.click(network.case_number, role="link", exact=True)

    # Screening: the failed rule is named with its reason, and acceptance waits for it.
    caseworker.sees("inte uppfyllt", "informellt nätverk", "Ta upp till bedömning:").look()
    assert not caseworker.page.get_by_role("button", name="Ta upp till bedömning").count()
    caseworker.fill(
        "Varför villkoret undantas", "Nätverket har en styrelse och stadgar; nämnden ser det som en förening."
    )
    caseworker.click("Undanta villkoret").sees("undantaget", "Nätverket har en styrelse och stadgar")
    caseworker.click("Ta upp till bedömning").sees("under bedömning")

    # Assessment with the program's criteria: an unfinished score is named at its field.
    caseworker.click("Bedöm", role="link", exact=True).sees("vikt 2,00").look()
    caseworker.tick("Min bedömning är klar").click("Spara bedömningen")
    caseworker.sees("Något behöver rättas", "Ge ett betyg innan bedömningen är klar.")
    summary_link = caseworker.page.locator(".error-summary a").first
    assert summary_link.get_attribute("href").startswith("#id_score_")
    caseworker.look()
    caseworker.choose("Poäng för Når målgruppen", "4").tick("Ej tillämpligt: Kvalitet")
    caseworker.fill("Sammanfattande kommentar", "Når äldre i hela kommunen.")
    caseworker.click("Spara bedömningen").sees("Din bedömning är sparad", "4,00")
    caseworker.click("Avsluta bedömningen").sees("bedömd")

    # The proposal: amount and motivation, then the case waits for the committee.
    caseworker.look()
    assert caseworker.field("Föreslaget belopp (kr)").input_value() == "40000"
    caseworker.fill("Föreslaget belopp (kr)", "35000")
    caseworker.fill("Motivering", "Väl förankrad verksamhet; lokalhyran är högt räknad.")
    caseworker.click("Föreslå beslut").sees("förslag till beslut", f"35{NBSP}000{NBSP}kr")
    network.refresh_from_db()
    assert (network.state, network.proposed_amount) == ("proposed", 35000)
    assert network.overrides.get().reason.startswith("Nätverket har en styrelse")


def test_the_caseworker_requests_a_completion_and_dismisses_an_ineligible_application_with_a_letter(
    journey,
):
    world = build_world()
    open_round(world)
    choir = _submitted(world, "Kören Samklang")
    company = _submitted(world, "Lunchkooperativet", kind=Organisation.Kind.ECONOMIC)

    caseworker = _caseworker(journey, world)
    caseworker.open("/handlaggning/").sees(choir.case_number, company.case_number)

    # A completion: the applicant has ten working days to answer.
    caseworker.click(choir.case_number, role="link", exact=True)
    caseworker.fill("Vad som behöver kompletteras", "Skicka verksamhetsberättelsen för förra året.")
    caseworker.click("Begär komplettering").sees("komplettering begärd", "Skicka verksamhetsberättelsen")
    request = CompletionRequest.objects.get(application=choir)
    assert request.deadline > timezone.localdate()
    caseworker.sees(request.deadline.isoformat())

    # An ineligible application: dismissing is secondary, and confirmed on a page of its own.
    caseworker.open(f"/ansokningar/{company.pk}/")
    caseworker.sees("inte uppfyllt", "ekonomisk förening")
    dismiss = caseworker.page.get_by_role("link", name="Avvisa")
    assert "button-secondary" in dismiss.get_attribute("class")
    assert not caseworker.page.locator(".button-danger").count()
    caseworker.click("Avvisa", role="link").sees("Avvisa ansökan", "beslutsbrev").look()
    caseworker.click("Avvisa ansökan", role="button").sees("Något behöver rättas", "Skriv varför")
    company.refresh_from_db()
    assert company.state == "submitted"
    caseworker.fill(
        "Varför ansökan avvisas",
        "Programmet är öppet för ideella föreningar; Lunchkooperativet är en ekonomisk förening.",
    )
    caseworker.click("Avvisa ansökan", role="button").sees("avvisad")
    letter = caseworker.pdf("Beslutet att avvisa ansökan (PDF)").replace(NBSP, " ")
    assert "Ansökan avvisas" in letter and company.case_number in letter
    assert "Lunchkooperativet är en ekonomisk förening" in letter
    assert "Så här överklagar du beslutet" in letter and "tre veckor" in letter
    company.refresh_from_db()
    assert company.state == "dismissed"


def test_the_caseworker_handles_a_late_application_with_its_deduction(journey):
    world = build_world()
    program = open_round(world).program
    now = timezone.now()
    late_round = RoundFactory(
        program=program,
        name="Höstens omgång",
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=8),
        late_rule="deduct",
        late_deduction_percent=Decimal("10"),
    )
    late = _submitted(world, "Sena Seniorerna", round=late_round)
    assert late.late_deduction_percent == 20  # two started weeks

    caseworker = _caseworker(journey, world)
    caseworker.open("/handlaggning/").click(late.case_number, role="link", exact=True)
    caseworker.sees(f"40{NBSP}000{NBSP}kr", f"sen: 20 % avdrag, högst 32{NBSP}000{NBSP}kr")
    caseworker.click("Ta upp till bedömning").click("Bedöm", role="link", exact=True)
    caseworker.choose("Poäng för Når målgruppen", "3").choose("Poäng för Kvalitet", "3")
    caseworker.tick("Min bedömning är klar").click("Spara bedömningen")
    caseworker.click("Avsluta bedömningen")
    caseworker.sees(f"Sen ansökan: 20 % avdrag, högst 32{NBSP}000{NBSP}kr.")
    assert caseworker.field("Föreslaget belopp (kr)").input_value() == "32000"
    caseworker.fill("Motivering", "Bra verksamhet; avdrag för sen ansökan enligt reglerna.")
    caseworker.click("Föreslå beslut").sees("förslag till beslut", f"32{NBSP}000{NBSP}kr")
    late.refresh_from_db()
    assert late.proposed_amount == 32000


def test_the_caseworker_reviews_a_report_checks_the_rules_again_and_proposes_a_reclaim(journey):
    world = build_world()
    misused = report_in(world, "submitted", key="misused", amount=20000)
    overdue = report_in(world, "overdue")
    program = overdue.program
    spring = RoundFactory(program=program, name="Vårens omgång")
    # submitted while the report was overdue: the case stops at screening with the reason
    application = _submit(world, spring, world.organisation, world.users["applicant"])
    failing = [r for r in application.eligibility if not r["ok"]]
    assert [r["kind"] for r in failing] == ["no_overdue_report"]
    # the organisation sends the overdue report afterwards
    fill_in(world, overdue)
    reporting.report_submit(report=overdue, by=world.users["applicant"])

    caseworker = _caseworker(journey, world)
    caseworker.open(f"/ansokningar/{application.pk}/")
    caseworker.sees("Ansökan stannar i granskningen", overdue.case_number, "Ta upp till bedömning:")

    # The report is reviewed and approved on its page.
    caseworker.open("/aterrapportering/").click(overdue.case_number, role="link", exact=True)
    caseworker.sees("Genomförda aktiviteter", "Tio öppna träffar").look()
    caseworker.click("Godkänn återrapporteringen").sees("godkänd")
    assert FollowUpReport.objects.get(pk=overdue.pk).state == "approved"

    # Back at the application: the rules are checked again now, and the case moves on.
    caseworker.open(f"/ansokningar/{application.pk}/")
    caseworker.click("Kontrollera reglerna igen").sees("alla regler är uppfyllda")
    caseworker.click("Ta upp till bedömning").sees("under bedömning")
    application.refresh_from_db()
    assert application.state == Application.State.IN_ASSESSMENT

    # A report that shows the grant went elsewhere: not approved, and a reclaim proposed.
    caseworker.open(f"/aterrapportering/{misused.pk}/")
    assert not caseworker.page.locator(".button-danger").is_visible()  # behind a step of its own
    caseworker.page.locator("summary", has_text="Godkänn inte").click()
    caseworker.fill("Motivering", value="Bidraget användes till en resa som inte ingick i ansökan.")
    caseworker.click("Godkänn inte", role="button", exact=True).sees("inte godkänd")
    caseworker.click("Föreslå återkrav av bidraget").look()
    caseworker.fill("Belopp att kräva tillbaka (kr)", "20000")
    caseworker.choose("Skäl", _sv(Reclaim.Grounds.OTHER_PURPOSE.label))
    caseworker.fill("Motivering", "Resan ingick inte i det som beviljades.")
    caseworker.click("Föreslå återkravet")
    reclaim = Reclaim.objects.get(report=misused)
    assert (reclaim.state, reclaim.amount) == (Reclaim.State.PROPOSED, 20000)
    caseworker.sees(reclaim.case_number, f"20{NBSP}000{NBSP}kr")
