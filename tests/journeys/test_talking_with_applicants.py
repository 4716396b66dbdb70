"""Journey: an association and the municipality talk on the case page, as förvaltningslagen asks.

The treasurer asks a question on the club's application and the caseworker answers it there.  The
case then passes the program's normal handling time: the caseworker finds it at risk in the inbox
and tells the club why and when a decision can be expected (11 §), on the same thread, after
reading the notice as the club will.  Six months after the application came in the club asks in
writing that the case be decided (12 §); the caseworker decides it by delegation within the four
weeks, which answers the request, and the decision letter names the person to contact.

The application waits as proposed (set up with the factories); every step after that is taken on
the pages, each person signed in with the second factor where their role asks for it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from correspondence.models import Message
from grants.models import Application, DecisionRequest
from workflows.models import OutboxMessage

from ..conftest import build_world
from ..grants.decisions import organisation_with_user, proposed_application
from ..grants.factories import open_round

pytestmark = pytest.mark.django_db(transaction=True)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0))


def test_a_question_is_answered_a_delay_explained_and_a_requested_decision_made_in_time(journey, clock):
    world = build_world()  # the caseworker holds a grant delegation up to 30 000 kr
    program = open_round(world).program
    program.contact_name, program.contact_email, program.contact_phone = (
        "Karin Kontakt",
        "karin.kontakt@exempelo.se",
        "08-123 45 67",
    )
    program.save()
    club, club_user = organisation_with_user(world, "Exempelö Schackklubb", index=5)
    application = proposed_application(
        world, organisation=club, user=club_user, requested=20000, proposed=15000
    )
    page = f"/ansokningar/{application.pk}/"
    came_in = timezone.localdate(application.submitted_at)

    # The club asks a question on its application; the caseworker is told it waits.
    treasurer = journey.person(club_user, label="kassören").sign_in()
    treasurer.open(page).sees("Meddelanden").look()
    treasurer.fill("Nytt meddelande", "Får vi använda bidraget till schackklockor också?")
    treasurer.click("Skicka").sees("Får vi använda bidraget till schackklockor också?")
    question = Message.objects.get(object_id=application.pk)
    assert question.side == Message.Side.ORGANISATION and question.author == club_user

    caseworker = journey.person(world.user("caseworker"), label="handläggaren").sign_in()
    caseworker.open("/handlaggning/").sees("1 oläst meddelande").look()
    caseworker.open(page).sees("Får vi använda bidraget till schackklockor också?")
    caseworker.fill("Nytt meddelande", "Ja, utrustning för träningen ingår. Skriv det i återrapporten.")
    caseworker.click("Skicka").sees("Ja, utrustning för träningen ingår.").look()

    treasurer.open("/").sees("1 oläst meddelande").look()
    treasurer.open(page).sees("Ja, utrustning för träningen ingår.")
    # the e-mail tells the club that an answer waits, and never what it says
    answer = Message.objects.get(object_id=application.pk, side=Message.Side.STAFF)
    told = OutboxMessage.objects.get(key=f"case-message:{answer.pk}:{club_user.email}")
    assert page in told.body and "schackklockor" not in told.body and "utrustning" not in told.body

    # 80 of the program's 90 days have passed: the case is at risk, and the club is told why.
    clock.travel(_at(came_in + dt.timedelta(days=80)))
    caseworker = journey.person(world.user("caseworker"), label="handläggaren, 80 dagar senare").sign_in()
    caseworker.open("/handlaggning/").sees("Riskerar att försenas", application.case_number, "10 dagar kvar")
    caseworker.look().click("Meddela försening")
    expected = came_in + dt.timedelta(days=130)
    caseworker.fill("Varför ärendet är försenat", "Nämnden väntar på kommunfullmäktiges budgetbeslut.")
    caseworker.fill("Ett beslut kan väntas senast", expected.isoformat())
    caseworker.click("Visa beskedet").sees("Skicka förseningsbeskedet?", "Meddelanden").look()
    caseworker.click("Skicka beskedet").sees("Förseningsbeskedet är skickat")
    caseworker.open("/handlaggning/").sees("Ingen ansökan riskerar att försenas")

    treasurer = journey.person(club_user, label="kassören, 80 dagar senare").sign_in()
    treasurer.open("/").sees("1 oläst meddelande")
    treasurer.open(page).sees(
        "Förseningsbesked",
        f"Beslut kan väntas senast {expected.isoformat()}",
        "Nämnden väntar på kommunfullmäktiges budgetbeslut.",
    )
    notice = Message.objects.filter(object_id=application.pk, side=Message.Side.STAFF).latest("created_at")
    assert "Nämnden väntar på kommunfullmäktiges budgetbeslut." in notice.body
    assert f"Ni kan räkna med ett beslut senast {expected.isoformat()}" in notice.body
    treasurer.does_not_see("Begär att ärendet avgörs").look()

    # Six months and a day after it came in the case is still not decided: the club asks in writing.
    clock.travel(_at(came_in + dt.timedelta(days=185)))
    treasurer = journey.person(club_user, label="kassören, ett halvår senare").sign_in()
    treasurer.open(page).click("Begär att ärendet avgörs")
    treasurer.fill("Meddelande till nämnden (frivilligt)", "Vi måste beställa klockorna före terminsstarten.")
    treasurer.click("Begär att ärendet avgörs", role="button").sees("Er begäran är skickad", "28 dagar kvar")
    request = DecisionRequest.objects.get(application=application)
    treasurer.look()

    # Ten days later, well within the four weeks, the caseworker decides the case by delegation.
    clock.travel(_at(came_in + dt.timedelta(days=195)))
    caseworker = journey.person(world.user("caseworker"), label="handläggaren, tio dagar senare").sign_in()
    caseworker.open("/handlaggning/").sees("Begäran om avgörande", request.due.isoformat()).look()
    caseworker.open(page).click("Besluta på delegation")
    caseworker.fill("Belopp (kr)", "15000").fill(
        "Motivering", "Väl förankrad verksamhet för unga schackspelare."
    )
    caseworker.click("Registrera beslutet")
    decided = Application.objects.get(pk=application.pk)
    assert decided.state in Application.GRANTED_STATES and decided.decision.delegated
    request.refresh_from_db()
    assert request.outcome == DecisionRequest.Outcome.DECIDED
    assert timezone.localdate(request.closed_at) <= request.due == request.at.date() + dt.timedelta(weeks=4)

    # The club reads the decision, with the person to contact about it.
    treasurer = journey.person(club_user, label="kassören, efter beslutet").sign_in()
    treasurer.open("/beslutsbrev/").sees("Exempelö Schackklubb").look()
    letter = " ".join(treasurer.pdf("Exempelö Schackklubb beviljas").split())
    assert "Så här överklagar du beslutet" in letter
    assert "Kontaktperson: Karin Kontakt, e-post karin.kontakt@exempelo.se, telefon 08-123 45 67" in letter
