"""Journey 1: an association, through the pages.

Kerstin, the treasurer of a new association, creates an account, confirms her e-mail address,
registers the association and keeps its statutes, finds the right support on the municipality's
page and its guide, applies with attachments, answers the caseworker's request for a completion,
sees the decision and its letter, reports back, and sees a reclaim and how to pay it.  What the
municipality's people do in the story (the completion request, the delegated decision, the
reclaim and the committee's decision on it) is done on their pages too.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone, translation

from grants.models import Application, Program
from organizations.models import Organisation, StaffRole

from .. import factories as f
from ..conftest import build_world
from ..grants.factories import PDF, application_in, open_round

pytestmark = pytest.mark.django_db(transaction=True)

S = Application.State
NBSP = "\u00a0"
ORG_NUMBER = "802012-3454"  # the example of the form's help text: a valid organisation number


def _link_in_mail(to: str, path_part: str) -> str:
    """The link of the last message sent to ``to`` whose path contains ``path_part``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            found = re.search(rf"https?://[^\s]+{re.escape(path_part)}[^\s]*", message.body)
            if found:
                return re.sub(r"^https?://[^/]+", "", found.group(0))
    raise AssertionError(f"no message to {to} with a link to {path_part}: {[m.subject for m in mail.outbox]}")


def _support_program(world) -> Program:
    """The social committee's operating grant: 10 000–100 000 kr, statutes from the register."""
    round = open_round(world, org_kinds={"kinds": ["nonprofit"]}, democracy_declaration={})
    program = round.program
    Program.objects.filter(pk=program.pk).update(
        name="Verksamhetsstöd till sociala föreningar",
        min_amount=Decimal("10000"),
        max_amount=Decimal("100000"),
        several_per_round=False,
    )
    round.snapshot = None
    round.save(update_fields=["snapshot"])
    return program


def test_a_new_association_signs_up_registers_keeps_its_statutes_and_finds_its_support(journey):
    world = build_world()
    _support_program(world)
    kerstin = journey.person(label="Kerstin, treasurer")

    # An account, confirmed with the link in the e-mail
    kerstin.open("/konto/registrera/").look()
    kerstin.fill("Ditt namn", "Kerstin Kassör").fill("E-postadress", "kerstin@exempelforeningen.se")
    kerstin.fill("Lösenord", "Ett långt och bra lösenord 2026").click("Skapa konto")
    kerstin.sees("e-post")
    kerstin.open(_link_in_mail("kerstin@exempelforeningen.se", "/konto/bekrafta/"))
    user = get_user_model().objects.get(email="kerstin@exempelforeningen.se")
    assert user.email_verified_at is not None
    kerstin.user, kerstin.password = user, "Ett långt och bra lösenord 2026"
    kerstin.sign_in()

    # The association, registered with the example number the form itself gives
    kerstin.open("/organisationer/ny/").look()
    kerstin.sees(ORG_NUMBER)
    kerstin.fill("Namn", "Exempelföreningen Gemenskap").choose("Typ", "ideell förening")
    kerstin.fill("Organisationsnummer", ORG_NUMBER)
    kerstin.fill("Vad organisationen gör", "Vi ordnar träffar för äldre som bor ensamma.")
    kerstin.fill("Antal medlemmar", "60")
    kerstin.choose("Kommun där ni är verksamma", "Exempelö kommun")
    kerstin.fill("Medlemmar som bor i kommunen", "45")
    kerstin.click("Registrera")
    organisation = Organisation.objects.get(org_number=ORG_NUMBER.replace("-", ""))
    kerstin.sees("Exempelföreningen Gemenskap")

    # Its statutes, kept in the register for every application
    kerstin.click("Dokument")
    kerstin.choose("Dokumenttyp", "stadgar").fill("Gäller för år", str(timezone.localdate().year))
    kerstin.upload("Fil", "stadgar.pdf", PDF).click("Ladda upp")
    kerstin.sees("stadgar.pdf")
    assert organisation.documents.filter(doc_type="statutes").exists()

    # The right support, found with the guide on the municipality's page
    kerstin.open("/kommun/exemplo/").look().sees("Vilket stöd passar oss?")
    kerstin.choose("Vilken sorts organisation är ni?", "ideell förening")
    kerstin.fill("Ungefär hur mycket pengar behöver ni", "40000").click("Visa det som passar")
    kerstin.look().sees(
        "Verksamhetsstöd till sociala föreningar", f"10{NBSP}000{NBSP}kr – 100{NBSP}000{NBSP}kr"
    )

    # and applied for from there: the form of the program opens for the new association
    kerstin.click("Ansök om Verksamhetsstöd till sociala föreningar")
    kerstin.look().sees("Ansökan: Verksamhetsstöd till sociala föreningar", "Exempelföreningen Gemenskap")
    application = Application.objects.get(organisation=organisation)
    assert application.state == S.DRAFT
    # the statutes kept in the register stand in for the attachment
    kerstin.sees("Hämtas från föreningsregistret")


