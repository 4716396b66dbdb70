"""Journey 8: the municipality administrator sets up the municipality on pages, and the program
administrator a grant program, end to end, without the Django admin."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from django_fsm_log.models import StateLog

from grants.models import Criterion, EligibilityRule, FormField, Program, Round
from organizations.models import Committee, Delegation, StaffRole
from reporting.models import ReportingRequirement
from workflows.models import OutboxMessage

from .. import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Ny-losenordsfras-2026"


def _link_in_mail(to: str) -> str:
    body = OutboxMessage.objects.filter(to=to).latest("pk").body
    return re.search(r"https?://[^/\s]+(/\S*)", body).group(1)  # the path, on this test's server


def test_an_administrator_sets_up_a_municipality_and_a_program_administrator_a_program(journey):
    municipality = f.MunicipalityFactory(name="Exempelö kommun", slug="exemplo")
    admin = f.UserFactory(email="ada@exemplo.se", full_name="Ada Administratör")
    f.StaffRoleFactory(user=admin, municipality=municipality, role=StaffRole.Role.MUNICIPALITY_ADMIN)
    applicant = f.UserFactory(email="sokande@example.se", full_name="Siv Sökande")
    organisation = f.OrganisationFactory(name="Föreningen Trygg Vardag", active_in=[municipality])
    f.active_role(applicant, organisation)

    # -- the administrator: a committee, staff and their roles, a delegation --
    ada = journey.person(admin).sign_in()
    ada.sees("Administration av kommunen", "Kommunen har ingen nämnd än").look()
    ada.click("Lägg till en nämnd")
    ada.fill("Nämndens namn", "Kultur- och fritidsnämnden").fill("Kod i diarienummer", "kfn")
    ada.click("Spara nämnden").sees("Kultur- och fritidsnämnden", "KFN").look()
    committee = Committee.objects.get(municipality=municipality)
    assert committee.code == "KFN"

    ada.click("Personal och roller").click("Bjud in eller ge en roll").look()
    ada.fill("E-postadress", "pia@exemplo.se").fill("Namn", "Pia Programansvarig", exact=True)
    ada.tick("programansvarig", exact=True).click("Ge rollen")
    ada.sees("Pia Programansvarig är nu programansvarig")

    ada.click("Bjud in eller ge en roll")
    ada.fill("E-postadress", "hans@exemplo.se").fill("Namn", "Hans Handläggare", exact=True)
    ada.tick("handläggare", exact=True).choose("Nämnd", "Kultur- och fritidsnämnden", exact=True)
    ada.click("Ge rollen").sees("Hans Handläggare är nu handläggare")

    # a role given by mistake is removed, after a confirmation page
    ada.click("Ge en roll till – Hans Handläggare")
    ada.tick("ledamot", exact=True).click("Ge rollen").sees("Hans Handläggare är nu ledamot")
    ada.click("Ta bort ledamot – Hans Handläggare").sees("Ta bort en roll", "Hans Handläggare").look()
    ada.fill("Motivering (frivillig)", "Fel roll").click("Ta bort rollen").sees(
        "Hans Handläggare är inte längre ledamot"
    )
    ada.look()

    pia_user = StaffRole.objects.get(role="program_admin", state="active").user
    hans_user = StaffRole.objects.get(role="caseworker", state="active", committee=committee).user
    removed = StaffRole.objects.get(user=hans_user, role="member")
    assert removed.state == StaffRole.State.REVOKED
    log = StateLog.objects.for_(removed).order_by("pk")
    assert [(e.transition, e.by_id) for e in log] == [("grant", admin.pk), ("revoke", admin.pk)]
    assert log.last().description == "Fel roll"

    ada.click("Delegationer").sees("Ingen delegation gäller").click("Lägg till en delegation")
    ada.choose("Tjänsteperson", "Hans Handläggare (hans@exemplo.se)")
    ada.choose("För nämnden", "Kultur- och fritidsnämnden").tick("beslut om bidrag")
    ada.fill("Upp till belopp (kr)", "25000").click("Spara delegationen")
    ada.sees("Hans Handläggare får nu fatta beslut om bidrag", "25 000 kr").look()
    delegation = Delegation.objects.get(user=hans_user)
    assert (delegation.committee, delegation.max_amount, delegation.state) == (committee, 25000, "active")
    assert StateLog.objects.for_(delegation).get().by == admin

    # -- the program administrator follows the invitation and sets up a program --
    pia = journey.person(pia_user, password=NEW_PASSWORD)
    pia.open(_link_in_mail("pia@exemplo.se"))
    pia.fill("Nytt lösenord", NEW_PASSWORD).fill("Bekräfta nytt lösenord", NEW_PASSWORD)
    pia.click("Spara lösenord")
    pia.sign_in().sees("Dina bidragsprogram", "Du har inget aktivt program än").look()
    pia.click("Skapa ett program").look()
    pia.choose("Nämnd", "Kultur- och fritidsnämnden").choose("Typ", "projektbidrag")
    pia.fill("Namn", "Kulturstöd till föreningar")
    pia.fill("Beskrivning", "Stöd till föreningars kulturarrangemang för invånarna.")
    pia.click("Spara")
    program = Program.objects.get(name="Kulturstöd till föreningar")
    pia.sees("Kulturstöd till föreningar")

    year = timezone.localdate().year
    pia.click("Omgångar", role="link")
    pia.fill("Namn", "Kulturstöd våren").fill("Budgetår", str(year))
    pia.fill("Öppnar", (timezone.localdate() - timezone.timedelta(days=1)).strftime("%Y-%m-%dT00:00"))
    pia.fill("Stänger", (timezone.localdate() + timezone.timedelta(days=30)).strftime("%Y-%m-%dT23:59"))
    pia.click("Spara").sees("Sparat").look()

    pia.click("Ansökningsformulär", role="link")
    pia.choose("Typ", "lång text").fill("Fråga", "Beskriv arrangemanget").tick("Obligatorisk")
    pia.click("Spara").sees("Sparat").look()

    pia.click("Bedömningskriterier", role="link")
    pia.fill("Namn", "Når många invånare").fill("Vikt", "2")
    pia.click("Spara").sees("Sparat").look()

    pia.click("Behörighetsvillkor", role="link")
    pia.choose("Villkor", "tillåtna organisationsformer").tick("ideell förening")
    pia.click("Spara").sees("Sparat").look()

    pia.click("Budget", role="link").fill("År", str(year)).fill("Budget (kr)", "300000")
    pia.click("Spara").sees("Sparat")

    pia.click("Krav på återrapportering", role="link").look()
    pia.tick("återrapporterar").fill("Instruktioner", "Berätta vad arrangemanget gav.")
    pia.click("Spara").sees("Sparat")

    pia.click("Brevtexter", role="link").look()
    pia.click("Ändra", role="link")
    pia.fill("Ämne", "Beslut om kulturstöd").click("Spara")
    pia.sees("Beslut om kulturstöd")

    pia.open(f"/bidrag/program/{program.pk}/")
    pia.sees("Kulturstöd våren", "Beskriv arrangemanget", "Når många invånare", "ideell förening")
    pia.does_not_see("{'kinds'", "nonprofit").look()

    # the program administrator writes the easy-to-read summary the public reads first
    pia.click("Uppgifter", role="link").look()
    pia.fill("Lättläst sammanfattning", "Föreningar kan få pengar till kultur.\nNi söker på webben.")
    pia.click("Spara").sees(
        "Programmet är sparat", "Lättläst", "Föreningar kan få pengar till kultur."
    ).look()
    program.refresh_from_db()
    assert program.easy_read.splitlines() == ["Föreningar kan få pengar till kultur.", "Ni söker på webben."]

    round = Round.objects.get(program=program)
    assert round.is_open()
    assert FormField.objects.get(program=program).required
    assert Criterion.objects.get(program=program).weight == 2
    assert EligibilityRule.objects.get(program=program).params == {"kinds": ["nonprofit"]}
    assert program.letter_templates.get().subject == "Beslut om kulturstöd"
    # who set what up is in the change log
    assert LogEntry.objects.filter(user=admin, object_repr="Kultur- och fritidsnämnden").exists()
    assert LogEntry.objects.filter(user=pia_user, change_message=program.name).count() >= 5
    requirement = ReportingRequirement.objects.get(program=program)
    assert requirement.enabled and requirement.instructions == "Berätta vad arrangemanget gav."

    # -- an association sees the open round --
    siv = journey.person(applicant).sign_in()
    siv.open("/bidrag/").sees("Kulturstöd till föreningar", "Kulturstöd våren")
    siv.open("/kommun/exemplo/").click("Läs på lättläst svenska")
    siv.sees("Lättläst", "Föreningar kan få pengar till kultur.", "Om programmet").look()
