"""The secretary runs a meeting through its pages; members declare conflicts and approve."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting
from tests.workflows.caseapp.models import Matter
from workflows.models import StoredDocument

from .factories import BudgetFactory, MatterFactory, member

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_secretary_runs_a_meeting_through_the_pages(world, clock, django_capture_on_commit_callbacks):
    clock.set(dt.date(2026, 5, 4))
    BudgetFactory(committee=world.committee, amount=1000000)
    trygg = MatterFactory(
        committee=world.committee, organisation=world.organisation, requested=150000, proposed=135000
    )
    other = MatterFactory(committee=world.committee, requested=90000, proposed=60000)
    asa = member(world, "Åsa Öberg", "asa@exemplo.se")
    lars = world.users["member"]
    secretary = client_for(world.users["secretary"])

    response = secretary.post(
        reverse("meetings:meeting_create", args=[world.committee.pk]),
        {"starts_at": "2026-05-20T13:00", "place": "Kommunhuset"},
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:meeting_detail", args=[meeting.pk])

    page = secretary.get(reverse("meetings:meeting_agenda", args=[meeting.pk])).content.decode()
    assert "Föreningen Trygg Vardag – ansökan om verksamhetsstöd" in page and "150\xa0000\xa0kr" in page
    matter_type = ContentType.objects.get_for_model(Matter).pk
    secretary.post(
        reverse("meetings:meeting_agenda", args=[meeting.pk]),
        {"cases": [f"{matter_type}:{trygg.pk}", f"{matter_type}:{other.pk}"]},
    )
    assert meeting.items.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(reverse("meetings:meeting_transition", args=[meeting.pk, "publish_agenda"]))
    detail = secretary.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Föredragningslista Socialnämnden 2026-05-20" in detail
    assert "Tjänsteutlåtande: Verksamhetsstöd 2027 – omgång 1" in detail

    # Holding the meeting is refused, with the reason, until attendance and adjusters are recorded.
    assert "Utse först två justerare" in detail
    secretary.post(
        reverse("meetings:meeting_attendance", args=[meeting.pk]),
        {
            f"m{lars.pk}-present": "on",
            f"m{lars.pk}-role": "member",
            f"m{lars.pk}-party": "S",
            f"m{lars.pk}-adjuster": "on",
            f"m{asa.pk}-present": "on",
            f"m{asa.pk}-role": "substitute",
            f"m{asa.pk}-adjuster": "on",
        },
    )
    early = secretary.post(reverse("meetings:meeting_transition", args=[meeting.pk, "hold"]), follow=True)
    assert "Sammanträdet har inte ägt rum än" in early.content.decode()
    clock.set(dt.date(2026, 5, 20))
    secretary = client_for(world.users["secretary"])  # signed in again on the day of the meeting
    secretary.post(reverse("meetings:meeting_transition", args=[meeting.pk, "hold"]))
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD

    trygg_item, other_item = meeting.items.order_by("order")
    client_for(lars).post(
        reverse("meetings:item_recusal", args=[trygg_item.pk]),
        {"user": str(lars.pk), "reason": "Ordförande i föreningen."},
    )
    assert trygg_item.recusals.get().user == lars

    decide = reverse("meetings:meeting_decide", args=[meeting.pk, trygg_item.group_no])
    form = secretary.get(decide).content.decode()
    assert 'value="135000"' in form and "har anmält jäv och deltar inte" in form
    data = {
        "group-period_start": "2027-01-01",
        "group-period_end": "2027-12-31",
        "group-report_due": "2028-03-31",
        "group-conditions": "Redovisning senast 31 mars.",
    }
    for item, amount in ((trygg_item, "135000"), (other_item, "45000")):
        data |= {
            f"item{item.pk}-outcome": "granted",
            f"item{item.pk}-amount": amount,
            f"item{item.pk}-reasons": "",
        }
    data[f"item{other_item.pk}-outcome"] = "partly_granted"
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(decide, data)
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.granted_amount == 45000

    for adjuster in (lars, asa):
        with django_capture_on_commit_callbacks(execute=True):
            client_for(adjuster).post(reverse("meetings:minutes_approve", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_APPROVED

    clock.set(dt.date(2026, 5, 29))
    secretary = client_for(world.users["secretary"])  # a new sign-in: weeks have passed
    response = secretary.post(
        reverse("meetings:meeting_post", args=[meeting.pk]), {"posted_on": "2026-05-29"}
    )
    assert response.url == reverse("meetings:meeting_detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.appeal_ends_on == dt.date(2026, 6, 22)
    detail = secretary.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "2026-06-22" in detail

    minutes = StoredDocument.objects.filter(kind="minutes").order_by("-version").first()
    download = client_for(lars).get(reverse("meetings:meeting_document", args=[meeting.pk, minutes.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # Applicants see nothing of meetings, not even their own case's.
    assert client_for(world.users["applicant"]).get(
        reverse("meetings:meeting_detail", args=[meeting.pk])
    ).status_code in (403, 404)


def test_a_budget_refusal_on_the_page_says_by_how_much_and_changes_nothing(world, clock):
    from meetings import services

    clock.set(dt.date(2026, 5, 4))
    BudgetFactory(committee=world.committee, amount=100000)
    matter = MatterFactory(committee=world.committee, proposed=102500)
    secretary = world.users["secretary"]
    meeting = services.meeting_create(
        committee=world.committee, starts_at=clock_time(), place="K", by=secretary
    )
    (item,) = services.agenda_add(meeting=meeting, cases=[matter], by=secretary)
    services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    services.attendance_set(
        meeting=meeting,
        rows=[
            services.AttendanceRow(user=world.users["member"], adjuster=True),
            services.AttendanceRow(user=member(world, "Bo Berg", "bo@exemplo.se"), adjuster=True),
        ],
        by=secretary,
    )
    clock.set(dt.date(2026, 5, 20))
    services.meeting_transition(meeting=meeting, name="hold", by=secretary)
    response = client_for(secretary).post(
        reverse("meetings:meeting_decide", args=[meeting.pk, item.group_no]),
        {f"item{item.pk}-outcome": "granted", f"item{item.pk}-amount": "102500"},
    )
    assert response.status_code == 200
    assert "överskrider budgeten med 2\xa0500\xa0kr" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == "proposed"


def clock_time():
    from .factories import aware

    return aware(2026, 5, 20)
