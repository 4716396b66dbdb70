import pytest
from django.test import Client

from meetings import services

from .factories import aware

pytestmark = pytest.mark.django_db


def test_members_see_the_next_meeting_on_the_start_page_and_applicants_do_not(world):
    services.meeting_create(
        committee=world.committee, starts_at=aware(2027, 6, 10), place="K", by=world.users["secretary"]
    )
    for role, sees in (
        ("member", True),
        ("secretary", True),
        ("applicant", False),
        ("other_caseworker", False),
    ):
        client = Client()
        client.force_login(world.users[role])
        page = client.get("/").content.decode()
        assert ("Socialnämnden 2027-06-10" in page) is sees, role


def test_the_meeting_list_costs_the_same_queries_for_many_meetings(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(world.users["member"])
    url = f"/namnder/{world.committee.pk}/sammantraden/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.meeting_create(
        committee=world.committee, starts_at=aware(2027, 1, 10), place="K", by=world.users["secretary"]
    )
    one = count()
    for month in range(2, 12):
        services.meeting_create(
            committee=world.committee,
            starts_at=aware(2027, month, 10),
            place="K",
            by=world.users["secretary"],
        )
    assert count() == one
