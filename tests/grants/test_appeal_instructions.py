"""Every appealable decision's letter says how and by when to appeal, with the date where it can be known.

A review of legality (laglighetsprövning) counts from the posting of the minutes: for a delegated
decision, those of the meeting it is reported to, so its letter comes again with the date once they
are posted.  An administrative appeal (förvaltningsbesvär) counts from the day the applicant received
the decision: the letter names the day Bidra sent it and the last day for someone who got it then.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, DecisionLetter
from meetings import services as meetings
from meetings.appeals import appeal_period_end
from workflows.models import OutboxMessage, StoredDocument

from ..pdf import pdf_text
from .decisions import members
from .factories import application_in

pytestmark = pytest.mark.django_db


def _words(data: bytes) -> str:
    return " ".join(pdf_text(data).replace("\xa0", " ").split())


def _decide_by_delegation(world, client, django_capture_on_commit_callbacks) -> Application:
    application = application_in(world, "proposed")
    Application.objects.filter(pk=application.pk).update(requested_amount=25000, proposed_amount=25000)
    client.force_login(world.users["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:application_decide", kwargs={"pk": application.pk}),
            {"outcome": "granted", "amount": "25000", "reasons": "Uppfyller villkoren."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.decision.delegated
    return application


def _latest_letter(application) -> str:
    letter = DecisionLetter.objects.filter(application=application).order_by("-created_at", "-pk").first()
    return _words(letter.document.file.read())


def test_a_delegated_decision_reviewed_for_legality_gets_its_last_day_when_the_reporting_minutes_are_posted(
    world, client, clock, django_capture_on_commit_callbacks
):
    secretary = world.users["secretary"]
    meeting_day = timezone.localdate() + dt.timedelta(days=10)
    meeting = meetings.meeting_create(
        committee=world.committee,
        starts_at=timezone.make_aware(dt.datetime.combine(meeting_day, dt.time(13, 0))),
        place="Kommunhuset",
        by=secretary,
    )
    application = _decide_by_delegation(world, client, django_capture_on_commit_callbacks)

    first = _latest_letter(application)
    assert "laglighetsprövning" in first
    assert "protokollet från det sammanträde där beslutet anmäldes till nämnden har justerats" in first
    assert f"Beslutet anmäls vid nämndens sammanträde den {meeting_day:%Y-%m-%d}" in first
    assert "När protokollet har anslagits får du ett nytt brev med den sista dagen för att överklaga" in first
    assert "senast den" not in first

    # the committee meets, is told of the decision, approves and posts its minutes
    clock.set(timezone.make_aware(dt.datetime.combine(meeting_day, dt.time(15, 0))))
    meetings.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    meetings.attendance_set(
        meeting=meeting,
        rows=[meetings.AttendanceRow(user=u, party="S", adjuster=True) for u in members(world)],
        by=secretary,
    )
    meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
    for adjuster in members(world):
        meetings.minutes_approve(meeting=meeting, by=adjuster)
    posted_on = meeting_day + dt.timedelta(days=2)
    clock.set(posted_on)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_post(meeting=meeting, posted_on=posted_on, by=secretary)

    again = _latest_letter(application)
    assert f"Beslutet anmäldes vid sammanträdet den {meeting_day:%Y-%m-%d}" in again
    assert f"Protokollet anslogs den {posted_on:%Y-%m-%d}" in again
    assert f"senast den {meeting.appeal_ends_on:%Y-%m-%d}" in again
    assert meeting.appeal_ends_on == appeal_period_end(posted_on)
    assert DecisionLetter.objects.filter(application=application).count() == 2
    assert OutboxMessage.objects.filter(key=f"decision-letter:{application.pk}:v2").exists()


def test_a_delegated_decision_appealed_by_the_party_names_the_day_it_was_sent_and_the_last_day(
    world, client, django_capture_on_commit_callbacks
):
    program = application_in(world, "proposed").round.program
    program.appeal_kind = "administrative"
    program.appeal_court = "Förvaltningsrätten i Exempelstad"
    program.save()
    application = _decide_by_delegation(world, client, django_capture_on_commit_callbacks)

    today = timezone.localdate()
    text = _latest_letter(application)
    assert "förvaltningsbesvär" in text
    assert "inom tre veckor från den dag du fick del av beslutet" in text
    assert f"Beslutet skickades digitalt den {today:%Y-%m-%d}" in text
    assert f"senast den {appeal_period_end(today):%Y-%m-%d}" in text
    assert "Förvaltningsrätten i Exempelstad" in text


def _dismiss(world, client) -> str:
    application = application_in(world, "submitted")
    client.force_login(world.users["caseworker"])
    client.post(
        reverse("grants:application_confirm", args=[application.pk, "dismiss"]),
        {"reason": "Ansökan kom in efter att omgången stängt."},
    )
    application.refresh_from_db()
    assert application.state == "dismissed"
    document = StoredDocument.objects.get(object_id=application.pk, kind="dismissal_letter")
    return _words(document.file.read())


def test_a_dismissal_appealed_by_the_party_names_the_day_it_was_sent_and_the_last_day(world, client):
    program = application_in(world, "submitted").round.program
    program.appeal_kind = "administrative"
    program.save()
    today = timezone.localdate()
    text = _dismiss(world, client)
    assert "inom tre veckor från den dag du fick del av beslutet" in text
    assert f"Beslutet skickades digitalt den {today:%Y-%m-%d}" in text
    assert f"senast den {appeal_period_end(today):%Y-%m-%d}" in text


def test_a_dismissal_reviewed_for_legality_says_how_the_period_is_counted_and_promises_no_date(world, client):
    text = _dismiss(world, client)
    assert "laglighetsprövning" in text
    assert "protokollet från det sammanträde där beslutet anmäldes till nämnden har justerats" in text
    assert "Dagen då protokollet anslås står på kommunens anslagstavla" in text
    assert "senast den" not in text and "nytt brev" not in text
