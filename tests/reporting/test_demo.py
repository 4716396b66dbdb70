"""The demo has follow-up reports in every state, an overdue one that blocks, and a reclaim."""

import io

from django.core.management import call_command

from reporting.demo import PROGRAM
from reporting.models import FollowUpReport, Reclaim
from reporting.services import overdue_report_reason, unpaid_reclaim_reason


def test_the_demo_has_reports_in_every_state_and_loads_twice(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    reports = FollowUpReport.objects.filter(program__name=PROGRAM)
    assert set(reports.values_list("state", flat=True)) == set(FollowUpReport.State.values)
    assert reports.count() == len(FollowUpReport.State.values)
    overdue = reports.get(state=FollowUpReport.State.OVERDUE)
    assert overdue.case_number in overdue_report_reason(overdue.organisation)
    reclaim = Reclaim.objects.get(program__name=PROGRAM)
    assert reclaim.state == Reclaim.State.INVOICED
    assert reclaim.case_number in unpaid_reclaim_reason(reclaim.organisation)
