"""A delegate decides a proposed partnership on the page for delegated decisions: the decision is
recorded like any other, listed for the committee, and its letter says how and by when to appeal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services as meetings
from meetings.models import AgendaItem, Decision
from organizations.models import Delegation
from workflows.models import StoredDocument

from ..factories import DelegationFactory
from ..grants.decisions import members
from ..pdf import pdf_text
from .factories import in_state

pytestmark = pytest.mark.django_db


def _letters(partnership, decision):
    documents = StoredDocument.objects.filter(object_id=partnership.pk, kind=f"decision_letter_{decision.pk}")
    return [" ".join(pdf_text(d.file.read()).split()) for d in documents.order_by("version")]


def test_a_delegated_partnership_decision_has_a_letter_whose_last_day_follows_the_reporting_minutes(
    world, client, travel, django_capture_on_commit_callbacks
):
    partnership = in_state(world, "proposed")
    caseworker, secretary = world.users["caseworker"], world.users["secretary"]
    DelegationFactory(
        user=caseworker, committee=world.committee, matter=Delegation.Matter.PARTNERSHIP, max_amount=1000000
    )
    meeting_day = timezone.localdate() + dt.timedelta(days=12)
    meeting = meetings.meeting_create(
        committee=world.committee,
        starts_at=timezone.make_aware(dt.datetime.combine(meeting_day, dt.time(13))),
        place="Kommunhuset",
        by=secretary,
    )
    client.force_login(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("iop:delegated_decision", args=[partnership.pk]),
            {"approved": "yes", "reasons": "Avtalet motsvarar behovet och ryms i budgeten."},
        )
    assert response.status_code == 302
    partnership.refresh_from_db()
    decision = Decision.objects.get(object_id=partnership.pk)
    assert partnership.state == "approved" and decision.delegated
    assert AgendaItem.objects.filter(meeting=meeting, kind="information", object_id=partnership.pk).exists()
    [first] = _letters(partnership, decision)
    assert "på delegation från Socialnämnden" in first and "laglighetsprövning" in first
    assert f"Beslutet anmäls vid nämndens sammanträde den {meeting_day:%Y-%m-%d}" in first
    assert "nytt brev med den sista dagen för att överklaga" in first and "senast den" not in first

    travel(meeting_day)
    meetings.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    meetings.attendance_set(
        meeting=meeting,
        rows=[meetings.AttendanceRow(user=u, party="S", adjuster=True) for u in members(world)],
        by=secretary,
    )
    meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
    for adjuster in members(world):
        meetings.minutes_approve(meeting=meeting, by=adjuster)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_post(meeting=meeting, posted_on=meeting_day, by=secretary)
    first_again, second = _letters(partnership, decision)
    assert first_again == first
    assert f"Protokollet anslogs den {meeting_day:%Y-%m-%d}" in second
    assert f"senast den {meeting.appeal_ends_on:%Y-%m-%d}" in second
