"""Journey 2: the caseworker (handläggare) takes the municipality's grant applications through
screening, assessment and proposal, asks for completions, dismisses with a letter, and follows
up the grants: a report reviewed, the rules checked again, a reclaim proposed.

The applications come in on the pages: each association's treasurer signs in and sends its
application (journey 1 walks that road in full).  The associations' registration, and the grants
and reports of earlier years, are set up with the factories.  Every step of the caseworker is
taken on the pages, signed in with the second factor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from grants.models import Application, CompletionRequest
from organizations.models import Organisation
from reporting.models import FollowUpReport, Reclaim

from .. import factories as f
from ..conftest import build_world
from ..grants.factories import PDF, RoundFactory, open_round
from ..reporting.factories import report_in

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\xa0"


def _association(world, name: str, *, kind=Organisation.Kind.NONPROFIT):
    """An association registered earlier, with its statutes in the register, and its treasurer."""
    organisation = f.OrganisationFactory(name=name, kind=kind, active_in=[world.municipality])
    f.OrganisationDocumentFactory(organisation=organisation, doc_type="statutes")
    treasurer = f.UserFactory(email=f"{organisation.pk}@forening.example.se", full_name=f"Kassör {name}")
    f.active_role(treasurer, organisation)
    return organisation, treasurer


def _applies(journey, world, organisation, treasurer, *, round=None, amount=40000, owing=False, person=None):
    """The association's treasurer sends its application on the pages; returns it as submitted.

    ``owing``: the organisation owes a report, which the page tells before sending; she sends anyway.
    """
    round = round or open_round(world)
    config = world.objects["config"]
    person = person or journey.person(treasurer, label=f"kassören i {organisation.name}").sign_in()
    person.open("/bidrag/")
    card = person.page.locator("li.card").filter(has=person.page.locator(f"#round-{round.pk}"))
    card.get_by_role("button", name=f"Ansök för {organisation.name}").click()
    person.page.wait_for_load_state()
    person.check(f"apply for {organisation.name}")
    person.fill("Ansökans rubrik", f"Träffar hos {organisation.name}").fill("Sökt belopp", str(amount))
    person.fill(config["fields"]["purpose"].label, "Veckoträffar med lunch.")
    person.choose(config["fields"]["focus"].label, "Äldre")
    person.upload(config["attachments"]["budget"].label, "budget.pdf", PDF)
    if owing:
        person.sees("Innan du skickar").tick("Jag har läst detta och vill skicka ansökan ändå")
    person.click("Skicka in ansökan")
    application = Application.objects.get(round=round, organisation=organisation)
    assert application.state == Application.State.SUBMITTED, person.text()[:600]
    person.sees(f"diarienummer {application.case_number}")
    return application


def _submitted(journey, world, name: str, *, kind=Organisation.Kind.NONPROFIT, round=None, amount=40000):
    """A new association, and its application sent on the pages in ``round``."""
    organisation, treasurer = _association(world, name, kind=kind)
    return _applies(journey, world, organisation, treasurer, round=round, amount=amount)


def _sv(label) -> str:
    with translation.override("sv"):
        return str(label)


def _caseworker(journey, world):
    caseworker = journey.person(world.user("caseworker"), label="handläggaren").sign_in()
    return caseworker


def test_the_caseworker_screens_with_a_written_override_assesses_and_proposes(journey):
    world = build_world()
    open_round(world)
    network = _submitted(journey, world, "Grannskapsnätverket", kind=Organisation.Kind.INFORMAL)

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
    choir = _submitted(journey, world, "Kören Samklang")
    company = _submitted(journey, world, "Lunchkooperativet", kind=Organisation.Kind.ECONOMIC)

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
    late = _submitted(journey, world, "Sena Seniorerna", round=late_round)
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
    fields = world.objects["reporting"]["fields"]

    # Siv sends the spring application while the report is overdue: the page tells her first,
    # and the case stops at screening with the reason
    siv = journey.person(world.user("applicant"), label="Siv, kassör").sign_in()
    application = _applies(journey, world, world.organisation, siv.user, round=spring, owing=True, person=siv)
    failing = [r for r in application.eligibility if not r["ok"]]
    assert [r["kind"] for r in failing] == ["no_overdue_report"]
    # and sends the overdue report afterwards, on its page
    siv.open("/aterrapportering/mina/").click(overdue.case_number)
    siv.click("Fyll i och lämna in återrapporteringen")
    siv.fill(fields["activities"].label, "Tio öppna träffar med lunch.")
    siv.fill(fields["participants"].label, "120")
    siv.fill("Utfall: Öppna träffar", "10")
    siv.upload(fields["statement"].label, "resultat.pdf", PDF)
    siv.click("Spara och lämna in återrapporteringen")
    assert FollowUpReport.objects.get(pk=overdue.pk).state == FollowUpReport.State.SUBMITTED

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
