"""Follow-up figures on the dashboards and in the yearly summary, from reporting.

Skipped where follow-up reporting is not part of the code base; the dashboards then say
"not available" (tested in test_dashboard.py).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

reporting = pytest.importorskip("reporting.models")

from ..pdf import pdf_text  # noqa: E402
from .factories import scenario  # noqa: E402
from .test_dashboard import _client, _csv  # noqa: E402

pytestmark = pytest.mark.django_db


def _reports(world):
    """a1 on time and approved, a2 late and not approved, a6 missing, a3 not yet due;
    25 000 kr reclaimed (a2 20 000 paid back, a6 5 000 decided)."""
    s = scenario(world)
    FollowUpReport, Reclaim = reporting.FollowUpReport, reporting.Reclaim
    today = timezone.localdate()
    now = timezone.now()
    rows = [
        ("a1", FollowUpReport.State.APPROVED, today - dt.timedelta(days=10), now - dt.timedelta(days=12)),
        ("a2", FollowUpReport.State.NOT_APPROVED, today - dt.timedelta(days=10), now - dt.timedelta(days=5)),
        ("a6", FollowUpReport.State.OVERDUE, today - dt.timedelta(days=3), None),
        ("a3", FollowUpReport.State.UPCOMING, today + dt.timedelta(days=60), None),
    ]
    reports = {}
    for key, state, due, submitted in rows:
        app = s["apps"][key]
        reports[key] = FollowUpReport.objects.create(
            application=app,
            organisation=app.organisation,
            program=s["program"],
            decision_id=app.decision_id,
            state=state,
            opens_on=due - dt.timedelta(days=60),
            due_on=due,
            submitted_at=submitted,
            first_submitted_at=submitted,
        )
    for key, state, amount in (("a2", Reclaim.State.PAID, 20000), ("a6", Reclaim.State.DECIDED, 5000)):
        app = s["apps"][key]
        Reclaim.objects.create(
            application=app,
            report=reports[key],
            organisation=app.organisation,
            program=s["program"],
            state=state,
            grounds=Reclaim.Grounds.REPORT_MISSING,
            motivation="Redovisningen saknas.",
            amount=Decimal(amount),
            decided_amount=Decimal(amount),
            proposed_by=world.users["caseworker"],
        )
    return s


def test_reporting_compliance_per_program(world):
    s = _reports(world)
    _header, rows = _csv(world, "reporting", s["year"])
    assert rows["Verksamhetsstöd"] == ["4", "1", "1", "1", "1", "1", "25000", "20000"]


def test_the_budget_shows_what_was_reclaimed(world):
    s = _reports(world)
    _header, rows = _csv(world, "budget", s["year"])
    assert rows["Verksamhetsstöd"] == ["500000", "215000", "60000", "25000"]


def test_the_yearly_summary_tells_how_follow_up_went(world):
    s = _reports(world)
    url = reverse("insight:committee_summary", kwargs={"pk": world.committee.pk, "year": s["year"]})
    text = " ".join(pdf_text(_client(world, "secretary").get(url).content).replace("\u00a0", " ").split())
    assert "Av 4 redovisningar som skulle lämnas kom 1 i tid och 1 för sent; 1 saknas." in text
    assert "Återkrav: 25 000 kr, varav 20 000 kr har betalats tillbaka." in text
