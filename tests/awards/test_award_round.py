"""A year's award from nominations to the public page: Socialnämndens pris för ett starkare vardagsliv."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from awards.models import Candidate, Nomination
from grants import services as grant_services
from grants.models import Application
from meetings import services as meetings
from meetings.agenda import BudgetExceeded
from meetings.models import AgendaItem
from organizations.models import StaffRole
from workflows.models import DiariumEntry, StoredDocument

from ..factories import OrganisationFactory, StaffRoleFactory, UserFactory, active_role
from ..pdf import pdf_text, pdfa_conformance
from .factories import AWARD_NAME, award_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


def _nominate(client, round, **fields):
    data = {
        "kind": "organisation",
        "nominee_name": "",
        "nominee_org_number": "",
        "motivation": "",
        "nominator_name": "",
        "nominator_email": "",
        "nominator_phone": "",
        "website": "",
        **fields,
    }
    return client.post(reverse("awards:nominate", args=[round.pk]), data)


def _member(world, name, email):
    user = UserFactory(email=email, full_name=name)
    StaffRoleFactory(user=user, municipality=world.municipality, role=StaffRole.Role.MEMBER)
    return user


def test_an_award_goes_from_nominations_to_the_public_page(world, client, django_capture_on_commit_callbacks):
    round = award_round(world)
    criteria = world.objects["award_round:criteria"]
    caseworker, secretary = world.users["caseworker"], world.users["secretary"]
    lars = world.users["member"]
    asa = _member(world, "Åsa Öberg", "asa@exemplo.se")
    trygg = world.organisation
    year = round.year

    # -- Nominations through the public form, without signing in.
    form = client.get(reverse("awards:nominate", args=[round.pk]))
    assert form.status_code == 200 and AWARD_NAME in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for fields in (
            {  # by org number
                "nominee_org_number": trygg.org_number_display,
                "motivation": "Trygg Vardag bryter ensamheten för äldre i Exempelö.",
                "nominator_name": "Anna Andersson",
                "nominator_email": "anna@example.se",
            },
            {  # the same organisation, by its exact name
                "nominee_name": "föreningen trygg vardag",
                "motivation": "Deras telefonkedja är ovärderlig för oss som bor ensamma.",
                "nominator_name": "Bertil Björk",
                "nominator_email": "bertil@example.se",
            },
            {
                "kind": "informal",
                "nominee_name": "Grannstödet på Söder",
                "motivation": "Grannar som handlar åt varandra.",
                "nominator_name": "Cecilia Ek",
                "nominator_email": "cecilia@example.se",
            },
            {
                "kind": "person",
                "nominee_name": "Karin Karlsson",
                "motivation": "Hon hjälper alla i trappuppgången.",
                "nominator_name": "David Dahl",
                "nominator_email": "david@example.se",
                "nominator_phone": "070-123 45 67",
            },
        ):
            response = _nominate(client, round, **fields)
            assert response.status_code == 302, response.content.decode()[:2000]
            assert response.url == reverse("awards:thanks", args=[round.pk])
    assert Nomination.objects.count() == 4
    assert Candidate.objects.count() == 3  # the two nominations of Trygg Vardag are one candidate
    trygg_candidate = Candidate.objects.get(organisation=trygg)
    assert trygg_candidate.nominations.count() == 2
    network = Candidate.objects.get(kind="informal")
    person = Candidate.objects.get(kind="person")
    assert network.organisation is None and person.organisation is None
    # Every candidate is registered in the diarium with a case number of Socialnämnden.
    assert all(c.case_number.startswith(f"SN {dt.date.today().year}/") for c in Candidate.objects.all())
    assert DiariumEntry.objects.filter(content_type=ContentType.objects.get_for_model(Candidate)).count() == 3

    # -- A self-application through the ordinary grants flow becomes a candidate too.
    stod = OrganisationFactory(name="Exempelö Stödförening", active_in=[world.municipality])
    treasurer = UserFactory(email="kassor@stod.example", full_name="Kim Kassör")
    active_role(treasurer, stod)
    with django_capture_on_commit_callbacks(execute=True):
        application = grant_services.application_start(round=round, organisation=stod, by=treasurer)
        grant_services.application_save(
            application=application, by=treasurer, title="Vi söker priset", democracy_declaration=True
        )
        application = grant_services.application_submit(application=application, by=treasurer)
    applied = Candidate.objects.get(application=application)
    assert applied.organisation == stod and applied.nominations.count() == 0 and applied.case_number

    # -- Screening: the caseworker checks every received candidate against the rules.
    client.force_login(caseworker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:round_screen", args=[round.pk]))
    assert response.status_code == 302
    states = dict(Candidate.objects.values_list("name", "state"))
    assert states == {
        "Föreningen Trygg Vardag": "eligible",
        "Exempelö Stödförening": "eligible",
        "Grannstödet på Söder": "ineligible",
        "Karin Karlsson": "ineligible",
    }
    network.refresh_from_db()
    person.refresh_from_db()
    assert "informellt nätverk" in network.ineligible_reason and "KFS 50:14" in network.ineligible_reason
    assert "privatperson" in person.ineligible_reason
    assert [r["kind"] for r in person.eligibility if not r["ok"]] == ["nominee_kind"]
    # The nominators of those not eligible are told why, by e-mail through the outbox.
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {"cecilia@example.se", "david@example.se"}
    assert "informellt nätverk" in told["cecilia@example.se"].body
    assert "privatperson" in told["david@example.se"].body
    page = client.get(reverse("awards:candidate_detail", args=[person.pk])).content.decode()
    assert "privatperson" in page and "David Dahl" in page  # kept as a record, with the reason

    # -- The jury scores; Åsa has a conflict of interest and her scores do not count.
    def score(user, candidate, impact, reach):
        client.force_login(user)
        response = client.post(
            reverse("awards:candidate_assess", args=[candidate.pk]),
            {
                f"score_{criteria['impact'].pk}": impact,
                f"score_{criteria['reach'].pk}": reach,
                "complete": "on",
            },
        )
        assert response.status_code == 302

    score(caseworker, trygg_candidate, 5, 4)
    score(lars, trygg_candidate, 4, 4)
    score(asa, trygg_candidate, 1, 1)
    score(caseworker, applied, 3, 3)
    client.force_login(asa)
    client.post(
        reverse("awards:candidate_conflict", args=[trygg_candidate.pk]), {"reason": "Jag sitter i styrelsen."}
    )
    trygg_candidate.refresh_from_db()
    # (2×4.5 + 1×4) / 3 = 4.33 — without Åsa's ones
    assert trygg_candidate.score == Decimal("4.33")
    assert "jäv" in client.get(reverse("awards:candidate_assess", args=[trygg_candidate.pk])).content.decode()
    refused = client.post(
        reverse("awards:candidate_assess", args=[trygg_candidate.pk]),
        {f"score_{criteria['impact'].pk}": 5, f"score_{criteria['reach'].pk}": 5, "complete": "on"},
    )
    assert refused.status_code == 200 and "jäv" in refused.content.decode()

    # -- Shortlist and propose: Trygg Vardag for the award, the self-applicant not.
    client.force_login(caseworker)
    for candidate, proposal, motivation in (
        (trygg_candidate, "awarded", "För ett tryggare vardagsliv för äldre som bor ensamma i Exempelö."),
        (applied, "not_awarded", "Verksamheten är ny; nämnden uppmuntrar föreningen att söka igen."),
    ):
        client.post(reverse("awards:candidate_transition", args=[candidate.pk, "shortlist"]))
        client.post(
            reverse("awards:candidate_propose", args=[candidate.pk]),
            {"proposal": proposal, "motivation": motivation},
        )
    assert set(Candidate.objects.filter(state="shortlisted").values_list("proposal", flat=True)) == {
        "awarded",
        "not_awarded",
    }

    # -- The committee decides at its meeting.
    meeting = meetings.meeting_create(
        committee=world.committee,
        starts_at=timezone.now() - dt.timedelta(hours=2),
        place="Kommunhuset",
        by=secretary,
    )
    trygg_candidate.refresh_from_db()
    applied.refresh_from_db()
    items = meetings.agenda_add(meeting=meeting, cases=[trygg_candidate, applied], by=secretary)
    assert {i.group for i in items} == {f"{AWARD_NAME} {year}"}
    assert [i.proposed_amount for i in items] == [Decimal(10000), None]
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    meetings.attendance_set(
        meeting=meeting,
        rows=[
            meetings.AttendanceRow(user=lars, party="S", adjuster=True),
            meetings.AttendanceRow(user=asa, party="M", adjuster=True),
        ],
        by=secretary,
    )
    meetings.recusal_declare(item=items[0], user=asa, reason="Styrelseledamot i föreningen.", by=asa)
    meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.decisions_record(meeting=meeting, group_no=items[0].group_no, by=secretary)
    trygg_candidate.refresh_from_db()
    applied.refresh_from_db()
    assert (trygg_candidate.state, trygg_candidate.awarded_amount) == ("awarded", Decimal(10000))
    assert trygg_candidate.motivation.startswith("För ett tryggare vardagsliv")
    assert applied.state == "not_awarded"

    # -- Decided: every candidate and the organisation's own application reach their final state.
    assert dict(Candidate.objects.values_list("name", "state")) == {
        "Föreningen Trygg Vardag": "awarded",
        "Exempelö Stödförening": "not_awarded",
        "Grannstödet på Söder": "ineligible",
        "Karin Karlsson": "ineligible",
    }
    application.refresh_from_db()
    assert application.state == "rejected"
    # The letters wait for the posting of the minutes: only then is the last day to appeal known.
    assert not StoredDocument.objects.filter(kind__startswith="award_").exists()
    client.force_login(caseworker)  # announcing waits for the approved minutes
    response = client.post(reverse("awards:round_announce", args=[round.pk]), follow=True)
    assert "justerat" in response.content.decode() or "justerats" in response.content.decode()
    assert Candidate.objects.get(pk=trygg_candidate.pk).state == "awarded"
    meetings.minutes_approve(meeting=meeting, by=lars)
    meetings.minutes_approve(meeting=meeting, by=asa)
    assert not StoredDocument.objects.filter(kind__startswith="award_").exists()
    mail.outbox.clear()
    posted_on = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_post(meeting=meeting, posted_on=posted_on, by=secretary)
    appeal_ends_on = meetings.appeal_period_end(posted_on).isoformat()

    # -- A letter with appeal instructions to every candidate; the diploma to the recipient.
    letters = {
        c.name: " ".join(
            pdf_text(StoredDocument.objects.get(object_id=c.pk, kind="award_letter").file.read()).split()
        )
        for c in Candidate.objects.all()
    }
    assert len(letters) == 4
    for name, text in letters.items():
        assert "Så här överklagar du beslutet" in text, name
        assert f"senast den {appeal_ends_on}" in text and posted_on.isoformat() in text, name
        assert "tre veckor" in text and "förvaltningsrätten" in text, name
    letter = StoredDocument.objects.get(object_id=trygg_candidate.pk, kind="award_letter").file.read()
    diploma = StoredDocument.objects.get(object_id=trygg_candidate.pk, kind="award_diploma").file.read()
    assert pdfa_conformance(letter) == "3B" and pdfa_conformance(diploma) == "3B"
    letter_text, diploma_text = pdf_text(letter), pdf_text(diploma)
    assert AWARD_NAME in letter_text and "10 000 kr" in letter_text.replace("\u00a0", " ")
    assert "Föreningen Trygg Vardag" in letter_text and "Grattis" in letter_text
    assert "får inte utmärkelsen" in letters["Exempelö Stödförening"]
    assert "Föreningen Trygg Vardag" in letters["Exempelö Stödförening"]  # who got it instead
    assert "privatperson" in letters["Karin Karlsson"]
    assert "Diplom" in diploma_text and "Exempelö kommun" in diploma_text and str(year) in diploma_text
    assert "äldre som bor ensamma i Exempelö" in diploma_text.replace("\n", " ")
    from io import BytesIO

    from pypdf import PdfReader

    box = PdfReader(BytesIO(diploma)).pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert not StoredDocument.objects.filter(object_id=applied.pk, kind="award_diploma").exists()
    # The applicant organisation is told where its decision letter is, and finds it.
    assert [m.to for m in mail.outbox if "Beslut om" in m.subject] == [["kassor@stod.example"]]
    client.force_login(treasurer)
    page = client.get(reverse("portal:my_letters")).content.decode()
    assert "Beslutsbrev" in page and "Inte tilldelad" in page
    own = client.get(reverse("awards:candidate_document", args=[applied.pk, "award_letter"]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    client.force_login(caseworker)
    download = client.get(reverse("awards:candidate_document", args=[trygg_candidate.pk, "award_diploma"]))
    assert download["Content-Type"] == "application/pdf"

    # -- Once the minutes are approved the result is announced; the nominators are told, once each.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("awards:round_announce", args=[round.pk]))
    assert Candidate.objects.get(pk=trygg_candidate.pk).state == "announced"
    notified = sorted(m.to[0] for m in mail.outbox)
    assert notified == sorted(
        [
            "anna@example.se",
            "bertil@example.se",
            "cecilia@example.se",
            "david@example.se",
            "kassor@stod.example",
        ]
    )
    assert all("Föreningen Trygg Vardag" in m.body for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("awards:round_announce", args=[round.pk]))
    assert len(mail.outbox) == 5  # told once each

    # -- The public page shows the recipient, the year and the motivation; no nominator's details.
    client.logout()
    public = client.get(reverse("awards:public", args=[world.municipality.slug]))
    text = public.content.decode()
    assert public.status_code == 200
    assert "Föreningen Trygg Vardag" in text and str(year) in text and "tryggare vardagsliv" in text
    assert "Exempelö Stödförening" not in text
    for private in ("Anna Andersson", "anna@example.se", "Bertil", "David Dahl", "070-123"):
        assert private not in text

    # -- Every state change has its log row, with who did it.
    log = StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Candidate), object_id=trygg_candidate.pk
    ).order_by("timestamp", "pk")
    assert [e.transition for e in log] == ["mark_eligible", "shortlist", "award", "announce"]
    assert [e.by for e in log] == [caseworker, caseworker, secretary, caseworker]


def test_the_committee_cannot_give_the_award_to_more_than_its_number_of_recipients(world):
    from django.contrib.auth.models import AnonymousUser

    from awards import services

    from .factories import nomination_data

    round = award_round(world)
    criteria = world.objects["award_round:criteria"]
    caseworker, secretary = world.users["caseworker"], world.users["secretary"]
    other = OrganisationFactory(name="Exempelö Stadsmission", active_in=[world.municipality])
    candidates = []
    for org in (world.organisation, other):
        nomination = services.nomination_submit(
            round=round,
            data=nomination_data(nominee_org_number=org.org_number, nominee_name=""),
            by=AnonymousUser(),
        )
        candidate = services.candidate_screen(candidate=nomination.candidate, by=caseworker)
        services.candidate_assess(
            candidate=candidate,
            by=caseworker,
            scores={str(criteria["impact"].pk): {"score": 4}, str(criteria["reach"].pk): {"score": 4}},
            complete=True,
        )
        candidate = services.candidate_shortlist(candidate=candidate, by=caseworker)
        candidate = services.candidate_propose(
            candidate=candidate, by=caseworker, proposal="awarded", motivation="Förtjänt."
        )
        candidates.append(candidate)
    meeting = meetings.meeting_create(
        committee=world.committee, starts_at=timezone.now(), place="Kommunhuset", by=secretary
    )
    items = meetings.agenda_add(meeting=meeting, cases=candidates, by=secretary)
    second = _member(world, "Åsa Öberg", "asa@exemplo.se")
    meetings.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    meetings.attendance_set(
        meeting=meeting,
        rows=[
            meetings.AttendanceRow(user=world.users["member"], adjuster=True),
            meetings.AttendanceRow(user=second, adjuster=True),
        ],
        by=secretary,
    )
    meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
    with pytest.raises(BudgetExceeded, match="högst 1"):
        meetings.decisions_record(meeting=meeting, group_no=items[0].group_no, by=secretary)
    assert set(Candidate.objects.values_list("state", flat=True)) == {"shortlisted"}
    assert not AgendaItem.objects.filter(decision__isnull=False).exists()

    # An amount above the award is refused too; one award as proposed and one not is fine.
    with pytest.raises(BudgetExceeded, match="10\u00a0000\u00a0kr"):
        meetings.decisions_record(
            meeting=meeting,
            group_no=items[0].group_no,
            decisions={
                items[0].pk: meetings.DecisionData(outcome="granted", amount=Decimal(15000), reasons="Mer."),
                items[1].pk: meetings.DecisionData(outcome="rejected", reasons="Nej."),
            },
            by=secretary,
        )
    meetings.decisions_record(
        meeting=meeting,
        group_no=items[0].group_no,
        decisions={items[1].pk: meetings.DecisionData(outcome="rejected", reasons="Nästa år.")},
        by=secretary,
    )
    assert sorted(Candidate.objects.values_list("state", flat=True)) == ["awarded", "not_awarded"]
    assert Application.objects.count() == 0


def test_an_award_decided_by_delegation_gets_its_letter_when_the_minutes_it_is_reported_in_are_posted(
    world, django_capture_on_commit_callbacks
):
    from meetings.models import Meeting
    from organizations.models import Delegation

    from ..workflows.factories import member
    from .factories import candidate_in

    caseworker, secretary = world.users["caseworker"], world.users["secretary"]
    candidate = candidate_in(world, "shortlisted")
    Delegation.objects.create(
        user=caseworker, committee=world.committee, matter=Delegation.Matter.AWARD, max_amount=10000
    )
    meeting = meetings.meeting_create(
        committee=world.committee,
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="Kommunhuset",
        by=secretary,
    )
    with django_capture_on_commit_callbacks(execute=True):
        meetings.delegated_decision_record(
            case=candidate,
            decision=meetings.DecisionData(outcome="granted", amount=Decimal(10000), reasons="Förtjänt."),
            by=caseworker,
        )
    candidate.refresh_from_db()
    assert candidate.state == "awarded"
    assert not StoredDocument.objects.filter(object_id=candidate.pk, kind="award_letter").exists()

    # The meeting it is reported to is held, its minutes approved and posted.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    second = member(world, "Bo Bergström", "bo@exemplo.se")
    meetings.attendance_set(
        meeting=meeting,
        rows=[
            meetings.AttendanceRow(user=world.users["member"], adjuster=True),
            meetings.AttendanceRow(user=second, adjuster=True),
        ],
        by=secretary,
    )
    meetings.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
    meetings.minutes_approve(meeting=meeting, by=world.users["member"])
    meetings.minutes_approve(meeting=meeting, by=second)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=secretary)
    meeting.refresh_from_db()
    letter = " ".join(
        pdf_text(StoredDocument.objects.get(object_id=candidate.pk, kind="award_letter").file.read()).split()
    )
    assert "på delegation" in letter and "där beslutet anmäldes till nämnden" in letter
    assert f"senast den {meeting.appeal_ends_on.isoformat()}" in letter
    assert StoredDocument.objects.filter(object_id=candidate.pk, kind="award_diploma").exists()
