"""The digital notice board, open calls as data and the accessibility statement."""

import datetime as dt
import importlib
import json
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from meetings.appeals import notice_taken_down_on
from meetings.models import Meeting, Notice
from portal.models import BarrierReport
from workflows.models import OutboxMessage

from ..grants.factories import RoundFactory
from ..security.authz import _support
from .factories import barrier_report, minutes_pdf, open_program, other_notice, posted_minutes, program

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db


def _board(client, world, name="portal:notices", **query):
    return client.get(reverse(name, kwargs={"slug": world.municipality.slug}), query)


# -- posted minutes go up on the board ------------------------------------------------------------


def test_posting_the_minutes_puts_them_on_the_board_until_the_day_after_the_appeal_period(world):
    meeting = posted_minutes(world)
    notice = Notice.objects.get(meeting=meeting)
    assert notice.kind == Notice.Kind.MINUTES
    assert notice.municipality == world.municipality
    assert notice.posted_on == meeting.posted_on == timezone.localdate()
    assert notice.taken_down_on == meeting.appeal_ends_on + dt.timedelta(days=1)
    assert notice.posted_by == world.users["secretary"]
    assert notice.title.startswith("Protokoll, Socialnämnden, sammanträdet ")
    assert meeting.appeal_ends_on.isoformat() in notice.body


def test_the_board_shows_the_minutes_with_their_dates_and_the_pdf(client, world):
    meeting = minutes_pdf(world, posted_minutes(world))
    notice = meeting.notice
    page = _board(client, world).content.decode()
    assert notice.title in page
    assert notice.posted_on.isoformat() in page and notice.taken_down_on.isoformat() in page
    assert "Sista dag att överklaga" in page and meeting.appeal_ends_on.isoformat() in page
    link = reverse("portal:notice_document", kwargs={"slug": "exemplo", "pk": notice.pk})
    assert link in page
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_posting_certificate_and_the_board_name_the_same_day():
    assert notice_taken_down_on(dt.date(2026, 6, 15)) == dt.date(2026, 6, 16)


def test_a_notice_taken_down_moves_to_the_archive_and_its_document_is_no_longer_offered(
    client, world, travel
):
    meeting = minutes_pdf(world, posted_minutes(world))
    notice = meeting.notice
    travel(notice.taken_down_on)
    assert notice.title not in _board(client, world).content.decode()
    archive = _board(client, world, "portal:notices_archive").content.decode()
    assert notice.title in archive and notice.taken_down_on.isoformat() in archive
    link = reverse("portal:notice_document", kwargs={"slug": "exemplo", "pk": notice.pk})
    assert client.get(link).status_code == 404


def test_another_municipalitys_notice_is_not_on_this_board(client, world):
    notice = other_notice(world)
    response = client.get(reverse("portal:notices", kwargs={"slug": world.other_municipality.slug}))
    assert notice.title not in response.content.decode()
    link = reverse("portal:notice_document", kwargs={"slug": "grannby", "pk": notice.pk})
    assert client.get(link).status_code == 404


def test_the_archive_is_paginated(client, world):
    today = timezone.localdate()
    for n in range(30):
        Notice.objects.create(
            municipality=world.municipality,
            title=f"Kungörelse nummer {n:02}",
            posted_on=today - dt.timedelta(days=100 + n),
            taken_down_on=today - dt.timedelta(days=50 + n),
            posted_by=world.users["secretary"],
        )
    first = _board(client, world, "portal:notices_archive").content.decode()
    second = _board(client, world, "portal:notices_archive", page=2).content.decode()
    assert "Kungörelse nummer 00" in first and "Kungörelse nummer 29" not in first
    assert "Kungörelse nummer 29" in second and "Sida 2 av 2" in second


def test_minutes_posted_before_the_board_existed_get_their_notice(world):
    meeting = posted_minutes(world)
    Notice.objects.filter(meeting=meeting).delete()
    migration = importlib.import_module("meetings.migrations.0004_notices_of_posted_minutes")
    migration.create_notices(apps, None)
    notice = Notice.objects.get(meeting=meeting)
    assert notice.posted_on == meeting.posted_on
    assert notice.taken_down_on == meeting.appeal_ends_on + dt.timedelta(days=1)
    assert notice.title.startswith("Protokoll, Socialnämnden, sammanträdet ")
    migration.create_notices(apps, None)  # twice is once
    assert Notice.objects.filter(meeting=meeting).count() == 1


def test_the_notice_board_feed_is_atom_and_may_be_cached(client, world):
    meeting = posted_minutes(world)
    response = _board(client, world, "portal:notices_feed")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "public" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    feed = ElementTree.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == [meeting.notice.title]


# -- the secretary posts other notices ------------------------------------------------------------


