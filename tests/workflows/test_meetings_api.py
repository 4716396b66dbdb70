"""/api/v1/meetings/: the agenda with decisions, and the same transitions and checks as the pages."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from meetings import services
from meetings.models import Meeting

from .factories import MatterFactory, aware, member

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_shows_the_agenda_and_moves_the_meeting_like_the_pages(world):
    secretary = world.users["secretary"]
    meeting = services.meeting_create(
        committee=world.committee, starts_at=aware(2026, 5, 20), place="Kommunhuset", by=secretary
    )
    matter = MatterFactory(committee=world.committee, organisation=world.organisation, proposed=70000)
    (item,) = services.agenda_add(meeting=meeting, cases=[matter], by=secretary)
    services.recusal_declare(item=item, user=world.users["member"], reason="Jäv.", by=world.users["member"])

    detail = api(world.users["member"]).get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert detail["state"] == "planned"
    assert detail["items"][0]["title"] == "Föreningen Trygg Vardag – ansökan om verksamhetsstöd"
    assert detail["items"][0]["proposed_amount"] == "70000"
    assert detail["items"][0]["recusals"] == [world.users["member"].full_name]
    assert detail["items"][0]["decision"] is None

    transitions = api(secretary).get(f"/api/v1/meetings/{meeting.pk}/transitions/").json()
    assert [t["name"] for t in transitions] == ["publish_agenda"]
    assert (
        api(world.users["member"])
        .post(f"/api/v1/meetings/{meeting.pk}/transitions/publish_agenda/")
        .status_code
        == 403
    )
    response = api(secretary).post(
        f"/api/v1/meetings/{meeting.pk}/transitions/publish_agenda/", {"reason": "Kallelse"}
    )
    assert response.status_code == 200 and response.json()["state"] == "agenda_published"

    refused = api(secretary).post(f"/api/v1/meetings/{meeting.pk}/transitions/hold/")
    assert refused.status_code == 409 and any("justerare" in r for r in refused.json()["reasons"])

    history = api(secretary).get(f"/api/v1/meetings/{meeting.pk}/history/").json()
    assert [(h["state"], h["by"], h["reason"]) for h in history] == [
        ("agenda_published", secretary.full_name, "Kallelse")
    ]


def test_other_municipalities_and_applicants_see_no_meetings(world):
    services.meeting_create(
        committee=world.committee, starts_at=aware(2026, 6, 1), place="K", by=world.users["secretary"]
    )
    for role in ("applicant", "other_caseworker"):
        assert api(world.users[role]).get("/api/v1/meetings/").json()["count"] == 0
    assert api(world.users["caseworker"]).get("/api/v1/meetings/").json()["count"] == 1


def test_posting_through_the_api_needs_the_date(world, clock):
    secretary = world.users["secretary"]
    clock.set(dt.date(2026, 5, 4))
    meeting = services.meeting_create(
        committee=world.committee, starts_at=aware(2026, 5, 20), place="K", by=secretary
    )
    second = member(world, "Bo Berg", "bo@exemplo.se")
    services.attendance_set(
        meeting=meeting,
        rows=[
            services.AttendanceRow(user=world.users["member"], adjuster=True),
            services.AttendanceRow(user=second, adjuster=True),
        ],
        by=secretary,
    )
    services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    clock.set(dt.date(2026, 5, 20))
    services.meeting_transition(meeting=meeting, name="hold", by=secretary)
    services.minutes_approve(meeting=meeting, by=world.users["member"])
    services.minutes_approve(meeting=meeting, by=second)
    clock.set(dt.date(2026, 5, 29))
    url = f"/api/v1/meetings/{meeting.pk}/transitions/post/"
    assert api(secretary).post(url, {}).status_code == 409
    response = api(secretary).post(url, {"posted_on": "2026-05-29"})
    assert response.status_code == 200 and response.json()["appeal_ends_on"] == "2026-06-22"


def test_the_demo_has_a_planned_and_a_posted_meeting_and_loads_twice():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    states = sorted(Meeting.objects.values_list("state", flat=True))
    assert {"planned", "posted"} <= set(states)  # the case apps' demos add meetings that decided their cases
    planned = Meeting.objects.get(state="planned")
    assert (planned.starts_at.month, planned.committee.name) == (6, "Socialnämnden")
