"""Journey 3: the committee secretary (nämndsekreterare) and the committee decide a round.

Three applications wait as proposed (set up with the factories: the caseworker's road is
journey 2).  Every step of the secretary, the adjusters and the caseworker is taken on the pages,
each signed in as themselves with the second factor: a meeting planned, the agenda built and
published with the officer's report, the attendance with a chair and two adjusters, a recusal,
the meeting held on its day, the group's decisions refused over the budget and then recorded,
the minutes read and approved by both adjusters, posted, the letters made with the last day to
appeal, the appeal period passed (the clock moved and the periodic task run), the decisions
final and the payment file exported.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from grants.models import Application, DecisionLetter
from meetings.models import Decision, Meeting
from meetings.services import meetings_finalise_due
from organizations.models import StaffRole
from payments.models import Payment

from .. import factories as f
from ..conftest import build_world
from ..grants.decisions import round_of_three
from ..insight import sie_reader

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\xa0"


def kr(amount: int) -> str:
    """An amount as a PDF's text reads (its no-break spaces made plain by ``flat``)."""
    return f"{amount:,}".replace(",", " ") + " kr"


def flat(text: str) -> str:
    """A PDF's text on one line: its line breaks and no-break spaces read as single spaces."""
    return " ".join(text.split())


def _member(world, name: str, email: str):
    user = f.UserFactory(email=email, full_name=name)
    f.StaffRoleFactory(user=user, municipality=world.municipality, role=StaffRole.Role.MEMBER)
    return user


