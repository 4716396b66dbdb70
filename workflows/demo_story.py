"""When the demo's events happened: moments over the past year and a half for its cases' steps.

The demo builds every case through the services, today.  Each step runs inside ``happened(moment)``
(``workflows.statelog.history_at``), so that the case's history, its transition log, carries the
moment the step has in the story rather than the moment of seeding; the log is append-only and is
never rewritten afterwards.  The demo gives the case's own date fields (submitted, registered,
decided, paid …) the same moments.  No moment is later than now.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import DiariumEntry
from .statelog import history_at


def latest() -> dt.datetime:
    """The latest moment the story may use: a minute ago."""
    return timezone.now() - dt.timedelta(minutes=1)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour``:``minute`` local time, or a minute ago if that is still to come."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))), latest())


def happened(moment: dt.datetime):
    """The transitions in this block happened at ``moment`` (never later than now)."""
    return history_at(min(moment, latest()))


def spread(start: dt.datetime, end: dt.datetime, count: int) -> list[dt.datetime]:
    """``count`` moments in order from ``start`` to ``end``, the ones between on working hours."""
    end = min(end, latest())
    start = min(start, end)
    step = (end - start) / max(count - 1, 1)
    moments: list[dt.datetime] = []
    for index in range(count):
        moment = start + step * index
        if 0 < index < count - 1:
            local = timezone.localtime(moment)
            moment = max(min(local.replace(hour=min(max(local.hour, 8), 16)), end), moments[-1])
        moments.append(moment)
    return moments


def registered(case, moment: dt.datetime) -> None:
    """The case was registered (given its case number) at ``moment``: the case and the diarium say so."""
    type(case).objects.filter(pk=case.pk).update(registered_at=moment)
    DiariumEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    ).update(registered_at=moment)