def _above(person, first: str, then_button: str) -> bool:
    """Whether the control labelled ``first`` stands above the button ``then_button`` on the page."""
    a = person.field(first).bounding_box()
    b = person.page.get_by_role("button", name=then_button).first.bounding_box()
    return a["y"] < b["y"]


def test_an_association_applies_with_attachments_and_answers_a_completion_request(journey):
    world = build_world()
    program = _support_program(world)
    config = world.objects["config"]
    siv = journey.person(world.user("applicant")).sign_in()

    # The open rounds, compact: the pre-check folded, the amounts as a person writes them
    siv.open("/bidrag/").look()
    siv.sees(program.name, f"10{NBSP}000{NBSP}kr–100{NBSP}000{NBSP}kr")
    assert siv.page.locator("main details").count() >= 1
    siv.click("Ansök för Föreningen Trygg Vardag")
    siv.look()

    # Every problem at once, each at its field; the attachments come before "Skicka in"
    assert _above(siv, "Budget för verksamheten", "Skicka in ansökan")
    siv.fill("Ansökans rubrik", "Träffpunkt för äldre")
    siv.sees(f"Mellan 10{NBSP}000{NBSP}kr och 100{NBSP}000{NBSP}kr.")
    siv.fill("Sökt belopp", "500000")
    siv.fill(
        config["fields"]["purpose"].label, "Veckoträffar med lunch och samtal för äldre som bor ensamma."
    )
    siv.choose(config["fields"]["focus"].label, "Äldre")
    siv.upload("Stadgar", "stadgar.pdf", PDF).upload("Budget för verksamheten", "budget-2026.pdf", PDF)
    siv.click("Skicka in ansökan")
    siv.look()
    siv.sees(
        "Något behöver rättas", f"mellan 10{NBSP}000{NBSP}kr och 100{NBSP}000{NBSP}kr", "demokrativillkoren"
    )
    for field_id in ("id_requested_amount", "id_democracy_declaration"):
        assert siv.page.locator(f"#{field_id}_error").count() == 1, field_id
        assert siv.page.locator(f'#error-summary a[href="#{field_id}"]').count() == 1, field_id
    application = Application.objects.get(organisation=world.organisation)
    assert application.state == S.DRAFT and application.files.count() == 2  # the files are kept

    siv.fill("Sökt belopp", "40000").tick("Vi intygar att organisationen följer demokrativillkoren")
    siv.click("Skicka in ansökan")
    application.refresh_from_db()
    assert application.state == S.SUBMITTED and application.requested_amount == 40000
    siv.sees(f"diarienummer {application.case_number}", f"40{NBSP}000{NBSP}kr")

    # The caseworker asks for a completion on the case's page
    caseworker = journey.person(world.user("caseworker")).sign_in()
    caseworker.open(f"/ansokningar/{application.pk}/")
    caseworker.fill(
        "Vad som behöver kompletteras", "Skicka en budget som visar hur bidraget fördelas över året."
    )
    caseworker.click("Begär komplettering")
    application.refresh_from_db()
    assert application.state == S.COMPLETION_REQUESTED

    # Siv reads the request where she looks for her applications, and answers with a file
    siv.open("/ansokningar/")
    siv.sees(application.case_number).click(application.case_number)
    siv.look().sees("Skicka en budget som visar hur bidraget fördelas över året.")
    assert _above(siv, "Vilken bilaga", "Skicka kompletteringen")  # the file first, then the answer
    siv.choose("Vilken bilaga", "Budget för verksamheten").upload("Fil", "budget-per-manad.pdf", PDF)
    siv.click("Ladda upp filen")
    siv.sees("budget-per-manad.pdf")
    siv.fill("Ditt svar", "Här är budgeten per månad.").click("Skicka kompletteringen")
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.completion_requests.get().answer == "Här är budgeten per månad."
    siv.sees("Här är budgeten per månad.")


