"""Journeys: each person's road through Bidra, driven in Chromium as that person would take it.

A journey signs in on the sign-in page (staff with the code of their authenticator app), reads
the page, fills the form and presses the button a person would press.  It may move the clock
and run a periodic task, and it reads the database to check what a page claims; it never calls
a service to get past a page.  See ``harness.py`` for the vocabulary.
"""

import datetime as dt

import pytest
from django.utils import timezone

from .harness import Journey


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "journeys" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def clock(monkeypatch):
    """Move Bidra's clock (``timezone.now`` and all built on it), in the test and the live server.

    The clock keeps ticking from the moment it is moved to, so log rows keep their order.
    """
    real_now = timezone.now

    class Clock:
        offset = dt.timedelta(0)

        def now(self):
            return real_now() + self.offset

        def travel(self, when: dt.datetime | dt.date):
            if not isinstance(when, dt.datetime):
                when = dt.datetime.combine(when, dt.time(9, 0))
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            self.offset = when - real_now()

        def forward(self, **delta):
            self.offset += dt.timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


@pytest.fixture
def journey(browser, live_server, request, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    journey = Journey(browser=browser, base_url=live_server.url, name=request.node.name)
    yield journey
    journey.close()
