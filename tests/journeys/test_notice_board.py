"""Journey: the municipality's notice board and the accessibility statement, as people use them.

The secretary posts the approved minutes of a meeting on its page; a visitor finds them on the
municipality's notice board with the day they were posted, the day they come down and the last
day to appeal, and downloads the minutes with their posting certificate.  The visitor then reports
an accessibility barrier from the link in the footer, and support staff answer the report.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Notice
from portal.models import BarrierReport
from workflows.models import OutboxMessage

from .. import factories as f
from ..conftest import build_world
from ..workflows.factories import MatterFactory, member

pytestmark = pytest.mark.django_db(transaction=True)


def _minutes_approved(world) -> Meeting:
    """A meeting held a week ago with one decided item, its minutes approved by both adjusters."""
    secretary = world.users["secretary"]
    meeting = services.meeting_create(
        committee=world.committee,
        starts_at=timezone.now() - dt.timedelta(days=7),
        place="Kommunhuset",
        by=secretary,
    )
    matter = MatterFactory(committee=world.committee, organisation=world.organisation)
    (item,) = services.agenda_add(meeting=meeting, cases=[matter], by=secretary)
    second = member(world, "Åsa Öberg", "asa@exemplo.se")
    services.attendance_set(
        meeting=meeting,
        rows=[
            services.AttendanceRow(user=world.users["member"], party="S", adjuster=True),
            services.AttendanceRow(user=second, party="M", adjuster=True),
        ],
        by=secretary,
    )
    services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    services.meeting_transition(meeting=meeting, name="hold", by=secretary)
    services.decisions_record(meeting=meeting, group_no=item.group_no, by=secretary)
    services.minutes_approve(meeting=meeting, by=world.users["member"])
    services.minutes_approve(meeting=meeting, by=second)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_APPROVED
    return meeting


def test_posted_minutes_reach_the_notice_board_and_a_reported_barrier_is_answered(journey):
    world = build_world()
    meeting = _minutes_approved(world)

    # -- the secretary posts the minutes on the meeting's page ----------------------------------
    secretary = journey.person(world.users["secretary"], label="Sekreteraren").sign_in()
    secretary.open(f"/sammantraden/{meeting.pk}/").click("Anslå protokollet").look()
    secretary.click("Anslå protokollet").sees("Protokollet är anslaget")
    meeting.refresh_from_db()
    notice = Notice.objects.get(meeting=meeting)
    posted, down, ends = (
        f"{d:%Y-%m-%d}" for d in (meeting.posted_on, notice.taken_down_on, meeting.appeal_ends_on)
    )
    assert meeting.posted_on == timezone.localdate()

    # -- a visitor reads the notice board and downloads the minutes -----------------------------
    visitor = journey.person(label="Besökaren")
    visitor.open("/kommun/exemplo/").click("Anslagstavla").look()
    visitor.sees("Anslagstavla för Exempelö kommun", notice.title, posted, down, ends)
    minutes = " ".join(visitor.pdf(f"Ladda ned protokollet (PDF): {notice.title}").split())
    assert "Anslagsbevis" in minutes and posted in minutes and down in minutes
    visitor.click("Nedtagna anslag (arkiv)").sees("Inget anslag har tagits ned än.").look()

    # -- the visitor reports a barrier from the footer ------------------------------------------
    visitor.click("Tillgänglighetsredogörelse").sees("EN 301 549", "WCAG 2.1").look()
    visitor.fill("Vilken sida eller vilket dokument? (adress eller namn)", "Anslagstavlan")
    visitor.fill("Vad fungerade inte för dig?", "Datumen på anslagstavlan läses upp som siffror.")
    visitor.fill("Din e-postadress (frivilligt)", "rut@example.se")
    visitor.click("Skicka anmälan").sees("Tack. Vi har tagit emot din anmälan")
    report = BarrierReport.objects.get()
    assert report.state == BarrierReport.State.RECEIVED

    # -- support staff answer it ----------------------------------------------------------------
    support = f.UserFactory(email="support@exemplo.se", full_name="Sara Support", is_staff=True)
    staff = journey.person(support, label="Supporten").sign_in()
    staff.open("/tillganglighet/anmalningar/").sees("Anmälningar om bristande tillgänglighet").look()
    staff.click("Datumen på anslagstavlan läses upp som siffror.").look()
    staff.fill("Svar", "Tack! Vi har lagt till en text som skärmläsare läser upp som datum.")
    staff.click("Spara och skicka svaret").sees("Svaret är sparat och skickat.")
    report.refresh_from_db()
    assert report.state == BarrierReport.State.ANSWERED and report.answered_by == support
    mail = OutboxMessage.objects.get(to="rut@example.se")
    assert "läser upp som datum" in mail.body
