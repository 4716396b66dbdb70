"""The minutes read as a committee's minutes: what was decided, in the words of the case type."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services as meetings
from meetings.documents import minutes_document_make

from ..grants.decisions import held_meeting, members
from ..pdf import pdf_text
from ..reporting.factories import reclaim_in

pytestmark = pytest.mark.django_db


def test_a_reclaim_decided_at_a_meeting_reads_as_a_reclaim_not_as_a_grant(world, client):
    reclaim = reclaim_in(world, "proposed")
    secretary = world.users["secretary"]
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(hours=3), cases=[reclaim], adjusters=members(world)
    )
    meetings.decisions_record(meeting=meeting, group_no=1, by=secretary)

    minutes = " ".join(pdf_text(minutes_document_make(meeting=meeting, by=secretary).file.read()).split())
    item = meeting.items.get(kind="decision")
    decided = minutes.split(item.case_number + ")")[1].split("Deltar i beslutet")[0]
    assert "Beslut: Återkrav beslutat, 25 000 kr." in decided and "eviljad" not in decided
    client.force_login(secretary)
    page = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Återkrav beslutat 25\xa0000\xa0kr" in page
