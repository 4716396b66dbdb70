"""The appeal facts every decision letter states, worked out in one place."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from meetings.appeals import appeal_period_end, appeal_terms

COMMITTEE = SimpleNamespace(name="Socialnämnden", municipality=SimpleNamespace(name="Exempelö kommun"))


def _meeting(day: dt.date, posted_on: dt.date | None = None):
    return SimpleNamespace(
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(13))),
        posted_on=posted_on,
        appeal_ends_on=appeal_period_end(posted_on) if posted_on else None,
    )


def test_three_weeks_that_end_on_christmas_day_end_on_the_next_working_day():
    assert appeal_period_end(dt.date(2026, 12, 4)) == dt.date(2026, 12, 28)
    assert appeal_period_end(dt.date(2026, 6, 1)) == dt.date(2026, 6, 22)


def test_an_administrative_appeal_counts_from_the_day_the_letter_is_sent():
    terms = appeal_terms(
        kind="administrative",
        court="",
        committee=COMMITTEE,
        case_number="SN 2026/12",
        decided_on=dt.date(2026, 12, 4),
        delegated=True,
        meeting=_meeting(dt.date(2026, 12, 10)),
        sent_on=dt.date(2026, 12, 4),
    )
    assert terms.administrative and terms.court == "förvaltningsrätten"
    assert (terms.sent_on, terms.ends_on, terms.posted_on) == (
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 28),
        None,
    )


def test_a_delegated_decision_reviewed_for_legality_has_its_last_day_once_the_reporting_minutes_are_posted():
    common = dict(kind="legality", court="", committee=COMMITTEE, case_number="SN 2026/12", decided_on=None)
    waiting = appeal_terms(
        **common, delegated=True, meeting=_meeting(dt.date(2026, 6, 10)), new_letter_at_posting=True
    )
    assert (waiting.meeting_on, waiting.ends_on, waiting.sent_on) == (dt.date(2026, 6, 10), None, None)
    assert waiting.reported and waiting.new_letter_at_posting
    posted = appeal_terms(
        **common,
        delegated=True,
        meeting=_meeting(dt.date(2026, 6, 10), posted_on=dt.date(2026, 6, 12)),
        new_letter_at_posting=True,
    )
    assert (posted.posted_on, posted.ends_on) == (dt.date(2026, 6, 12), dt.date(2026, 7, 3))
    assert not posted.new_letter_at_posting and not posted.moved
    unlisted = appeal_terms(**common, delegated=True)
    assert not unlisted.reported and unlisted.ends_on is None
