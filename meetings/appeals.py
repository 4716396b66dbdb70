"""How, and by when, a decision can be appealed: the facts every decision letter states.

Every letter of an appealable decision (a grant, a dismissal, a reclaim, an award, a
partnership) shows ``documents/_appeal.html`` with the ``AppealTerms`` made here, so the
wording and the dates are worked out in one place.  Swedish law has two routes:

- review of legality (laglighetsprövning, kommunallagen 13 kap.): any member of the
  municipality may appeal to the administrative court, within three weeks from the day the
  notice board announced that the minutes were approved.  A decision made by delegation counts
  from the minutes of the meeting it is reported to, so its day is known only once those are
  posted; until then the letter says how the period is counted and at which meeting the
  decision is reported.
- administrative appeal (förvaltningsbesvär, förvaltningslagen 44 §): the party appeals to the
  authority within three weeks from the day they received the decision.  Bidra sends its letters
  digitally, so the letter names the day it was sent and the last day to appeal for someone who
  received it that day; nobody can know for certain when the reader received it.

Both periods end on a working day: a last day on a weekend or public holiday moves to the next
working day (lagen (1930:173) om beräkning av lagstadgad tid).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from workflows.deadlines import deadline_after

LEGALITY = "legality"
ADMINISTRATIVE = "administrative"
APPEAL_WEEKS = 3


def appeal_period_end(start: dt.date) -> dt.date:
    """The last day of an appeal period that starts on ``start``: three weeks, on a working day."""
    return deadline_after(start, weeks=APPEAL_WEEKS)


@dataclass(frozen=True)
class AppealTerms:
    """What a letter says about appealing its decision (shown by ``documents/_appeal.html``)."""

    kind: str
    court: str
    committee: str
    municipality: str
    case_number: str
    decided_on: dt.date | None
    #: decided by a delegate (or an official) rather than at a meeting
    delegated: bool
    #: the meeting that decided it or, for a delegated decision, the one it is reported to
    meeting_on: dt.date | None = None
    #: a delegated decision that Bidra lists for the committee (anmälan av delegationsbeslut)
    reported: bool = False
    #: the minutes that start the period of a review of legality were posted on this day
    posted_on: dt.date | None = None
    #: the last day to appeal, when it can be known
    ends_on: dt.date | None = None
    #: the day the letter is sent (an administrative appeal counts from its receipt)
    sent_on: dt.date | None = None
    #: a new letter with the last day follows when the minutes of the reporting meeting are posted
    new_letter_at_posting: bool = False

    @property
    def administrative(self) -> bool:
        return self.kind == ADMINISTRATIVE

    @property
    def moved(self) -> bool:
        """The three weeks end on a weekend or holiday: the last day is the next working day."""
        start = self.sent_on if self.administrative else self.posted_on
        return bool(start and self.ends_on and self.ends_on != start + dt.timedelta(weeks=APPEAL_WEEKS))


def appeal_terms(
    *,
    kind: str,
    court: str,
    committee,
    case_number: str,
    decided_on: dt.date | None,
    delegated: bool,
    meeting=None,
    reported: bool = False,
    sent_on: dt.date | None = None,
    new_letter_at_posting: bool = False,
) -> AppealTerms:
    """The appeal facts of one decision.

    ``meeting``: the meeting that decided it, or that a delegated decision is reported to (None
    when there is none yet).  ``sent_on``: the day the letter goes out, by default today; it is
    stated only for an administrative appeal, whose period runs from receipt.
    """
    kind = ADMINISTRATIVE if kind == ADMINISTRATIVE else LEGALITY
    posted_on = getattr(meeting, "posted_on", None)
    meeting_on = timezone.localtime(meeting.starts_at).date() if meeting is not None else None
    if kind == ADMINISTRATIVE:
        sent_on = sent_on or timezone.localdate()
        ends_on = appeal_period_end(sent_on)
        posted_on = None
    else:
        sent_on = None
        ends_on = (
            (getattr(meeting, "appeal_ends_on", None) or appeal_period_end(posted_on)) if posted_on else None
        )
    return AppealTerms(
        kind=kind,
        court=court or "förvaltningsrätten",
        committee=committee.name,
        municipality=committee.municipality.name,
        case_number=case_number,
        decided_on=decided_on,
        delegated=delegated,
        meeting_on=meeting_on,
        reported=reported or (delegated and meeting is not None),
        posted_on=posted_on,
        ends_on=ends_on,
        sent_on=sent_on,
        new_letter_at_posting=new_letter_at_posting and delegated and posted_on is None and kind == LEGALITY,
    )


def notice_taken_down_on(appeal_ends_on: dt.date) -> dt.date:
    """The day posted minutes come off the notice board: the day after the last day to appeal.

    The posting certificate of the minutes and the notice board name this same day.
    """
    return appeal_ends_on + dt.timedelta(days=1)
