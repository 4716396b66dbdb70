"""Journey 4: a caseworker with a delegation decides a small grant at once, and the committee is
told at its next meeting (anmälan av delegationsbeslut).

The application waits as proposed (set up with the factories); the secretary plans the next
meeting and the caseworker decides on the pages, each signed in with the second factor.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grants.models import Application, DecisionLetter
from meetings.models import AgendaItem, Meeting

from ..conftest import build_world
from ..grants.decisions import organisation_with_user, proposed_application
from ..grants.factories import open_round

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_delegated_decision_below_the_limit_is_listed_at_the_committees_next_meeting(journey):
    world = build_world()  # the caseworker holds a grant delegation up to 30 000 kr
    open_round(world)  # the program's own delegation limit: below 30 000 kr
    club, club_user = organisation_with_user(world, "Exempelö Schackklubb", index=5)
    application = proposed_application(
        world, organisation=club, user=club_user, requested=20000, proposed=15000
    )
    day = timezone.localdate() + dt.timedelta(days=14)

    secretary = journey.person(world.user("secretary"), label="sekreteraren").sign_in()
    secretary.open(f"/namnder/{world.committee.pk}/sammantraden/").click("Planera ett sammanträde")
    secretary.fill("Datum och tid", f"{day:%Y-%m-%d}T13:00").fill("Plats", "Kommunhuset")
    secretary.click("Planera sammanträdet").sees("Sammanträdet är planerat")
    meeting = Meeting.objects.get()

    caseworker = journey.person(world.user("caseworker"), label="handläggaren").sign_in()
    caseworker.open(f"/ansokningar/{application.pk}/").sees("Exempelö Schackklubb")
    caseworker.click("Besluta på delegation").sees("under 30" + "\xa0000\xa0kr").look()
    # above the limit the committee decides: the page says so and nothing is decided
    caseworker.fill("Belopp (kr)", "35000").click("Registrera beslutet")
    caseworker.sees("nämnden beslutar")
    assert Application.objects.get(pk=application.pk).state == Application.State.PROPOSED
    caseworker.fill("Belopp (kr)", "15000").fill("Motivering", "Väl förankrad verksamhet för barn.")
    caseworker.click("Registrera beslutet").sees("anmäls till nämndens nästa sammanträde")
    decided = Application.objects.get(pk=application.pk)
    assert decided.state in Application.GRANTED_STATES and decided.decision.delegated
    assert decided.decision.amount == 15000 and decided.decision.decided_by == world.user("caseworker")
    assert DecisionLetter.objects.filter(application=decided).exists()  # executable at once

    # The club reads its letter: how to appeal, and from which meeting's minutes the period counts.
    club_person = journey.person(club_user, label="kassören").sign_in()
    club_person.open("/beslutsbrev/").sees("Exempelö Schackklubb").look()
    letter = " ".join(club_person.pdf("Exempelö Schackklubb beviljas").split())
    assert "Så här överklagar du beslutet" in letter and "laglighetsprövning" in letter
    assert "protokollet från det sammanträde där beslutet anmäldes till nämnden" in letter
    assert f"Beslutet anmäls vid nämndens sammanträde den {day:%Y-%m-%d}" in letter
    assert "nytt brev med den sista dagen för att överklaga" in letter

    item = AgendaItem.objects.get(meeting=meeting, kind=AgendaItem.Kind.INFORMATION)
    assert item.object_id == application.pk
    secretary.open(f"/sammantraden/{meeting.pk}/")
    secretary.sees("Anmälan av delegationsbeslut", "Exempelö Schackklubb", "15\xa0000\xa0kr").look()
