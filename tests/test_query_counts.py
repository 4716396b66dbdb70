"""Every list and detail page costs the same number of SQL queries whatever the amount of data.

The benchmark's own generator (``bench.generate``) builds the data set twice,
at 200 and at 2 000 applications (ten times as many rows on every list:
bigger rounds, longer inboxes and agendas), and every page the benchmark
measures is requested as the largest municipality's caseworker, secretary
and one of its applicants.  A page whose query count grows with the data
(a query per row) fails here long before it is slow in production.
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.generate import generate
from bench.run import page_scenarios, subjects

pytestmark = pytest.mark.django_db


def _query_counts(scale: int) -> dict[str, int]:
    with transaction.atomic():
        generate(scale)
        s = subjects()
        clients = {}
        counts = {}
        for name, who, url in page_scenarios(s):
            if who not in clients:
                clients[who] = Client()
                clients[who].force_login(s[who])
            client = clients[who]
            assert client.get(url).status_code == 200, name  # warm-up: caches of content types etc.
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, name
            counts[name] = len(ctx.captured_queries)
        transaction.set_rollback(True)
    return counts


@pytest.fixture
def autumn(monkeypatch):
    """Mid-October of this year, whatever day the suite runs: the autumn round is open and every
    list has rows at both scales (in December no round is open, and an empty list is cheaper)."""
    today = timezone.localdate()
    now = timezone.make_aware(dt.datetime(today.year, 10, 15, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: now)


def test_no_page_costs_more_queries_with_ten_times_the_data(autumn):
    small = _query_counts(200)
    large = _query_counts(2000)
    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grown, f"query counts grew with the data (200 → 2 000 applications): {grown}"
    assert len(small) >= 20