def _member(world, name: str, email: str):
    user = f.UserFactory(email=email, full_name=name)
    f.StaffRoleFactory(user=user, municipality=world.municipality, role=StaffRole.Role.MEMBER)
    return user


def test_an_association_sees_its_decision_and_letter_reports_back_and_sees_how_to_pay_a_reclaim(
    journey, clock
):
    """The application waits as proposed (the caseworker's road is journey 2, set up with the
    factories).  From then on every step is taken on the pages: the caseworker decides the grant
    by delegation, Siv reads the decision and reports back, the caseworker proposes a reclaim, the
    committee decides it at its meeting (a reclaim has no page for a delegated decision), the
    letter goes out, and the payment is recorded."""
    from meetings.models import Meeting
    from reporting import services as reporting
    from reporting.models import FollowUpReport, Reclaim

    from ..reporting.factories import reporting_program

    world = build_world()
    reporting_program(world)
    application = application_in(world, "proposed", key="granted-application")
    lars = _member(world, "Lars Ledamot", "lars@exemplo.se")
    bertil = world.users["member"]
    today = timezone.localdate()
    fields = world.objects["reporting"]["fields"]

    # The caseworker decides the grant by delegation, below the limit
    caseworker = journey.person(world.user("caseworker"), label="handläggaren").sign_in()
    caseworker.open(f"/ansokningar/{application.pk}/").click("Besluta på delegation").look()
    caseworker.choose("Beslut", "Bevilja").fill("Belopp (kr)", "25000")
    caseworker.fill("Bidragsperiod från", f"{today.year}-01-01")
    caseworker.fill("Bidragsperiod till", f"{today.year}-12-31")
    caseworker.fill("Redovisning senast", f"{today + dt.timedelta(days=20):%Y-%m-%d}")
    caseworker.fill("Motivering", "Väl förankrad verksamhet.")
    caseworker.click("Registrera beslutet").sees("anmäls till nämndens nästa sammanträde")
    application.refresh_from_db()
    assert application.state in Application.GRANTED_STATES and application.decision.delegated
    assert application.decision.amount == 25000
    reporting.reports_create_due()  # the periodic task opens the report
    report = FollowUpReport.objects.get(application=application)

    # The decision and its letter
    siv = journey.person(world.user("applicant")).sign_in()
    siv.open("/ansokningar/").click(application.case_number)
    siv.look().sees("Beviljad", f"25{NBSP}000{NBSP}kr")
    letter = siv.pdf(application.decision_letters.latest("pk").subject)
    assert "25 000 kr" in letter.replace(NBSP, " ") and "överklag" in letter.lower()

    # The report, filled in and sent on its page
    siv.open("/aterrapportering/mina/").look().click(report.case_number)
    siv.click("Fyll i och lämna in återrapporteringen").look()
    siv.fill(fields["activities"].label, "Tio öppna träffar med lunch.")
    siv.fill(fields["participants"].label, "120")
    siv.fill("Utfall: Öppna träffar", "6")
    siv.upload(fields["statement"].label, "resultat.pdf", PDF)
    siv.click("Spara och lämna in återrapporteringen")
    report.refresh_from_db()
    assert report.state == FollowUpReport.State.SUBMITTED, report.state

    # The caseworker does not approve it and proposes a reclaim on the pages
    caseworker.open(f"/aterrapportering/{report.pk}/")
    caseworker.page.locator("summary", has_text="Godkänn inte").click()  # the step of its own
    caseworker.fill("Motivering", "Bara sex av tio träffar hölls.")
    caseworker.click("Godkänn inte", role="button", exact=True)
    report.refresh_from_db()
    assert report.state == FollowUpReport.State.NOT_APPROVED, report.state
    caseworker.click("Föreslå återkrav av bidraget").look()
    caseworker.fill("Belopp att kräva tillbaka", "10000")
    with translation.override("sv"):
        caseworker.choose("Skäl", str(Reclaim.Grounds.OTHER_PURPOSE.label))
    caseworker.fill("Motivering", "Fyra av tio träffar hölls inte.").click("Föreslå återkravet")
    reclaim = Reclaim.objects.get(application=application)

    # The committee decides the reclaim at its meeting tomorrow: planned, the agenda published,
    # two adjusters named, held, decided, the minutes approved by both and posted
    day = today + dt.timedelta(days=1)
    secretary = journey.person(world.user("secretary"), label="sekreteraren").sign_in()
    secretary.open(f"/namnder/{world.committee.pk}/sammantraden/").click("Planera ett sammanträde")
    secretary.fill("Datum och tid", f"{day:%Y-%m-%d}T13:00").fill("Plats", "Kommunhuset")
    secretary.click("Planera sammanträdet").sees("Sammanträdet är planerat")
    meeting = Meeting.objects.get()
    secretary.click("Bygg föredragningslistan").sees(application.case_number)
    secretary.click("Lägg till de valda ärendena").click("Tillbaka till sammanträdet")
    secretary.click("Publicera föredragningslistan").sees("föredragningslista publicerad")
    secretary.click("Närvaro och justerare")
    for person, party in ((lars, "M"), (bertil, "C")):
        secretary.tick_in(person.full_name, "Närvarande").fill_in(person.full_name, "Parti", party)
        secretary.tick_in(person.full_name, "Justerare")
    secretary.click("Spara närvaron").sees("Närvaron är sparad")

    clock.travel(dt.datetime.combine(day, dt.time(13, 30)))
    secretary.sign_in()
    secretary.open(f"/sammantraden/{meeting.pk}/").click("Markera sammanträdet som hållet")
    secretary.click("Registrera besluten för Återkrav av bidrag")
    secretary.sees(f"10{NBSP}000{NBSP}kr").look()
    secretary.click("Registrera besluten").sees("är registrerade")
    reclaim.refresh_from_db()
    assert (reclaim.state, reclaim.decided_amount) == (Reclaim.State.DECIDED, 10000)
    for adjuster in (lars, bertil):
        person = journey.person(adjuster, label=adjuster.full_name).sign_in()
        person.open(f"/sammantraden/{meeting.pk}/").click("Justera protokollet")
        person.click("Jag justerar protokollet")
    secretary.open(f"/sammantraden/{meeting.pk}/").click("Anslå protokollet")
    secretary.click("Anslå protokollet").sees("Protokollet är anslaget")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.POSTED

    # The caseworker sends the letter on the reclaim's page
    caseworker.sign_in()
    caseworker.open(f"/aterkrav/{reclaim.pk}/").click("Skicka beslutet om återkrav")
    reclaim.refresh_from_db()
    assert reclaim.state == Reclaim.State.INVOICED

    # Siv sees the reclaim, its letter and how to pay it
    siv.sign_in()
    siv.open("/aterrapportering/mina/").sees(reclaim.case_number).click(reclaim.case_number)
    siv.look().sees(
        "Så här betalar ni", f"10{NBSP}000{NBSP}kr", reclaim.case_number, reclaim.pay_by.isoformat()
    )
    letter = " ".join(siv.pdf("Ladda ner beslutet (PDF)").replace(NBSP, " ").split())
    assert "Så här betalar ni" in letter and "10 000 kr" in letter
    assert "vid sammanträdet" in letter and f"senast den {meeting.appeal_ends_on:%Y-%m-%d}" in letter

    # The finance department's payment is recorded, and Siv sees it paid
    caseworker.open(f"/aterkrav/{reclaim.pk}/").click("Markera som återbetald")
    reclaim.refresh_from_db()
    assert reclaim.state == Reclaim.State.PAID
    siv.open(f"/aterkrav/{reclaim.pk}/").sees("återbetald", "Återbetald den").does_not_see(
        "Så här betalar ni", "utbetald"
    )
