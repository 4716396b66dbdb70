"""Give the demo's cases the history they would have had.

The demo makes every case through the services today, so each log row is stamped with the
moment of seeding.  A newcomer reading a history should instead see a case submitted in the
spring and decided in June.  ``spread`` moves one case's log rows, in their order, over the
window in which that case really ran; the demo apps call it with the dates they know (the
round's closing day, the meeting's day).  Demo data only: nothing else rewrites a log.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_fsm_log.models import StateLog


def spread(case, *, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Move ``case``'s log rows evenly over [start, end], keeping their order; return the new times.

    Working hours: each row lands at a time of day between 08.00 and 17.00."""
    end = min(end, timezone.now() - dt.timedelta(hours=1))
    start = min(start, end)
    rows = list(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
        ).order_by("timestamp", "pk")
    )
    if not rows:
        return []
    times = []
    step = (end - start) / max(len(rows) - 1, 1)
    for index, row in enumerate(rows):
        moment = timezone.localtime(start + step * index)
        moment = moment.replace(hour=8 + (row.pk * 7 + index * 3) % 9, minute=(row.pk * 13) % 60, second=0)
        times.append(max(start, min(moment, end)))
    times.sort()
    for row, moment in zip(rows, times, strict=True):
        StateLog.objects.filter(pk=row.pk).update(timestamp=moment)
    return times


def backdate_meetings() -> None:
    """The demo's meetings: the agenda two weeks before, the minutes posted within a week."""
    from .meetings_models import Meeting

    now = timezone.now()
    for meeting in Meeting.objects.all():
        if meeting.starts_at > now:
            continue
        start = meeting.starts_at - dt.timedelta(days=14)
        posted = meeting.posted_on or (meeting.starts_at + dt.timedelta(days=7)).date()
        end = timezone.make_aware(dt.datetime.combine(posted, dt.time(16, 0)))
        spread(meeting, start=start, end=max(end, meeting.starts_at))