def _post_notice(client, world, **data):
    today = timezone.localdate()
    form = {
        "title": "Kungörelse: sammanträde",
        "body": "Socialnämnden sammanträder i Kommunhuset.",
        "posted_on": today.isoformat(),
        "taken_down_on": (today + dt.timedelta(days=14)).isoformat(),
        **data,
    }
    return client.post(reverse("portal:notice_new", kwargs={"slug": world.municipality.slug}), form)


def test_the_secretary_posts_a_notice_that_the_public_sees(client, world):
    client.force_login(world.users["secretary"])
    response = _post_notice(client, world)
    assert response.status_code == 302
    notice = Notice.objects.get(kind=Notice.Kind.NOTICE)
    assert notice.posted_by == world.users["secretary"] and notice.meeting is None
    client.logout()
    page = _board(client, world).content.decode()
    assert "Kungörelse: sammanträde" in page and "Socialnämnden sammanträder i Kommunhuset." in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"taken_down_on": timezone.localdate().isoformat()}, "måste komma efter dagen då det sätts upp"),
        (
            {"posted_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
            "en dag som redan har varit",
        ),
        (
            {"taken_down_on": (timezone.localdate() + dt.timedelta(days=400)).isoformat()},
            "högst ett år",
        ),
        ({"title": ""}, "Det här fältet är obligatoriskt"),
    ],
)
def test_a_notice_with_bad_dates_is_refused_in_swedish(client, world, change, message):
    client.force_login(world.users["secretary"])
    response = _post_notice(client, world, **change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "program_admin", "applicant", "other_caseworker"])
def test_only_a_secretary_of_the_municipality_posts_notices(client, world, role):
    client.force_login(world.users[role])
    assert _post_notice(client, world).status_code == 403
    assert not Notice.objects.exists()


# -- open calls as data ---------------------------------------------------------------------------


def test_open_calls_json_lists_open_and_coming_rounds_with_who_may_apply_and_amounts(client, world):
    round_ = open_program(world)
    round_.program.who_may_apply = "Ideella föreningar i Exempelö."
    round_.program.max_amount = 50000
    round_.program.save()
    coming = RoundFactory(
        program=round_.program,
        name="Höstens omgång",
        opens_at=timezone.now() + dt.timedelta(days=60),
        closes_at=timezone.now() + dt.timedelta(days=90),
    )
    RoundFactory(
        program=round_.program,
        name="Förra årets omgång",
        opens_at=timezone.now() - dt.timedelta(days=400),
        closes_at=timezone.now() - dt.timedelta(days=370),
    )
    response = client.get(reverse("portal:open_calls_json", kwargs={"slug": "exemplo"}))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Cache-Control"] in ("public, max-age=600", "max-age=600, public")
    data = json.loads(response.content)
    assert data["version"] == 1 and data["municipality"] == {"name": "Exempelö kommun", "slug": "exemplo"}
    assert [c["round"]["name"] for c in data["calls"]] == ["Vårens omgång", "Höstens omgång"]
    first = data["calls"][0]
    assert first["status"] == "open" and data["calls"][1]["status"] == "coming"
    assert set(first) == {
        "id", "status", "municipality", "program", "round", "who_may_apply", "amounts", "apply_url",
    }  # fmt: skip
    assert first["program"]["name"] == round_.program.name
    assert first["who_may_apply"]["text"] == "Ideella föreningar i Exempelö."
    assert first["amounts"] == {"currency": "SEK", "min": None, "max": 50000, "award": None}
    assert first["round"]["closes_at"].startswith(timezone.localtime(round_.closes_at).date().isoformat())
    assert first["apply_url"].endswith(f"/kommun/exemplo/#program-{round_.program.pk}")
    assert data["calls"][1]["round"]["id"] == coming.pk


def test_all_municipalities_open_calls_include_every_municipality(client, world):
    open_program(world)
    other = RoundFactory(program__committee=world.other_committee, program__name="Grannbys stöd")
    data = json.loads(client.get(reverse("portal:all_open_calls_json")).content)
    assert data["municipality"] is None
    assert {c["municipality"]["slug"] for c in data["calls"]} == {"exemplo", "grannby"}
    assert other.pk in {c["round"]["id"] for c in data["calls"]}
    only_here = json.loads(client.get(reverse("portal:open_calls_json", kwargs={"slug": "grannby"})).content)
    assert [c["round"]["id"] for c in only_here["calls"]] == [other.pk]


def test_an_inactive_program_is_no_open_call(client, world):
    round_ = open_program(world)
    round_.program.is_active = False
    round_.program.save()
    assert json.loads(client.get(reverse("portal:all_open_calls_json")).content)["calls"] == []


@pytest.mark.parametrize(
    "name, kwargs",
    [("portal:open_calls_feed", {"slug": "exemplo"}), ("portal:all_open_calls_feed", {})],
)
def test_open_calls_atom_feed(client, world, name, kwargs):
    round_ = open_program(world)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert "max-age=600" in response["Cache-Control"] and "public" in response["Cache-Control"]
    feed = ElementTree.fromstring(response.content)
    (entry,) = feed.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == f"{round_.program.name}: Vårens omgång"
    assert f"#program-{program(world).pk}" in entry.find(f"{ATOM}link").get("href")


