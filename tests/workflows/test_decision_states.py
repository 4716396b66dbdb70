"""A decision's finality and an appeal's outcome change by transitions, each with its log row:
who, from, to and why."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from meetings import services
from meetings.models import Appeal, Decision
from workflows.services import system_user

from .test_meetings import held_meeting, matters, people  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _logs(obj):
    return StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).order_by("timestamp", "pk")


def _posted(world, people, matters, clock, callbacks):  # noqa: F811
    meeting = held_meeting(world, people, matters, clock, callbacks)
    secretary = people["secretary"]
    services.decisions_record(meeting=meeting, group_no=1, by=secretary)
    services.decisions_record(meeting=meeting, group_no=2, by=secretary)
    services.minutes_approve(meeting=meeting, by=people["asa"])
    services.minutes_approve(meeting=meeting, by=people["member"])
    clock.set(dt.date(2026, 5, 29))
    services.meeting_post(meeting=meeting, posted_on=dt.date(2026, 5, 29), by=secretary)
    return meeting


def test_each_decision_made_final_by_the_periodic_check_has_its_log_row_by_the_system(
    world,
    people,  # noqa: F811
    matters,  # noqa: F811
    clock,
    django_capture_on_commit_callbacks,
):
    meeting = _posted(world, people, matters, clock, django_capture_on_commit_callbacks)
    clock.set(dt.date(2026, 6, 23))
    assert services.meetings_finalise_due() == 1
    decisions = list(Decision.objects.filter(item__meeting=meeting))
    assert decisions and all(d.state == Decision.State.FINAL and d.final_at for d in decisions)
    for decision in decisions:
        (log,) = _logs(decision)
        assert (log.source_state, log.state, log.transition) == ("standing", "final", "make_final")
        assert log.by == system_user() and log.description == "Överklagandetiden har gått ut."


def test_an_appeal_reopens_a_final_decision_and_its_upholding_annuls_it_each_logged_with_the_secretary(
    world,
    people,  # noqa: F811
    matters,  # noqa: F811
    clock,
    django_capture_on_commit_callbacks,
):
    meeting = _posted(world, people, matters, clock, django_capture_on_commit_callbacks)
    secretary = people["secretary"]
    clock.set(dt.date(2026, 6, 23))
    services.meetings_finalise_due()
    item = meeting.items.get(order=1)
    # an appeal lodged in time but registered after the check made the decision final
    appeal = services.appeal_register(item=item, appellant="K", lodged_on=dt.date(2026, 6, 22), by=secretary)
    decision = Decision.objects.get(item=item)
    assert decision.state == Decision.State.STANDING and decision.final_at is None
    services.appeal_resolve(
        appeal=appeal,
        outcome="annulled",
        resolved_on=dt.date(2026, 9, 1),
        note="Förvaltningsrätten",
        by=secretary,
    )

    appeal.refresh_from_db()
    assert appeal.outcome == Appeal.Outcome.ANNULLED and appeal.resolved_on == dt.date(2026, 9, 1)
    (appeal_log,) = _logs(appeal)
    assert (appeal_log.source_state, appeal_log.state, appeal_log.by) == ("pending", "annulled", secretary)
    assert appeal_log.description == "Förvaltningsrätten"

    decision.refresh_from_db()
    assert decision.state == Decision.State.ANNULLED and decision.annulled and decision.final_at is None
    assert [(log.state, log.by) for log in _logs(decision)] == [
        ("final", system_user()),
        ("standing", secretary),
        ("annulled", secretary),
    ]
    assert not services.decision_is_final(item) and not services.decision_may_be_executed(item)


def test_an_appeal_rejected_after_the_period_makes_the_decision_final_and_logs_both(
    world,
    people,  # noqa: F811
    matters,  # noqa: F811
    clock,
    django_capture_on_commit_callbacks,
):
    meeting = _posted(world, people, matters, clock, django_capture_on_commit_callbacks)
    secretary = people["secretary"]
    item = meeting.items.get(order=1)
    clock.set(dt.date(2026, 6, 1))
    appeal = services.appeal_register(item=item, appellant="K", lodged_on=dt.date(2026, 6, 1), by=secretary)
    clock.set(dt.date(2026, 6, 23))
    services.meetings_finalise_due()
    assert not services.decision_is_final(item)
    services.appeal_resolve(appeal=appeal, outcome="rejected", resolved_on=dt.date(2026, 9, 1), by=secretary)

    (appeal_log,) = _logs(appeal)
    assert (appeal_log.state, appeal_log.by) == ("rejected", secretary)
    decision = Decision.objects.get(item=item)
    (decision_log,) = _logs(decision)
    assert (decision_log.state, decision_log.by) == ("final", secretary)
    assert services.decision_is_final(item)