def test_the_secretary_and_the_committee_decide_a_round_from_agenda_to_payment_file(journey, clock):
    world = build_world()
    trygg, friluft, kor = round_of_three(world)  # 30 000, 15 000 and 0 kr proposed; 51 000 kr free
    _member(world, "Anna Ordförande", "anna@exemplo.se")
    lars = _member(world, "Lars Ledamot", "lars@exemplo.se")
    _member(world, "Åsa Öberg", "asa@exemplo.se")
    bertil = world.users["member"]
    today = timezone.localdate()
    day = today + dt.timedelta(days=7)

    # -- the secretary plans the meeting and builds the agenda ------------------------------------
    secretary = journey.person(world.user("secretary"), label="sekreteraren").sign_in()
    secretary.open("/sammantraden/").sees("Socialnämnden").look()
    secretary.click("Socialnämnden").click("Planera ett sammanträde")
    secretary.fill("Datum och tid", f"{day:%Y-%m-%d}T13:00").fill("Plats", "Sammanträdesrummet, kommunhuset")
    secretary.click("Planera sammanträdet").sees("Sammanträdet är planerat")
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).date() == day

    secretary.click("Bygg föredragningslistan").sees("Föreningen Trygg Vardag", "Kören Ödmjuk").look()
    secretary.click("Lägg till de valda ärendena").sees("3 ärende(n) har lagts till")
    assert meeting.items.count() == 3
    secretary.click("Tillbaka till sammanträdet")
    secretary.click("Publicera föredragningslistan").sees("föredragningslista publicerad")

    report = flat(secretary.pdf("Tjänsteutlåtande"))
    for text in ("Föreningen Trygg Vardag", "Friluftsfrämjandet Exempelö", "Kören Ödmjuk", kr(45000)):
        assert text in report, text
    agenda = flat(secretary.pdf(f"Föredragningslista {meeting}"))
    assert "Kören Ödmjuk" in agenda

    # -- attendance: a chair, two adjusters and a member who will be recused ----------------------
    secretary.click("Närvaro och justerare").look()
    secretary.tick_in("Anna Ordförande", "Närvarande").choose_in("Anna Ordförande", "Roll", "ordförande")
    secretary.fill_in("Anna Ordförande", "Parti", "S")
    for person, party in ((lars, "M"), (bertil, "C")):
        secretary.tick_in(person.full_name, "Närvarande").fill_in(person.full_name, "Parti", party)
        secretary.tick_in(person.full_name, "Justerare")
    secretary.tick_in("Åsa Öberg", "Närvarande").fill_in("Åsa Öberg", "Parti", "V")
    secretary.click("Spara närvaron").sees("Närvaron är sparad")

    # a meeting a week ahead cannot be marked as held today: the page says why
    secretary.sees("Markera sammanträdet som hållet: Sammanträdet har inte ägt rum än")
    assert Meeting.objects.get().state == Meeting.State.AGENDA_PUBLISHED

    # -- the day of the meeting: a recusal, held, decisions refused over the budget, recorded -----
    clock.travel(dt.datetime.combine(day, dt.time(13, 30)))
    secretary.sign_in()
    secretary.open(f"/sammantraden/{meeting.pk}/")
    trygg_item = meeting.items.get(object_id=trygg.pk)
    secretary.click(f"Anmäl jäv – § {trygg_item.order}")
    secretary.choose("Vem som är jävig", "Åsa Öberg").fill("Skäl", "Sitter i föreningens styrelse.")
    secretary.click("Registrera jävet").sees("Jävet är registrerat")
    secretary.click("Markera sammanträdet som hållet").sees("hållet")
    assert Meeting.objects.get().state == Meeting.State.HELD

    group = "Verksamhetsstöd till sociala föreningar"
    secretary.click(f"Registrera besluten för {group}", exact=False)
    secretary.sees("Åsa Öberg har anmält jäv och deltar inte").look()
    friluft_item = meeting.items.get(object_id=friluft.pk)
    friluft_group = f"§ {friluft_item.order} "
    secretary.fill_in(friluft_group, "Belopp (kr)", "25000")
    secretary.click("Registrera besluten")
    secretary.sees("överskrider den fria budgeten med 4" + NBSP + "000" + NBSP + "kr")
    assert not Decision.objects.exists()
    secretary.fill_in(friluft_group, "Belopp (kr)", "15000")
    secretary.click("Registrera besluten").sees("är registrerade")
    assert Decision.objects.count() == 3
    assert Application.objects.get(pk=trygg.pk).state == Application.State.PARTLY_GRANTED
    assert Application.objects.get(pk=kor.pk).state == Application.State.REJECTED

    # -- the minutes, approved by both adjusters, each signed in as themselves --------------------
    secretary.click("Upprätta dokumenten")
    minutes = flat(secretary.pdf("Protokoll"))
    for text in (
        "Ordförande Anna Ordförande",
        "Sekreterare",
        world.user("secretary").full_name,
        "Justerare Lars Ledamot (M), Member Exempelö (C)",
        "Åsa Öberg (V) anmäler jäv och deltar inte i handläggningen av ärendet",
        "Anslagsbevis",
    ):
        assert text in minutes, text
    trygg_part = minutes.split(f"§ {trygg_item.order} {trygg_item.title}")[1].split("§")[0]
    assert "Deltar i beslutet" in trygg_part and "Åsa Öberg" not in trygg_part.split("Deltar i beslutet")[1]
    friluft_part = minutes.split(f"§ {friluft_item.order} {friluft_item.title}")[1].split("§")[0]
    assert "Åsa Öberg (V)" in friluft_part

    for adjuster in (lars, bertil):
        person = journey.person(adjuster, label=adjuster.full_name).sign_in()
        person.open(f"/sammantraden/{meeting.pk}/").click("Justera protokollet")
        assert "Anslagsbevis" in person.pdf("Läs protokollet")
        person.click("Jag justerar protokollet").sees("juster")
    assert Meeting.objects.get().state == Meeting.State.MINUTES_APPROVED
    assert not DecisionLetter.objects.exists()  # no letter before the posting: it could not say until when

    # -- posting: the letters are made with the last day to appeal --------------------------------
    clock.travel(dt.datetime.combine(day + dt.timedelta(days=3), dt.time(9, 0)))
    secretary.sign_in()
    secretary.open(f"/sammantraden/{meeting.pk}/").click("Anslå protokollet").look()
    secretary.click("Anslå protokollet").sees("Protokollet är anslaget")
    meeting = Meeting.objects.get()
    ends = f"{meeting.appeal_ends_on:%Y-%m-%d}"
    secretary.sees(ends)
    minutes = flat(secretary.pdf("Protokoll"))
    assert f"{meeting.posted_on:%Y-%m-%d}" in minutes and ends in minutes
    assert "Kansliet för Socialnämnden, Exempelö kommun" in minutes

    secretary.click("Sammanträdets beslutsbrev").sees("Beslutsbrev").look()
    assert DecisionLetter.objects.count() == 3
    letter = flat(secretary.pdf(f"Brev, version 1 – {trygg.case_number}"))
    assert letter.startswith("Exempelö kommun")
    assert f"senast den {ends}" in letter and kr(30000) in letter
    rejection = flat(secretary.pdf(f"Brev, version 1 – {kor.case_number}"))
    assert "avslå" in rejection and f"senast den {ends}" in rejection

    # -- the appeal period passes: the periodic task makes the decisions final --------------------
    clock.travel(meeting.appeal_ends_on + dt.timedelta(days=1))
    assert meetings_finalise_due() == 1
    secretary.sign_in()
    secretary.open(f"/sammantraden/{meeting.pk}/").sees("laga kraft")
    assert Meeting.objects.get().state == Meeting.State.FINAL
    assert all(d.final_at for d in Decision.objects.all())

    # -- the payment file ------------------------------------------------------------------------
    # The municipality's own account, which the bank debits (set once by the support administrator).
    world.municipality.payment_iban = "SE4550000000058398257466"
    world.municipality.payment_bic = "ESSESESS"
    world.municipality.save(update_fields=["payment_iban", "payment_bic"])
    caseworker = journey.person(world.user("caseworker"), label="handläggaren").sign_in()
    caseworker.open("/utbetalningar/").look()
    caseworker.click("Förbered en utbetalningskörning", role="button").look()
    caseworker.click("Gör betalningsfilen (pain.001)", role="button").look()
    payment_file = caseworker.download("Ladda ner betalningsfilen (pain.001)")
    schema = etree.XMLSchema(
        etree.parse(str(Path(__file__).parents[1] / "payments/schema/pain.001.001.03.xsd"))
    )
    schema.assertValid(etree.fromstring(payment_file))
    assert b"56781234" in payment_file and trygg.case_number.encode() in payment_file
    data = caseworker.download("Ladda ner filen (CSV)").decode("utf-8-sig")
    assert "Föreningen Trygg Vardag" in data and "56781234" in data
    exported = Payment.objects.filter(state=Payment.State.EXPORTED)
    assert exported.exists() and all(p.object_id == trygg.pk for p in exported)
    assert sum(p.amount for p in Payment.objects.filter(application=trygg)) == Decimal(30000)

    # -- the bookkeeping file: the year's decided grant as a verification for the ledger ----------
    caseworker.open("/utbetalningar/")
    year = meeting.starts_at.year
    caseworker.fill("Från", f"{year}-01-01").fill("Till och med", f"{year}-12-31")
    ledger = sie_reader.read(caseworker.download_from("Ladda ner SIE-filen"))
    granted = [v for v in ledger.verifications if trygg.case_number in v.text]
    assert granted and granted[0].text.startswith("Beviljat bidrag"), [v.text for v in ledger.verifications]
    assert sum(t.amount for t in granted[0].transactions) == 0  # every verification balances
