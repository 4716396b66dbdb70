import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def clock(monkeypatch):
    """Move the time of ``timezone.now()`` (and so ``localdate()``) without sleeping."""

    class Clock:
        def set(self, when: dt.datetime | dt.date):
            if not isinstance(when, dt.datetime):
                when = dt.datetime.combine(when, dt.time(12, 0))
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            monkeypatch.setattr(timezone, "now", lambda: when)

    return Clock()
