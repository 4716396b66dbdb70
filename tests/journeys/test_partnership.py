"""Journey 6: an idea-driven public partnership (IOP) from the needs board to its renewal.

The organisation posts an initiative on the board of needs and initiatives, the caseworker turns
it into a partnership initiative and screens it with the IOP checklist, both parties write the
agreement in versions and compare them, the committee decides at a meeting, both sign, the money
is paid, the organisation makes the yearly follow-up (and the partnership runs on by itself), the
term is evaluated and the renewal is a new decision of the committee, with a letter.
"""

import datetime as dt

import pytest
from django.utils import timezone

from iop.models import Partnership
from iop.tasks import iop_run_due
from workflows.models import OutboxMessage

from ..conftest import build_world
from ..grants.decisions import members
from .meeting import Present, hold_a_meeting

pytestmark = pytest.mark.django_db(transaction=True)


def fill_named(person, values: dict):
    """Fill the fields of a long form by their names (the agreement and its rows)."""
    for name, value in values.items():
        field = person.page.locator(f"[name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    return person


def agreement_texts(start: str, end: str) -> dict:
    return {
        "background": "Föreningen har i många år drivit läxhjälp i Norra.",
        "shared_values": "Överenskommelsens principer om självständighet och dialog gäller.",
        "organisation_text": "En styrgrupp med en från varje part.",
        "goals": "Fler barn i Norra klarar skolan.",
        "activities_municipality": "Skolan lånar ut lokaler och en lärare en kväll i veckan.",
        "activities_organisation": "Föreningen håller läxhjälpen öppen tre kvällar i veckan.",
        "follow_up_method": "Årlig uppföljning i styrgruppen.",
        "start_date": start,
        "end_date": end,
        "changes": "Ändringar görs skriftligt.",
        "renegotiation": "Parterna kan begära omförhandling.",
        "termination_disputes": "Tvister löses i första hand genom dialog.",
    }


ROWS = {
    "contributions-0-year": "1",
    "contributions-0-party": "municipality",
    "contributions-0-kind": "money",
    "contributions-0-description": "Samordnare",
    "contributions-0-value": "200000",
    "contributions-1-year": "1",
    "contributions-1-party": "organisation",
    "contributions-1-kind": "volunteer_hours",
    "contributions-1-description": "Läxhjälpare",
    "contributions-1-hours": "1500",
    "contributions-1-value": "150000",
    "indicators-0-goal": "Fler klarar skolan",
    "indicators-0-name": "Barn som fått läxhjälp",
    "indicators-0-target": "80",
    "indicators-0-unit": "barn",
    "members-0-group": "steering",
    "members-0-party": "municipality",
    "members-0-name": "Rektor Rut",
    "members-1-group": "steering",
    "members-1-party": "organisation",
    "members-1-name": "Ordförande Olle",
}


def decide_at_a_meeting(journey, clock, partnership, secretary, adjusters):
    """The secretary holds the committee's meeting with the partnership on its agenda; the
    committee decides, the adjusters approve the minutes and the secretary posts them."""
    meeting = hold_a_meeting(
        secretary, clock, attendance=[Present(user.full_name, "S", adjuster=True) for user in adjusters]
    )
    item = meeting.items.get()
    partnership.refresh_from_db()
    secretary.open(f"/sammantraden/{meeting.pk}/beslut/{item.group_no}/")
    secretary.sees(partnership.title, "Avtalet godkänns", "Kommunens pengar under avtalsperioden").look()
    secretary.does_not_see("Bidragsperiod", "Beviljad")
    if partnership.state == "renewal_proposed":
        secretary.sees("förnyelse av IOP-avtalet", "Nämnden föreslås förnya IOP-avtalet")
    secretary.click("Registrera besluten")
    for adjuster in adjusters:
        person = journey.person(adjuster).sign_in()
        person.open(f"/sammantraden/{meeting.pk}/justering/").click("Jag justerar protokollet")
    secretary.open(f"/sammantraden/{meeting.pk}/anslag/")
    secretary.fill("Anslaget på anslagstavlan den", timezone.localdate().isoformat()).click(
        "Anslå protokollet"
    )
    meeting.refresh_from_db()
    assert meeting.state == "posted"
    return meeting


def test_a_partnership_from_the_needs_board_to_its_renewal_by_a_new_decision(journey, clock):
    world = build_world()
    world.organisation.account_type, world.organisation.account_number = "bankgiro", "56781234"
    world.organisation.save()
    clock.travel(dt.date(2026, 1, 12))
    slug = world.municipality.slug

    # The organisation's initiative on the board of needs and initiatives.
    applicant = journey.person(world.user("applicant")).sign_in()
    applicant.open(f"/kommun/{slug}/behov-och-initiativ/nytt/").tick("Ett initiativ")
    fill_named(
        applicant,
        {
            "title": "Läxhjälp i Norra",
            "body": "Vi kan driva läxhjälp med volontärer tre kvällar i veckan.",
            "area": "Norra",
            "target_group": "Barn i årskurs 4–9",
            "contact": "info@tryggvardag.example",
        },
    )
    applicant.page.locator("main form button[type=submit]").last.click()
    applicant.page.wait_for_load_state()
    applicant.check("post the initiative")

    # The caseworker turns it into a partnership initiative.
    caseworker = journey.person(world.user("caseworker")).sign_in()
    caseworker.open(applicant.page.url.replace(journey.base_url, "")).look()
    caseworker.click("Gör om till ett initiativ till partnerskap").look()
    caseworker.choose("Nämnd", "Socialnämnden")
    fill_named(
        caseworker,
        {
            "organisation_brings": "Volontärer och lokal.",
            "municipality_asked": "En samordnare och samverkan med skolan.",
            "political_goal": "Skolplanen: alla barn ska klara skolan.",
        },
    )
    caseworker.click("Registrera initiativet")
    partnership = Partnership.objects.get()
    assert partnership.organisation == world.organisation

    # Screening with the IOP checklist.
    caseworker.open(f"/partnerskap/{partnership.pk}/").sees("Påbörja prövningen").look()
    caseworker.click("Påbörja prövningen").click("Fyll i IOP-checklistan")
    for name in [
        "own_initiative",
        "political_goal",
        "no_procurement",
        "not_grant",
        "co_financing",
        "no_detailed_steering",
        "state_aid",
    ]:
        caseworker.page.locator(f"[name={name}][value=yes]").check()
        caseworker.page.locator(f"[name={name}_motivation]").fill("Bedömt i dialog med föreningen.")
    caseworker.page.locator("[name=state_aid_criterion]").select_option("not_economic")
    caseworker.click("Spara checklistan").look().click("Lämpligt för IOP: inled dialogen")
    caseworker.sees("dialog").click("Börja skriva avtalet")

    # The agreement, written in versions by both parties and compared.
    caseworker.click("Skriv avtalet")
    fill_named(caseworker, {**agreement_texts("2026-04-01", "2028-04-01"), **ROWS}).look()
    caseworker.click("Spara som ny version").sees("Avtal, version 1")
    applicant.open(f"/partnerskap/{partnership.pk}/avtal/")
    applicant.fill("Mål", "Fler barn i Norra klarar skolan, också på lov.")
    applicant.click("Spara som ny version").sees(
        "Avtal, version 2", "Samordnare", "Rektor Rut", "Barn som fått läxhjälp"
    )
    version = partnership.latest_version()
    assert (
        version.number,
        version.contributions.count(),
        version.indicators.count(),
        version.members.count(),
    ) == (
        2,
        2,
        1,
        2,
    )
    applicant.click("Jämför med föregående version").sees(
        "Fler barn i Norra klarar skolan, också på lov."
    ).look()

    # Proposed to the committee and decided at its meeting.
    caseworker.open(f"/partnerskap/{partnership.pk}/").click("Föreslå till nämnden")
    secretary = journey.person(world.user("secretary"))
    decide_at_a_meeting(journey, clock, partnership, secretary, members(world))
    partnership.refresh_from_db()
    assert partnership.state == "approved"

    # Signed by both parties.
    caseworker.open(f"/partnerskap/{partnership.pk}/").sees("Kvar att underteckna").look()
    caseworker.click("Registrera kommunens underskrift").fill(
        "Namn på den som undertecknade", "Ordförande Olsson"
    )
    caseworker.click("Registrera underskriften")
    applicant.open(f"/partnerskap/{partnership.pk}/").click("Underteckna för organisationen")
    applicant.fill("Namn på den som undertecknade", "Siv Sökande").click("Registrera underskriften")
    applicant.sees("undertecknat", "2026-04-01")
    pdf = applicant.pdf("Beslut om partnerskapet Läxhjälp i Norra")
    assert "laglighetsprövning" in pdf and "senast den" in " ".join(pdf.split())

    # The term starts by itself; the money is paid to the registered account.
    clock.travel(dt.date(2026, 4, 1))
    iop_run_due()
    caseworker.sign_in().open(f"/partnerskap/{partnership.pk}/utbetalningar/")
    caseworker.fill("Period", "2026").fill("Belopp (kr)", "200000").click("Planera utbetalningen")
    caseworker.click("Markera som utbetald").sees("200 000 kr").look()

    # The yearly follow-up: reminded, made by the organisation, and the partnership runs on by itself.
    clock.travel(dt.date(2027, 3, 10))
    iop_run_due()
    partnership.refresh_from_db()
    assert partnership.state == "follow_up_due"
    assert OutboxMessage.objects.filter(key=f"iop:follow-up:{partnership.pk}:1:due").exists()
    caseworker.sign_in().open(f"/partnerskap/{partnership.pk}/").sees(
        "Väntar på den årliga uppföljningen av år 1"
    )
    applicant.sign_in().open(f"/partnerskap/{partnership.pk}/").sees("Gör den årliga uppföljningen av år 1")
    applicant.click("Gör uppföljningen").look()
    applicant.fill("Insatser som varje part har gjort", "Kommunen: samordnare. Föreningen: 1 600 timmar.")
    applicant.fill("Gemensam bedömning", "Fler barn än planerat har fått hjälp.")
    applicant.fill("Barn som fått läxhjälp: uppnått", "95")
    applicant.click("Spara uppföljningen")
    partnership.refresh_from_db()
    assert partnership.state == "active"
    applicant.open(f"/partnerskap/{partnership.pk}/").sees("Partnerskapet pågår")

    # The final year: evaluation, a new version with a new term, and renewal by a new decision.
    clock.travel(dt.date(2027, 4, 10))
    caseworker.sign_in().open(f"/partnerskap/{partnership.pk}/").click("Påbörja utvärderingen")
    caseworker.sees("Utvärdera perioden tillsammans").click("Registrera utvärderingen").look()
    caseworker.fill("Vad partnerskapet har uppnått", "Målen har nåtts och fler barn klarar skolan.")
    caseworker.choose("Förslag", "förnya partnerskapet").click("Spara utvärderingen")
    caseworker.click("Skriv en ny version av avtalet")
    fill_named(caseworker, {"start_date": "2028-04-01", "end_date": "2031-04-01", "note": "Förnyelse tre år"})
    caseworker.click("Spara som ny version").sees("Avtal, version 3", "Samordnare", "Rektor Rut")
    caseworker.open(f"/partnerskap/{partnership.pk}/").does_not_see("Förnya med det nya avtalet")
    caseworker.click("Föreslå förnyelsen till nämnden").sees("förnyelse föreslagen till nämnden")
    decide_at_a_meeting(journey, clock, partnership, secretary, members(world))
    partnership.refresh_from_db()
    assert (partnership.state, partnership.term_end) == ("renewed", dt.date(2031, 4, 1))
    caseworker.open(f"/partnerskap/{partnership.pk}/").sees(
        "Beslut om förnyelse", "Förnyat", "Godkänt"
    ).look()
    caseworker.does_not_see("Starta partnerskapet")
    letter = caseworker.pdf("Beslut om förnyelse av partnerskapet Läxhjälp i Norra")
    assert "laglighetsprövning" in letter and "2031-04-01" in letter
