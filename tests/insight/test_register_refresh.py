"""The register is a table kept equal to what is public: refreshed after each public event and nightly."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import Program
from insight import tasks
from insight.models import Kind, RegisterEntry
from insight.services import register_rebuild, register_refresh
from iop import services as iop
from meetings import services as meetings

from ..grants.decisions import held_meeting, members
from ..grants.factories import application_in
from .factories import scenario

pytestmark = pytest.mark.django_db


def _register(world, query=""):
    url = reverse("insight:register", kwargs={"slug": world.municipality.slug})
    return Client().get(f"{url}{query}").content.decode()


def _entries(world):
    fields = [f.attname for f in RegisterEntry._meta.concrete_fields]
    return sorted(RegisterEntry.objects.filter(municipality=world.municipality).values_list(*fields))


def _decided_at_a_meeting(world):
    """An application granted at a held meeting whose minutes both adjusters have approved."""
    application = application_in(world, "proposed", key="register-app")
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(days=2), cases=[application], adjusters=members(world)
    )
    meetings.decisions_record(meeting=meeting, group_no=1, by=world.users["secretary"])
    for attendance in meeting.attendances.filter(adjuster=True):
        meetings.minutes_approve(meeting=meeting, by=attendance.user)
    application.refresh_from_db()
    return application, meeting


def test_posting_the_minutes_puts_the_meetings_grants_in_the_register(
    world, django_capture_on_commit_callbacks
):
    application, meeting = _decided_at_a_meeting(world)
    register_refresh(municipality=world.municipality)
    assert application.case_number not in _register(world)  # decided, minutes approved, not posted

    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=world.users["secretary"])

    html = _register(world)
    assert application.case_number in html
    assert world.organisation.name in html
    entry = RegisterEntry.objects.get(kind=Kind.GRANT, object_id=application.pk)
    assert entry.amount == application.granted_amount
    assert entry.decided_on == timezone.localdate(timezone.now() - dt.timedelta(days=2))


def test_a_decision_annulled_on_appeal_leaves_the_register(world, django_capture_on_commit_callbacks):
    application, meeting = _decided_at_a_meeting(world)
    secretary = world.users["secretary"]
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=secretary)
    assert application.case_number in _register(world)

    item = meeting.items.get(object_id=application.pk)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = meetings.appeal_register(
            item=item, appellant="Kim Kommuninvånare", lodged_on=timezone.localdate(), by=secretary
        )
        meetings.appeal_resolve(
            appeal=appeal, outcome="annulled", resolved_on=timezone.localdate(), by=secretary
        )

    assert application.case_number not in _register(world)
    assert not RegisterEntry.objects.filter(kind=Kind.GRANT, object_id=application.pk).exists()


def test_a_terminated_partnership_leaves_the_register(world, django_capture_on_commit_callbacks):
    s = scenario(world)
    assert s["partnership"].title in _register(world)
    with django_capture_on_commit_callbacks(execute=True):
        iop.partnership_terminate(
            partnership=s["partnership"], reason="Föreningen har upphört.", by=world.users["caseworker"]
        )
    assert s["partnership"].title not in _register(world)
    assert s["apps"]["a1"].case_number in _register(world)  # the rest stays


def test_a_partnership_is_in_every_year_its_agreement_runs(world):
    s = scenario(world)
    later = s["year"] + 2
    html = _register(world, f"?year={later}")
    assert s["partnership"].title in html
    assert s["apps"]["a1"].case_number not in html
    page = Client().get(reverse("insight:open_data", kwargs={"slug": world.municipality.slug}))
    assert f"/oppna-data/{later}.csv" in page.content.decode()


def test_a_renamed_organisation_shows_its_new_name_after_the_nightly_refresh(world):
    s = scenario(world)
    kyrkan = s["kyrkan"]
    kyrkan.name = "Exempelö pastorat"
    kyrkan.save()
    assert "Exempelö pastorat" not in _register(world)  # the register is a copy, refreshed at night

    schedule = settings.CELERY_BEAT_SCHEDULE["register-refresh"]
    assert schedule["task"] == tasks.register_refresh_all.name
    result = tasks.register_refresh_all.delay().get()

    assert result["changed"] == 3  # a2, a6 and the award
    html = _register(world)
    assert "Exempelö pastorat" in html
    assert "Exempelö församling" not in html
    assert "pastorat" in _register(world, "?q=PASTORAT")


def test_refreshing_twice_changes_nothing(world):
    scenario(world)  # refreshed once already
    before = _entries(world)
    assert len(before) == 5
    assert register_refresh(municipality=world.municipality) == {"added": 0, "changed": 0, "removed": 0}
    assert _entries(world) == before


def test_a_rebuild_writes_what_the_refresh_writes(world):
    scenario(world)
    before = sorted(entry[1:] for entry in _entries(world))  # all but the primary key
    assert register_rebuild() == len(before)
    assert sorted(entry[1:] for entry in _entries(world)) == before
    assert register_refresh(municipality=world.municipality) == {"added": 0, "changed": 0, "removed": 0}


def test_the_command_refreshes_one_municipality_or_all(world, capsys):
    s = scenario(world)
    RegisterEntry.objects.filter(object_id=s["apps"]["a1"].pk, kind=Kind.GRANT).delete()
    call_command("register_refresh", "--municipality", world.municipality.slug)
    assert "entries added: 1" in capsys.readouterr().out
    call_command("register_refresh")
    assert "municipalities: 2, entries added: 0, changed: 0, removed: 0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="finns-inte"):
        call_command("register_refresh", "--municipality", "finns-inte")


# -- the cost of the pages -------------------------------------------------------------------------


def _fill(world, n: int) -> Program:
    program = Program.objects.filter(municipality=world.municipality).first()
    year = timezone.localdate().year
    start = RegisterEntry.objects.count()
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            municipality=world.municipality,
            kind=Kind.GRANT,
            object_id=1_000_000 + start + i,
            organisation=world.organisation,
            recipient=world.organisation.name,
            org_number=world.organisation.org_number,
            program=program,
            program_name=program.name,
            committee=world.committee,
            committee_name=world.committee.name,
            year=year - i % 3,
            last_year=year - i % 3,
            amount=Decimal(1000 + i),
            decided_on=timezone.localdate() - dt.timedelta(days=i),
            case_number=f"SN {year}/{5000 + start + i}",
            title=f"Verksamhet {i}",
            search=f"{world.organisation.name}\nverksamhet {i}\nsn {year}/{5000 + start + i}\n{program.name}".lower(),
        )
        for i in range(n)
    )
    return program


def _query_counts(world, program) -> dict[str, int]:
    slug = world.municipality.slug
    year = timezone.localdate().year
    register = reverse("insight:register", kwargs={"slug": slug})
    pages = RegisterEntry.objects.filter(municipality=world.municipality).count() // 25 + 1
    urls = {
        "register": register,
        "last page": f"{register}?page={pages}",
        "search": f"{register}?q=trygg",
        "program and year": f"{register}?program={program.pk}&year={year}",
        "open data": reverse("insight:open_data", kwargs={"slug": slug}),
        "open data file": reverse(
            "insight:open_data_file", kwargs={"slug": slug, "year": year, "fmt": "json"}
        ),
        "organisation": reverse("insight:organisation", kwargs={"slug": slug, "pk": world.organisation.pk}),
    }
    client = Client()
    counts = {}
    for name, url in urls.items():
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts[name] = len(ctx.captured_queries)
    return counts


def test_the_register_costs_the_same_queries_with_10_and_200_entries(world):
    scenario(world)
    program = _fill(world, 10)
    few = _query_counts(world, program)
    _fill(world, 190)
    assert RegisterEntry.objects.filter(municipality=world.municipality).count() == 205
    assert _query_counts(world, program) == few
    assert few["register"] <= 8


def test_every_page_of_the_register_holds_the_rows_of_the_whole_list_in_order(world):
    from insight.selectors import register_entries
    from insight.views import PAGE_SIZE, RegisterPaginator

    scenario(world)
    _fill(world, 60)
    rows = list(register_entries(municipality=world.municipality))
    assert len(rows) == 65
    paginator = RegisterPaginator(register_entries(municipality=world.municipality), PAGE_SIZE)
    pages = [list(paginator.page(n).object_list) for n in paginator.page_range]
    assert [len(p) for p in pages] == [25, 25, 15]
    assert sum(pages, []) == rows  # the last pages are read oldest first and turned around
