"""Follow-up reports and reclaims, told as the stories of a grant after its decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grants import services as grant_services
from grants.models import Application
from meetings import services as meetings
from reporting import selectors, services, tasks
from reporting.models import FollowUpReport, Reclaim, ReportReminder
from workflows.deadlines import next_working_day
from workflows.models import OutboxMessage, StoredDocument
from workflows.services import TransitionRefused

from ..grants.decisions import aware, held_meeting, members
from ..grants.factories import application_in, draft_application
from ..pdf import pdf_text, pdfa_conformance
from .factories import fill_in, granted_by_delegation, reclaim_in, report_in, reporting_program

R = FollowUpReport.State


def _approve_minutes(meeting):
    for attendance in meeting.attendances.filter(adjuster=True):
        meetings.minutes_approve(meeting=meeting, by=attendance.user)


def test_a_grant_from_the_committees_decision_to_an_approved_report(world, client):
    reporting_program(world)
    application = application_in(world, "proposed", key="decided")
    secretary, caseworker, applicant = (
        world.users["secretary"],
        world.users["caseworker"],
        world.users["applicant"],
    )
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(days=1), cases=[application], adjusters=members(world)
    )
    item = meeting.items.get()
    # The committee sets the due date on Saturday 1 May (a holiday): it moves to Monday 3 May.
    year = timezone.localdate().year + 1
    meetings.decisions_record(
        meeting=meeting,
        group_no=1,
        decisions={
            item.pk: meetings.DecisionData(
                outcome="granted",
                amount=Decimal(35000),
                conditions="Föreningen ska hålla tio öppna träffar.",
                report_due=dt.date(year, 5, 1),
                reasons="Väl förankrad verksamhet.",
            )
        },
        by=secretary,
    )
    assert services.reports_create_due() == 0, "not before the minutes are approved"
    _approve_minutes(meeting)
    FollowUpReport.objects.filter(application=application).delete()  # as if approving had missed it
    # A grant decided before the catch-up window (say, imported history) gets no report from the
    # scan, which would be overdue the day it is made; a recent one does.
    from meetings.models import Decision

    decided_at = Decision.objects.get().decided_at
    Decision.objects.update(decided_at=timezone.now() - dt.timedelta(days=401))
    assert services.reports_create_due() == 0
    Decision.objects.update(decided_at=decided_at)
    assert services.reports_create_due() == 1
    assert services.reports_create_due() == 0, "one report per grant"
    report = FollowUpReport.objects.get(application=application)
    assert report.case_number == Application.objects.get(pk=application.pk).case_number
    assert report.due_on == next_working_day(dt.date(year, 5, 1)) != dt.date(year, 5, 1)
    assert report.state == R.UPCOMING
    commitment = report.commitments.get()
    assert (commitment.label, commitment.planned) == ("Öppna träffar", 10)

    # The decision adds a commitment of its own (motprestation).
    services.report_commitment_add(
        report=report, by=caseworker, label="Delta i besöksverksamheten", unit="besök", planned=12
    )
    # Half-filled, the report cannot be submitted: the applicant is told what is missing.
    with pytest.raises(TransitionRefused, match="Genomförda aktiviteter"):
        services.report_submit(report=report, by=applicant)
    fill_in(world, report, achieved=11)
    visits = report.commitments.get(label="Delta i besöksverksamheten")
    services.report_save(report=report, by=applicant, achieved={visits.pk: (9, "Två besök ställdes in.")})
    # Another organisation's user may not report for it.
    with pytest.raises(PermissionDenied, match="organisation som du företräder"):
        services.report_submit(report=report, by=world.users["other_applicant"])
    report = services.report_submit(report=report, by=applicant)
    assert report.state == R.SUBMITTED
    with pytest.raises(TransitionRefused, match="redan lämnats in"):
        services.report_submit(report=report, by=applicant)

    # The caseworker asks for a completion; the applicant completes and resubmits.
    services.report_request_completion(report=report, by=caseworker, message="Bifoga kvitton för lokalhyran.")
    client.force_login(applicant)
    page = client.get(reverse("reporting:report_detail", kwargs={"pk": report.pk})).content.decode()
    assert "Bifoga kvitton för lokalhyran." in page
    services.report_submit(report=report, by=applicant)

    client.force_login(caseworker)
    page = client.get(reverse("reporting:report_detail", kwargs={"pk": report.pk})).content.decode()
    assert "Delta i besöksverksamheten" in page and "under plan" in page
    response = client.post(
        reverse("reporting:report_transition", kwargs={"pk": report.pk, "name": "approve"}),
        {"reason": "Bra redovisning."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == R.APPROVED
    assert not report.is_late
    with pytest.raises(TransitionRefused, match="är godkänd"):
        services.report_submit(report=report, by=applicant)
    report.refresh_from_db()
    assert report.state == R.APPROVED

    client.force_login(applicant)
    page = client.get(reverse("reporting:report_detail", kwargs={"pk": report.pk})).content.decode()
    assert "Bra redovisning." in page
    assert OutboxMessage.objects.filter(key__startswith=f"report-reviewed:{report.pk}:approve").count() == 1
    stats = selectors.program_year_statistics(program_ids=[report.program_id], year=application.round.year)
    assert stats[report.program_id]["on_time"] == 1 and stats[report.program_id]["approved"] == 1


def test_reminders_go_out_on_working_days_once_each(world, clock):
    """Due Saturday 1 May 2027 (a holiday) → Monday 3 May; the 30-day reminder falls on a Saturday.

    Time is moved with the ``clock`` fixture (``time_machine`` is not installed here)."""
    clock.set(aware(dt.date(2026, 11, 23)))
    application = granted_by_delegation(world, report_due=dt.date(2027, 5, 1))
    services.reports_create_due()
    report = FollowUpReport.objects.get(application=application)
    assert report.due_on == dt.date(2027, 5, 3)

    def run(day):
        clock.set(aware(day, 7))
        tasks.reports_run_due.delay()
        tasks.reports_run_due.delay()  # twice in the same minute: still once

    def sent():
        return sorted(r.kind for r in ReportReminder.objects.filter(report=report, skipped=False))

    run(dt.date(2027, 4, 2))  # Friday: 31 days before
    assert sent() == []
    run(dt.date(2027, 4, 3))  # Saturday: the 30-day reminder waits for a working day
    run(dt.date(2027, 4, 4))
    assert sent() == []
    run(dt.date(2027, 4, 5))  # Monday
    assert sent() == ["before:30"]
    run(dt.date(2027, 4, 6))
    assert sent() == ["before:30"]
    clock.set(aware(dt.date(2027, 4, 26), 7))
    call_command("send_due_reminders")
    call_command("send_due_reminders")
    assert sent() == ["before:30", "before:7"]
    run(dt.date(2027, 5, 3))
    assert sent() == ["before:30", "before:7", "on_day"]
    report.refresh_from_db()
    assert report.state == R.DUE
    run(dt.date(2027, 5, 4))
    report.refresh_from_db()
    assert report.state == R.OVERDUE
    assert sent() == ["before:30", "before:7", "on_day", "overdue"]
    run(dt.date(2027, 5, 10))
    messages = OutboxMessage.objects.filter(key__startswith=f"report-reminder:{report.pk}:")
    assert messages.count() == 4
    assert {m.to for m in messages} == {world.organisation.email or world.users["applicant"].email}
    assert "försenad" in messages.get(key__endswith=":overdue").subject


def test_a_reminder_missed_while_down_goes_out_once_without_the_earlier_ones(world, clock):
    clock.set(aware(dt.date(2026, 11, 23)))
    application = granted_by_delegation(world, report_due=dt.date(2027, 4, 30))
    services.reports_create_due()
    report = FollowUpReport.objects.get(application=application)
    clock.set(aware(dt.date(2027, 4, 26), 7))  # the 30-day reminder's day was missed
    assert services.reminders_send_due() == 1
    assert services.reminders_send_due() == 0
    kinds = dict(ReportReminder.objects.filter(report=report).values_list("kind", "skipped"))
    assert kinds == {"before:7": False, "before:30": True}


def test_an_overdue_report_blocks_new_applications_until_the_reclaim_is_paid(world, client):
    report = report_in(world, "overdue")
    applicant, caseworker, secretary = (
        world.users["applicant"],
        world.users["caseworker"],
        world.users["secretary"],
    )
    # Reminders go out on working days only: run them on the first one from today.
    services.reminders_send_due(today=next_working_day(timezone.localdate()))
    assert OutboxMessage.objects.filter(key=f"report-reminder:{report.pk}:overdue").count() == 1

    # A new application: the applicant sees why at submission, and the caseworker cannot accept it.
    application = draft_application(world)
    client.force_login(applicant)
    page = client.get(reverse("grants:application_edit", kwargs={"pk": application.pk})).content.decode()
    assert report.case_number in page and report.program.name in page
    assert "Lämna in den" in page
    application = grant_services.application_submit(application=application, by=applicant, confirmed=True)
    failing = [r for r in application.eligibility if not r["ok"]]
    assert [r["kind"] for r in failing] == ["no_overdue_report"]
    assert report.case_number in failing[0]["reason"]
    with pytest.raises(TransitionRefused):
        grant_services.application_accept(application=application, by=caseworker)

    # The caseworker proposes a reclaim; the committee decides it at its meeting.
    client.force_login(caseworker)
    response = client.post(
        reverse("reporting:reclaim_propose", kwargs={"pk": report.pk}),
        {
            "amount": "20000",
            "grounds": "report_missing",
            "motivation": "Återrapporteringen har inte kommit in.",
        },
    )
    reclaim = Reclaim.objects.get(report=report)
    assert response.status_code == 302 and reclaim.state == Reclaim.State.PROPOSED and reclaim.case_number
    # The page leads to the one way a reclaim is decided (no delegation page exists for it).
    page = client.get(response["Location"], follow=True).content.decode()
    assert "föredragningslistan" in page and "delegation" not in page
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(hours=3), cases=[reclaim], adjusters=members(world)
    )
    item = meeting.items.get(kind="decision")
    assert item.proposed_amount == 20000 and item.case_number == reclaim.case_number
    meetings.decisions_record(meeting=meeting, group_no=1, by=secretary)
    reclaim.refresh_from_db()
    report.refresh_from_db()
    assert (reclaim.state, reclaim.decided_amount) == (Reclaim.State.DECIDED, 20000)
    assert report.state == R.NOT_APPROVED
    reason = services.unpaid_reclaim_reason(world.organisation).replace("\xa0", " ")
    assert reclaim.case_number in reason and "20 000 kr" in reason

    # The letter waits for the minutes to be approved.
    with pytest.raises(TransitionRefused, match="justerat|inte justerats|protokoll"):
        services.reclaim_invoice(reclaim=reclaim, by=caseworker)
    _approve_minutes(meeting)
    response = client.post(
        reverse("reporting:reclaim_transition", kwargs={"pk": reclaim.pk, "name": "invoice"})
    )
    reclaim.refresh_from_db()
    assert reclaim.state == Reclaim.State.INVOICED and reclaim.pay_by is not None
    document = StoredDocument.objects.get(object_id=reclaim.pk, kind="reclaim_letter")
    data = document.file.open("rb").read()
    assert pdfa_conformance(data) == "3B"
    text = pdf_text(data).replace("\xa0", " ")
    assert "20 000 kr" in text and reclaim.case_number in text
    assert reclaim.pay_by.isoformat() in text and "överklagar" in text

    client.force_login(applicant)
    assert client.get(reverse("reporting:reclaim_letter", kwargs={"pk": reclaim.pk})).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert reclaim.case_number in home
    assert services.overdue_report_reason(world.organisation) is None
    assert services.unpaid_reclaim_reason(world.organisation)

    services.reclaim_mark_paid(reclaim=reclaim, by=caseworker, paid_on=timezone.localdate())
    assert services.unpaid_reclaim_reason(world.organisation) is None
    late = grant_services.eligibility_precheck(round=application.round, organisation=world.organisation)
    assert all(r.ok for r in late if r.kind in ("no_overdue_report", "no_unpaid_reclaim"))
    stats = selectors.program_year_statistics(program_ids=[report.program_id], year=application.round.year)
    assert stats[report.program_id]["missing"] == 1
    assert stats[report.program_id]["reclaimed_amount"] == Decimal(20000)
    assert stats[report.program_id]["reclaim_paid_amount"] == Decimal(20000)


def test_the_applicant_sees_what_it_owes_on_its_start_page(world, client):
    report = report_in(world, "due")
    client.force_login(world.users["applicant"])
    home = client.get(reverse("home")).content.decode()
    assert report.case_number in home and report.due_on.isoformat() in home
    client.force_login(world.users["other_applicant"])
    assert report.case_number not in client.get(reverse("home")).content.decode()


def test_the_caseworkers_lists_cost_the_same_queries_with_more_reports(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report_in(world, "due", amount=10000)
    client.force_login(world.users["caseworker"])
    url = reverse("reporting:index") + "?list=due"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(3):
        report_in(world, "due", key=f"more-{n}", amount=10000)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(one) == len(four)
    assert FollowUpReport.objects.filter(state=R.DUE).count() == 4


def test_reports_through_the_api_with_the_pages_permissions(world, client):
    report = report_in(world, "submitted")
    client.force_login(world.users["other_caseworker"])
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    client.force_login(world.users["caseworker"])
    names = [t["name"] for t in client.get(f"/api/v1/reports/{report.pk}/transitions/").json()]
    assert set(names) >= {"approve", "request_completion", "reject"}
    response = client.post(
        f"/api/v1/reports/{report.pk}/transitions/reject/", {}, content_type="application/json"
    )
    assert response.status_code == 409
    response = client.post(
        f"/api/v1/reports/{report.pk}/transitions/approve/", {"reason": "Ok"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "approved"
    history = client.get(f"/api/v1/reports/{report.pk}/history/").json()
    assert [h["state"] for h in history][-2:] == ["submitted", "approved"]


def test_a_reclaim_written_off_unblocks(world):
    reclaim = reclaim_in(world, "decided")
    assert services.unpaid_reclaim_reason(world.organisation)
    services.reclaim_write_off(reclaim=reclaim, by=world.users["caseworker"], reason="Föreningen är upplöst.")
    assert services.unpaid_reclaim_reason(world.organisation) is None
