"""A June meeting has hundreds of items: its page shows the agenda fifty items at a time.

Each page costs the same few queries however long the agenda; what needs a whole group (how
many items it has, whether any is undecided) comes from one count, so the secretary can record
a group's decisions from any page.
"""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from meetings.documents import extract_document_make

from .factories import BudgetFactory, MatterFactory, aware, member

pytestmark = pytest.mark.django_db

SUPPORT = "Verksamhetsstöd 2027 – omgång 1"
PROJECTS = "Projektstöd 2027"
HOLIDAY = "Lovaktiviteter 2027"
CULTURE = "Kulturstöd 2027"


class Tables(HTMLParser):
    """The tables of a page: id, caption and the text, cells and links of each body row."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[dict] = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"id": attrs.get("id", ""), "caption": "", "rows": []})
        elif tag == "caption":
            self._in = "caption"
        elif tag == "tbody":
            self._in = "tbody"
        elif tag == "tr" and self._in == "tbody":
            self.tables[-1]["rows"].append({"text": "", "cells": [], "links": []})
        elif tag in ("td", "th") and self._in == "tbody" and self.tables[-1]["rows"]:
            self.tables[-1]["rows"][-1]["cells"].append("")
        elif tag == "a" and self._in == "tbody" and self.tables[-1]["rows"]:
            self.tables[-1]["rows"][-1]["links"].append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag in ("caption", "tbody"):
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.tables[-1]["caption"] += data
        elif self._in == "tbody" and self.tables[-1]["rows"]:
            row = self.tables[-1]["rows"][-1]
            row["text"] += data
            if row["cells"]:
                row["cells"][-1] += data

    def by_caption(self) -> dict[str, list[dict]]:
        return {t["caption"].strip(): t["rows"] for t in self.tables}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def planned_meeting(world, groups: list[tuple[str, int]], day: int = 20):
    """A planned meeting with ``n`` matters of each (program, n) on its agenda, in that order."""
    secretary = world.users["secretary"]
    meeting = services.meeting_create(
        committee=world.committee, starts_at=aware(2026, 5, day), place="Kommunhuset", by=secretary
    )
    matters = [
        MatterFactory(committee=world.committee, organisation=world.organisation, program=program)
        for program, n in groups
        for _ in range(n)
    ]
    services.agenda_add(meeting=meeting, cases=matters, by=secretary)
    return meeting


def held_meeting(world, groups: list[tuple[str, int]], day: int = 20, *, clock):
    """The planned meeting, published, with two adjusters, and held on its day."""
    secretary = world.users["secretary"]
    meeting = planned_meeting(world, groups, day)
    services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    services.attendance_set(
        meeting=meeting,
        rows=[
            services.AttendanceRow(user=world.users["member"], adjuster=True),
            services.AttendanceRow(
                user=member(world, f"Åsa Öberg {day}", f"asa{day}@exemplo.se"), adjuster=True
            ),
        ],
        by=secretary,
    )
    clock.set(dt.date(2026, 5, day))
    services.meeting_transition(meeting=meeting, name="hold", by=secretary)
    return meeting


def group_no(meeting, label: str) -> int:
    return meeting.items.filter(group=label).values_list("group_no", flat=True).first()


def test_a_long_agenda_is_shown_fifty_items_a_page_under_its_group_headings(world, clock):
    clock.set(dt.date(2026, 5, 4))
    BudgetFactory(committee=world.committee, amount=100_000_000)
    meeting = held_meeting(world, [(SUPPORT, 45), (PROJECTS, 20), (HOLIDAY, 5), (CULTURE, 5)], clock=clock)
    secretary = world.users["secretary"]
    services.decisions_record(meeting=meeting, group_no=group_no(meeting, HOLIDAY), by=secretary)
    client = client_for(secretary)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])

    first = client.get(url).content.decode()
    tables = Tables(first).by_caption()
    # Page 1: §1–§50, the whole support group and the first five of the project group.
    assert [len(tables[SUPPORT]), len(tables[PROJECTS])] == [45, 5]
    assert [row["text"].split()[0] for row in tables[PROJECTS]] == ["46", "47", "48", "49", "50"]
    assert "Här visas ärende 1–50 av 75 i föredragningslistans ordning." in first
    assert "Gruppen fortsätter på nästa sida." in first
    assert 'aria-label="Sidor i föredragningslistan"' in first and "Sida 1 av 2" in first
    assert 'href="?page=2" rel="next"' in first

    # The summary counts every group and offers its decisions wherever its items are: the
    # lovaktiviteter are decided, the kulturstöd (all on page 2) and the rest are not.
    summary = {row["cells"][0]: row for row in tables["Ärendegrupper"]}
    assert [" ".join(c.split()) for c in summary[CULTURE]["cells"]] == [
        CULTURE,
        "5",
        "5",
        "2",
        f"Registrera besluten för {CULTURE}",
    ]
    assert [c.strip() for c in summary[HOLIDAY]["cells"]] == [HOLIDAY, "5", "0", "2", ""]
    assert summary[PROJECTS]["links"] == [
        f"?page=1#group-{group_no(meeting, PROJECTS)}",
        reverse("meetings:meeting_decide", args=[meeting.pk, group_no(meeting, PROJECTS)]),
    ]
    assert summary[CULTURE]["links"][0] == f"?page=2#group-{group_no(meeting, CULTURE)}"

    second = client.get(url, {"page": 2}).content.decode()
    tables = Tables(second).by_caption()
    # Page 2: the rest of the project group under its heading, marked as continued.
    assert f"{PROJECTS} (fortsättning)" in tables and PROJECTS not in tables
    assert [len(tables[f"{PROJECTS} (fortsättning)"]), len(tables[HOLIDAY]), len(tables[CULTURE])] == [
        15,
        5,
        5,
    ]
    assert tables[f"{PROJECTS} (fortsättning)"][0]["text"].split()[0] == "51"
    assert SUPPORT not in tables
    assert "Här visas ärende 51–75 av 75" in second and "Sida 2 av 2" in second
    # The decided group has no button; the others have theirs, also below their tables.
    assert f"Registrera besluten för {HOLIDAY}" not in second
    decide_culture = reverse("meetings:meeting_decide", args=[meeting.pk, group_no(meeting, CULTURE)])
    assert second.count(f'href="{decide_culture}"') == 2  # in the summary and below the group

    # A page past the end shows the last one.
    assert "Sida 2 av 2" in client.get(url, {"page": 9}).content.decode()


def test_delegated_decisions_reported_follow_the_groups_in_the_pages(world, clock):
    from decimal import Decimal

    from organizations.models import Delegation

    clock.set(dt.date(2026, 5, 4))
    Delegation.objects.filter(user=world.users["caseworker"]).update(valid_from=dt.date(2020, 1, 1))
    meeting = planned_meeting(world, [(SUPPORT, 49)])
    for _ in range(3):
        services.delegated_decision_record(
            case=MatterFactory(committee=world.committee, organisation=world.organisation),
            decision=services.DecisionData(outcome="granted", amount=Decimal(10000), reasons="Beviljas."),
            by=world.users["caseworker"],
        )
    client = client_for(world.users["member"])
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    reported = "Anmälan av delegationsbeslut"

    first = client.get(url).content.decode()
    tables = Tables(first)
    assert [len(t["rows"]) for t in tables.tables if t["id"] == f"group-{group_no(meeting, SUPPORT)}"] == [49]
    assert len(tables.by_caption()[reported]) == 1
    assert f'<h2 id="information">{reported}</h2>' in first
    summary = {row["cells"][0]: row for row in tables.by_caption()["Ärendegrupper"]}
    assert [c.strip() for c in summary[reported]["cells"]] == [reported, "3", "–", "1"]
    assert summary[reported]["links"] == ["?page=1#information"]

    second = client.get(url, {"page": 2}).content.decode()
    assert len(Tables(second).by_caption()[reported]) == 2
    assert f'<h2 id="information">{reported} (fortsättning)</h2>' in second
    assert "Inga ärenden på föredragningslistan än." not in second


def test_an_items_minutes_extract_is_linked_in_its_row(world, clock):
    clock.set(dt.date(2026, 5, 4))
    BudgetFactory(committee=world.committee, amount=1_000_000)
    meeting = held_meeting(world, [(SUPPORT, 2)], clock=clock)
    secretary = world.users["secretary"]
    first, second = meeting.items.order_by("order")
    extract = extract_document_make(item=first, by=secretary)

    page = client_for(world.users["member"]).get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    rows = Tables(page.content.decode()).by_caption()[SUPPORT]
    link = reverse("meetings:meeting_document", args=[meeting.pk, extract.pk])
    assert link in rows[0]["links"] and "Protokollsutdrag § 1 (version 1)" in " ".join(
        rows[0]["text"].split()
    )
    assert link not in rows[1]["links"]
    # The documents section lists the meeting's own documents, not each item's.
    assert page.content.decode().count(f'href="{link}"') == 1


def test_the_meeting_page_costs_the_same_queries_for_ten_items_as_for_a_hundred_and_fifty(world, clock):
    clock.set(dt.date(2026, 5, 4))
    BudgetFactory(committee=world.committee, amount=100_000_000)
    secretary = world.users["secretary"]
    small = held_meeting(world, [(SUPPORT, 5), (PROJECTS, 5)], day=20, clock=clock)
    large = held_meeting(world, [(SUPPORT, 5), (PROJECTS, 145)], day=21, clock=clock)
    for meeting in (small, large):
        # Each first page shows a decision (with its appeals prefetched) and a conflict of interest.
        services.decisions_record(meeting=meeting, group_no=group_no(meeting, SUPPORT), by=secretary)
        services.recusal_declare(
            item=meeting.items.get(order=6), user=world.users["member"], reason="Jäv.", by=secretary
        )
    client = client_for(secretary)
    client.get(reverse("meetings:meeting_detail", args=[small.pk]))  # warm-up: content types, sessions

    counts = {}
    for name, meeting in (("10 items", small), ("150 items", large)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
        assert response.status_code == 200
        counts[name] = len(queries)
    assert counts["10 items"] == counts["150 items"], counts
    assert len(Tables(response.content.decode()).by_caption()[PROJECTS]) == 45
