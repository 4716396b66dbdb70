"""Two secretaries recording decisions at once cannot together exceed the budget (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from meetings import services
from meetings.agenda import BudgetExceeded
from tests.conftest import is_postgres
from tests.workflows.caseapp.models import Budget, Matter

from .factories import BudgetFactory, MatterFactory, aware, member


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_meetings_recording_at_once_cannot_both_spend_the_last_of_the_budget(world):
    if not is_postgres():
        pytest.skip("needs PostgreSQL row locks")
    BudgetFactory(committee=world.committee, amount=100000)
    secretary = world.users["secretary"]
    second = member(world, "Bo Berg", "bo@exemplo.se")
    meetings = []
    for day in (20, 21):
        meeting = services.meeting_create(
            committee=world.committee, starts_at=aware(2026, 5, day), place="K", by=secretary
        )
        services.agenda_add(
            meeting=meeting, cases=[MatterFactory(committee=world.committee, proposed=60000)], by=secretary
        )
        services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
        services.attendance_set(
            meeting=meeting,
            rows=[
                services.AttendanceRow(user=world.users["member"], adjuster=True),
                services.AttendanceRow(user=second, adjuster=True),
            ],
            by=secretary,
        )
        services.meeting_transition(meeting=meeting, name="hold", by=secretary)
        meetings.append(meeting)

    barrier = threading.Barrier(2)
    outcomes = []

    def record(meeting):
        try:
            barrier.wait()
            services.decisions_record(meeting=meeting, group_no=1, by=secretary)
            outcomes.append("recorded")
        except BudgetExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["recorded", "refused"]
    assert Budget.objects.get().granted == 60000
    assert Matter.objects.filter(state="granted").count() == 1
