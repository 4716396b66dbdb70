"""Journey 5: an award (utmärkelse), from the public's nominations to the recipients' page.

A member of the public nominates on the public page without signing in; an association applies
for itself; the caseworker screens, and the nominee that may not receive the award is told why;
the jury scores, one member declares a conflict of interest (jäv) and her scores do not count;
the secretary plans the committee's meeting and holds it, the committee decides, both
adjusters approve the minutes and the secretary posts them, all on the pages; every candidate gets a letter
with appeal instructions, the recipient its diploma; the result is announced on the public page.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from awards.models import Candidate
from grants.models import Application
from meetings.services import appeal_period_end
from organizations.models import Organisation, StaffRole
from workflows.models import OutboxMessage

from .. import factories as f
from ..awards.factories import AWARD_NAME, award_round
from ..conftest import build_world
from .meeting import Present, hold_a_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def _member(world, name: str, email: str):
    user = f.UserFactory(email=email, full_name=name)
    f.StaffRoleFactory(user=user, municipality=world.municipality, role=StaffRole.Role.MEMBER)
    return user


def _words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def test_an_award_from_the_publics_nominations_to_the_recipients_page(journey, clock):
    world = build_world()
    round = award_round(world)
    year = round.year
    trygg = world.organisation  # Föreningen Trygg Vardag, nominated by the public
    stod = f.OrganisationFactory(name="Exempelö Stödförening", active_in=[world.municipality])
    treasurer = f.UserFactory(email="kassor@stod.example.se", full_name="Kim Kassör")
    f.active_role(treasurer, stod)
    f.OrganisationDocumentFactory(organisation=stod, doc_type="statutes")
    shop = f.OrganisationFactory(
        name="Exempelö Konsum", kind=Organisation.Kind.ECONOMIC, active_in=[world.municipality]
    )
    shop.email = "styrelsen@konsum.example.se"
    shop.save(update_fields=["email"])
    asa = _member(world, "Åsa Öberg", "asa@exemplo.se")
    bo = _member(world, "Bo Bergström", "bo@exemplo.se")

    # -- A member of the public nominates, on the municipality's award page, without signing in.
    public = journey.person(label="Anna, invånare")
    public.open(f"/utmarkelser/pristagare/{world.municipality.slug}/").look()
    public.click(f"Nominera till {AWARD_NAME}").sees(AWARD_NAME, "10 000 kr").look()
    public.fill("Namn på den du nominerar", "Föreningen Trygg Vardag")
    public.fill("Varför förtjänar de priset?", "Trygg Vardag bryter ensamheten för äldre i Exempelö.")
    public.fill("Ditt namn", "Anna Andersson").fill("Din e-postadress", "anna@example.se")
    public.click("Skicka nomineringen").sees("Tack")
    # A second nomination: a cooperative shop, which the rules do not allow to receive the award.
    public.open(f"/utmarkelser/omgang/{round.pk}/nominera/")
    public.fill("Namn på den du nominerar", "Exempelö Konsum")
    public.fill("Varför förtjänar de priset?", "Butiken bjuder på kaffe till alla som är ensamma.")
    public.fill("Ditt namn", "Bertil Björk").fill("Din e-postadress", "bertil@example.se")
    public.click("Skicka nomineringen").sees("Tack")
    assert set(Candidate.objects.values_list("name", "organisation__name")) == {
        ("Föreningen Trygg Vardag", "Föreningen Trygg Vardag"),
        ("Exempelö Konsum", "Exempelö Konsum"),
    }

    # -- An association applies for itself, signed in, through "Sök bidrag".
    kim = journey.person(treasurer, label="Kim, kassör i Exempelö Stödförening").sign_in()
    kim.open("/bidrag/").sees(AWARD_NAME)
    kim.click("Ansök för Exempelö Stödförening").does_not_see("Sökt belopp")  # an award has no amount
    kim.fill("Ansökans rubrik", "Vi söker Socialnämndens pris")
    kim.click("Skicka in ansökan")
    kim.sees("inskickad", "inkommen")
    application = Application.objects.get(organisation=stod)
    assert Candidate.objects.filter(organisation=stod, application=application).exists()

    # -- The caseworker screens every candidate; the shop may not receive the award.
    caseworker = journey.person(world.user("caseworker"), label="handläggaren").sign_in()
    caseworker.open("/utmarkelser/").look().click(round.name)
    caseworker.sees("Föreningen Trygg Vardag", "Exempelö Konsum", "Exempelö Stödförening").look()
    caseworker.click("Pröva alla inkomna kandidater")
    caseworker.sees("2 behöriga, 1 inte behöriga")
    konsum = Candidate.objects.get(organisation=shop)
    assert konsum.state == "ineligible" and konsum.ineligible_reason
    # The nominator is told why, by e-mail.
    told = OutboxMessage.objects.get(to="bertil@example.se")
    assert "Exempelö Konsum" in told.body and konsum.ineligible_reason.split(";")[0][:30] in _words(told.body)
    caseworker.click("Exempelö Konsum").sees("inte behörig").look()

    # -- The jury scores.  Åsa sits on Trygg Vardag's board: she declares jäv, her scores do not count.
    trygg_candidate = Candidate.objects.get(organisation=trygg)
    stod_candidate = Candidate.objects.get(organisation=stod)

    def score(person, candidate, impact: str, reach: str):
        person.open(f"/utmarkelser/kandidater/{candidate.pk}/").click("Poängsätt kandidaten").look()
        person.choose("Poäng för Gör skillnad i vardagen", impact).choose("Poäng för Når många", reach)
        person.tick("Min bedömning är klar").click("Spara poängen")

    score(caseworker, trygg_candidate, "5", "4")
    score(caseworker, stod_candidate, "3", "3")
    lars = journey.person(world.user("member"), label="Lars, ledamot").sign_in()
    score(lars, trygg_candidate, "4", "4")
    asa_person = journey.person(asa, label="Åsa, ledamot").sign_in()
    score(asa_person, trygg_candidate, "1", "1")
    asa_person.open(f"/utmarkelser/kandidater/{trygg_candidate.pk}/")
    asa_person.fill("Anmäl jäv för den här kandidaten", "Jag sitter i föreningens styrelse.")
    asa_person.click("Anmäl").sees("jäv").does_not_see("Poängsätt kandidaten")
    trygg_candidate.refresh_from_db()
    assert trygg_candidate.score == Decimal("4.33")  # (2×4.5 + 1×4) / 3, without Åsa's ones

    # -- The caseworker shortlists and proposes: Trygg Vardag for the award, the applicant not.
    for candidate, proposal, motivation in (
        (trygg_candidate, "tilldela priset", "För ett tryggare vardagsliv för äldre som bor ensamma."),
        (stod_candidate, "tilldela inte priset", "Verksamheten är ny; sök gärna igen."),
    ):
        caseworker.open(f"/utmarkelser/kandidater/{candidate.pk}/")
        caseworker.click("Sätt på slutlistan")
        caseworker.page.get_by_label(proposal, exact=True).check()
        caseworker.fill("Motivering", motivation).click("Spara förslaget").look()
    assert set(Candidate.objects.filter(state="shortlisted").values_list("proposal", flat=True)) == {
        "awarded",
        "not_awarded",
    }

    # -- The secretary plans the committee's meeting, puts both candidates on its agenda, records
    # Lars and Bo as adjusters and Åsa as present, and holds it.  The decisions follow on its pages.
    secretary = journey.person(world.user("secretary"), label="nämndsekreteraren")
    meeting = hold_a_meeting(
        secretary,
        clock,
        attendance=[
            Present(world.user("member").full_name, "S", adjuster=True),
            Present(bo.full_name, "M", adjuster=True),
            Present(asa.full_name, "C"),
        ],
    )
    assert meeting.items.count() == 2
    secretary.open(f"/sammantraden/{meeting.pk}/").look()
    secretary.click(f"Registrera besluten för {AWARD_NAME} {year}").sees("Föreningen Trygg Vardag").look()
    secretary.sees("Tilldelad priset", "Prissumma (kr)").does_not_see("Bidragsperiod", "Beviljad")
    secretary.click("Registrera besluten")
    assert dict(Candidate.objects.values_list("name", "state")) == {
        "Föreningen Trygg Vardag": "awarded",
        "Exempelö Stödförening": "not_awarded",
        "Exempelö Konsum": "ineligible",
    }
    # The association's own application ends with its candidate: it is not left "submitted".
    application.refresh_from_db()
    assert application.state == "rejected"

    # -- Both adjusters approve the minutes; the secretary posts them.
    for user, label in ((world.user("member"), "Lars"), (bo, "Bo")):
        adjuster = lars if user == lars.user else journey.person(user, label=label).sign_in()
        adjuster.open(f"/sammantraden/{meeting.pk}/").click("Justera protokollet")
        adjuster.click("Jag justerar protokollet")
    secretary.open(f"/sammantraden/{meeting.pk}/").click("Anslå protokollet").look()
    secretary.click("Anslå protokollet")
    meeting.refresh_from_db()
    assert meeting.posted_on == timezone.localdate()
    appeal_ends_on = appeal_period_end(meeting.posted_on).isoformat()

    # -- Every candidate gets its letter, with how, where and by when to appeal.
    def appeal_instructions(text: str) -> None:
        text = _words(text)
        assert "Så här överklagar du beslutet" in text and "laglighetsprövning" in text
        assert "förvaltningsrätten" in text and "tre veckor" in text
        assert (
            f"anslogs den {meeting.posted_on.isoformat()}" in text and f"senast den {appeal_ends_on}" in text
        )

    # The association that applied and was not awarded finds its decision letter.
    kim.open("/beslutsbrev/").sees(AWARD_NAME, "Inte tilldelad").look()
    letter = _words(kim.pdf(f"Beslutsbrev – {AWARD_NAME} {year}"))
    appeal_instructions(letter)
    assert "Exempelö Stödförening får inte utmärkelsen" in letter and "Föreningen Trygg Vardag" in letter
    kim.open(f"/ansokningar/{application.pk}/").sees("avslagen", "får inte utmärkelsen den här gången").look()
    kim.click("Era beslutsbrev").sees(AWARD_NAME)
    assert OutboxMessage.objects.filter(to="kassor@stod.example.se", subject__startswith="Beslut om").exists()

    # The recipient finds its award letter and its diploma.
    siv = journey.person(world.user("applicant"), label="Siv, Föreningen Trygg Vardag").sign_in()
    siv.open("/beslutsbrev/").sees(AWARD_NAME, "Tilldelad").look()
    award_letter = _words(siv.pdf(f"Prisbrev – {AWARD_NAME} {year}"))
    appeal_instructions(award_letter)
    assert "10 000 kr" in award_letter and "Grattis" in award_letter
    diploma = _words(siv.pdf(f"Diplom – {AWARD_NAME} {year}"))
    assert "Diplom" in diploma and "Föreningen Trygg Vardag" in diploma and str(year) in diploma
    assert "För ett tryggare vardagsliv för äldre som bor ensamma." in diploma

    # The shop that may not receive the award gets the reason in its letter (and by e-mail).
    caseworker.open(f"/utmarkelser/kandidater/{konsum.pk}/").look()
    shop_letter = _words(caseworker.pdf(f"Beslut om {AWARD_NAME} {year}: {konsum.case_number}"))
    appeal_instructions(shop_letter)
    assert "ekonomisk förening" in shop_letter
    assert OutboxMessage.objects.filter(to="styrelsen@konsum.example.se").exists()

    # -- The caseworker announces the result: the recipient is on the public page.
    caseworker.open(f"/utmarkelser/omgang/{round.pk}/kandidater/")
    caseworker.click("Tillkännage resultatet och meddela nominerarna").sees("1 pristagare")
    assert OutboxMessage.objects.filter(to="anna@example.se", subject__contains="är beslutat").exists()
    public.open(f"/utmarkelser/pristagare/{world.municipality.slug}/").look()
    public.sees("Föreningen Trygg Vardag", str(year), "För ett tryggare vardagsliv")
    public.does_not_see("Anna Andersson", "anna@example.se", "Exempelö Stödförening", "Exempelö Konsum")
