"""A group of committee decisions is logged case by case, in one statement, and all or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm_log.models import StateLog

from grants.models import Application
from meetings import services as meetings
from meetings.services import DecisionData
from workflows.services import TransitionRefused

from .decisions import aware, held_meeting, members, round_of_three

pytestmark = pytest.mark.django_db

S = Application.State


@pytest.fixture
def meeting_of_three(world, clock):
    clock.set(dt.date(2027, 2, 1))
    cases = round_of_three(world)
    meeting = held_meeting(
        world, starts_at=aware(dt.date(2027, 3, 10)), cases=cases, adjusters=members(world), clock=clock
    )
    return meeting, cases


def decision_logs(application):
    return list(
        StateLog.objects.for_(application)
        .filter(transition__in=["grant", "grant_partly", "reject"])
        .values_list("source_state", "state", "transition", "by__email", "description")
    )


def test_each_decided_application_has_its_own_log_row_written_with_the_others_at_once(
    world, meeting_of_three
):
    meeting, (trygg, friluft, kor) = meeting_of_three
    items = {i.object_id: i for i in meeting.items.all()}
    secretary = world.users["secretary"]
    with CaptureQueriesContext(connection) as queries:
        meetings.decisions_record(
            meeting=meeting,
            group_no=1,
            decisions={
                items[trygg.pk].pk: DecisionData(
                    outcome="partly_granted", amount=Decimal(25000), reasons="Delvis inom ramen."
                )
            },
            by=secretary,
        )

    assert decision_logs(trygg) == [
        ("proposed", S.PARTLY_GRANTED, "grant_partly", secretary.email, "Delvis inom ramen.")
    ]
    ((source, state, transition, by, _reason),) = decision_logs(friluft)  # 15 000 of 20 000 kr
    assert (source, state, transition, by) == ("proposed", S.PARTLY_GRANTED, "grant_partly", secretary.email)
    ((source, state, _t, _by, _reason),) = decision_logs(kor)  # 0 kr proposed
    assert (source, state) == ("proposed", S.REJECTED)
    inserts = [
        q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "django_fsm_log_statelog"')
    ]
    assert len(inserts) == 1
    savepoints = [q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 1  # the group's own block inside the test's transaction, none per case


def test_a_case_that_cannot_be_decided_leaves_the_whole_group_undecided_and_unlogged(world, meeting_of_three):
    meeting, (trygg, friluft, kor) = meeting_of_three
    Application.objects.filter(pk=kor.pk).update(state=S.WITHDRAWN)  # withdrawn after the agenda

    with pytest.raises(TransitionRefused):
        meetings.decisions_record(meeting=meeting, group_no=1, by=world.users["secretary"])

    assert [decision_logs(a) for a in (trygg, friluft, kor)] == [[], [], []]
    assert list(Application.objects.order_by("pk").values_list("state", flat=True)) == [
        S.PROPOSED,
        S.PROPOSED,
        S.WITHDRAWN,
    ]