# -- the accessibility statement ------------------------------------------------------------------


def test_the_statement_claims_no_review_by_hand_until_one_is_recorded(client, world, settings):
    settings.BIDRA_ACCESSIBILITY_REVIEWED_ON = None
    page = client.get(reverse("portal:accessibility")).content.decode()
    assert "Ingen granskning av tjänsten gjord av en person är registrerad ännu." in page
    assert "granskades senast" not in page


def test_the_statement_follows_diggs_model_with_the_settings(client, world, settings):
    settings.BIDRA_ACCESSIBILITY_REVIEWED_ON = dt.date(2026, 10, 1)
    settings.BIDRA_ACCESSIBILITY_DEVIATIONS = ["PDF-bilagor som föreningar laddar upp kan sakna taggar."]
    settings.BIDRA_ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@exemplo.se"
    settings.BIDRA_ACCESSIBILITY_ANSWER_DAYS = 10
    page = client.get(reverse("portal:accessibility")).content.decode()
    for text in [
        "Tillgänglighetsredogörelse för Bidra",
        "EN 301 549",
        "WCAG 2.1",
        "axe-core",
        "2026-10-01",
        "PDF-bilagor som föreningar laddar upp kan sakna taggar.",
        "delvis förenlig",
        "tillganglighet@exemplo.se",
        "inom 10 dagar",
        "https://www.digg.se/tdosanmalan",
    ]:
        assert text in page, text


def test_every_page_links_to_the_statement(client, world):
    page = client.get(reverse("portal:municipalities")).content.decode()
    assert f'href="{reverse("portal:accessibility")}">Tillgänglighetsredogörelse</a>' in page


def test_a_barrier_report_is_received_and_support_is_told(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:accessibility"),
            {"description": "Knappen syns inte i högkontrast.", "page_url": "/", "email": "rut@example.se"},
        )
    assert response.status_code == 302
    report = BarrierReport.objects.get()
    assert report.state == BarrierReport.State.RECEIVED and report.email == "rut@example.se"
    assert OutboxMessage.objects.filter(to="tillganglighet@bidra.invalid").count() == 1


def test_a_report_without_a_description_is_refused_in_swedish(client, world):
    response = client.post(reverse("portal:accessibility"), {"description": "", "page_url": "/"})
    assert response.status_code == 200
    assert "Det här fältet är obligatoriskt" in response.content.decode()
    assert not BarrierReport.objects.exists()


def test_reports_of_barriers_are_rate_limited(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "portal:accessibility": "2/3600"}
    for n in range(2):
        client.post(reverse("portal:accessibility"), {"description": f"Fel {n}"})
    refused = client.post(reverse("portal:accessibility"), {"description": "Fel 3"})
    assert refused.status_code == 429
    assert BarrierReport.objects.count() == 2


def test_support_staff_answer_a_report_and_the_reporter_gets_the_answer(
    client, world, django_capture_on_commit_callbacks
):
    report = barrier_report(world)
    support = _support(world)
    client.force_login(support)
    listing = client.get(reverse("portal:barrier_reports")).content.decode()
    assert "Datumen läses inte upp" in listing and "Mottagen" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:barrier_report", kwargs={"pk": report.pk}),
            {"answer": "Tack! Datumen har nu text som skärmläsare läser."},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == BarrierReport.State.ANSWERED and report.answered_by == support
    log = StateLog.objects.for_(report).get()
    assert (log.source_state, log.state, log.by) == ("received", "answered", support)
    mail = OutboxMessage.objects.get(to="rut@example.se")
    assert "Datumen har nu text som skärmläsare läser." in mail.body
    again = client.post(reverse("portal:barrier_report", kwargs={"pk": report.pk}), {"answer": "Igen"})
    assert again.status_code == 200 and StateLog.objects.for_(report).count() == 1


def test_an_empty_answer_changes_nothing(client, world):
    report = barrier_report(world)
    client.force_login(_support(world))
    response = client.post(reverse("portal:barrier_report", kwargs={"pk": report.pk}), {"answer": ""})
    assert "Det här fältet är obligatoriskt" in response.content.decode()
    report.refresh_from_db()
    assert report.state == BarrierReport.State.RECEIVED


@pytest.mark.parametrize("role", ["caseworker", "secretary", "municipality_admin", "applicant"])
def test_only_support_staff_read_the_reports(client, world, role):
    report = barrier_report(world)
    client.force_login(world.users[role])
    assert client.get(reverse("portal:barrier_reports")).status_code == 403
    assert client.get(reverse("portal:barrier_report", kwargs={"pk": report.pk})).status_code == 403


def test_meeting_state_is_untouched_by_the_board(world):
    meeting = posted_minutes(world)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.POSTED
