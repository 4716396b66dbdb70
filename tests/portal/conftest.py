from datetime import datetime, time

import pytest
from django.utils import timezone


@pytest.fixture
def travel(monkeypatch):
    """Move the clock (timezone.now and everything built on it) to noon of a given day."""
    real_now = timezone.now

    def to(day):
        target = timezone.make_aware(datetime.combine(day, time(12)))
        offset = target - real_now()
        monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)

    return to
