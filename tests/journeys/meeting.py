"""The committee's meeting as its secretary holds it on the pages, for journeys whose case is decided there.

The secretary's own journey (``test_committee``) walks every page of a meeting and checks each of
them; the journeys of an award and of a partnership reach the same pages for their own case, and
use this to get there the way the secretary would, without a service call in between.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from meetings.models import Meeting

from .harness import Person


@dataclass(frozen=True)
class Present:
    """A member at the meeting: the name as the attendance page shows it, party, adjuster or not."""

    name: str
    party: str
    adjuster: bool = False


def hold_a_meeting(
    secretary: Person, clock, *, attendance: list[Present], committee: str = "Socialnämnden"
) -> Meeting:
    """Plan a meeting an hour from now, put every waiting case on its agenda, publish it, record
    who is present, and, an hour later, mark it held.  Returns the meeting, held."""
    starts = timezone.localtime() + dt.timedelta(hours=1)
    secretary.sign_in().open("/sammantraden/").click(committee).click("Planera ett sammanträde")
    secretary.fill("Datum och tid", f"{starts:%Y-%m-%dT%H:%M}").fill("Plats", "Kommunhuset")
    secretary.click("Planera sammanträdet").sees("Sammanträdet är planerat")
    meeting = Meeting.objects.latest("pk")

    secretary.click("Bygg föredragningslistan").look()
    secretary.click("Lägg till de valda ärendena").sees("har lagts till")
    secretary.click("Tillbaka till sammanträdet")
    secretary.click("Publicera föredragningslistan").sees("föredragningslista publicerad")

    secretary.click("Närvaro och justerare")
    for member in attendance:
        secretary.tick_in(member.name, "Närvarande").fill_in(member.name, "Parti", member.party)
        if member.adjuster:
            secretary.tick_in(member.name, "Justerare")
    secretary.click("Spara närvaron").sees("Närvaron är sparad")

    clock.travel(starts + dt.timedelta(minutes=30))
    secretary.open(f"/sammantraden/{meeting.pk}/")  # the day is not over: still signed in
    secretary.click("Markera sammanträdet som hållet").sees("hållet")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    return meeting
