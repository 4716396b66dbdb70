"""Conditions of the transitions of follow-up reports and reclaims: each says why it is not met."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.checks import check


@check(_("The report cannot be submitted yet."))
def report_opens_today_or_before(report) -> bool:
    return report.opens_on <= timezone.localdate()


@check(_("The due date has not passed."))
def report_due_date_passed(report) -> bool:
    return report.due_on < timezone.localdate()


@check(_("Answer every required question of the report first."))
def report_required_answers_present(report) -> bool:
    from .services import report_missing_answers

    return not report_missing_answers(report)


@check(_("The reclaim decision may not be executed yet: the minutes of the meeting are not approved."))
def reclaim_decision_may_be_executed(reclaim) -> bool:
    from meetings.services import decision_may_be_executed

    return reclaim.decision is not None and decision_may_be_executed(reclaim.decision)
