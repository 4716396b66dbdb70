"""Queries for förvaltningslagen 11 § and 12 §: the applications at risk of delay, the open
requests for a decision, and what the page of an application shows about them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from organizations.permissions import staff_municipality_ids

from .models import Application, DecisionRequest, DelayNotice, Program
from .permissions import CASEWORKER
from .selectors import applications_visible
from .services.fl import AT_RISK_DAYS, decision_request_opens_on, handling_ends_on

#: how many rows each of the inbox's lists shows, the most urgent first
INBOX_LIMIT = 50


def applications_handled(*, user, program_id: int | None = None, round_id: int | None = None):
    """Undecided grant applications the user handles as a caseworker."""
    handled = (
        applications_visible(user=user)
        .filter(
            round__program__municipality_id__in=staff_municipality_ids(user, (CASEWORKER,)),
            state__in=Application.OPEN_STATES,
        )
        .exclude(round__program__kind=Program.Kind.AWARD)
    )
    if program_id:
        handled = handled.filter(round__program_id=program_id)
    if round_id:
        handled = handled.filter(round_id=round_id)
    return handled


def applications_at_risk(
    *, user, program_id: int | None = None, round_id: int | None = None, today: dt.date | None = None
) -> QuerySet[Application]:
    """Undecided applications whose normal handling time ends within two weeks or has ended, and
    whose applicant has no notice of delay naming a day still ahead; the most urgent first.

    The handling time is the program's: one condition per length in use (a handful), so the
    database compares the submission time with a fixed moment and no arithmetic on columns."""
    today = today or timezone.localdate()
    handled = applications_handled(user=user, program_id=program_id, round_id=round_id)
    programs = Program.objects.filter(municipality_id__in=staff_municipality_ids(user, (CASEWORKER,)))
    if program_id:
        programs = programs.filter(pk=program_id)
    lengths = set(programs.values_list("normal_handling_days", flat=True).distinct())
    if not lengths:
        return Application.objects.none()
    late = Q()
    for days in lengths:
        # ends on (submitted day + days) <= today + 14  <=>  submitted before the start of
        # the day (today + 15 - days)
        moment = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=AT_RISK_DAYS + 1 - days), dt.time.min)
        )
        late |= Q(round__program__normal_handling_days=days, submitted_at__lt=moment)
    noticed = DelayNotice.objects.filter(application=OuterRef("pk"), expected_by__gte=today)
    return (
        handled.filter(late)
        .filter(~Exists(noticed))
        .select_related("organisation", "round__program")
        .only(
            "case_number",
            "title",
            "state",
            "submitted_at",
            "round_id",
            "organisation_id",
            "organisation__name",
            "round__program_id",
            "round__program__name",
            "round__program__normal_handling_days",
        )
        .order_by("submitted_at", "pk")
    )


def at_risk_rows(applications, *, today: dt.date | None = None) -> list[dict]:
    """Each application with the day its handling time ends and the days left (below zero: over)."""
    today = today or timezone.localdate()
    rows = []
    for application in applications:
        ends_on = handling_ends_on(application)
        days = (ends_on - today).days
        rows.append({"application": application, "ends_on": ends_on, "days": days, "over": max(0, -days)})
    return rows


def decision_requests_open(
    *, user, program_id: int | None = None, round_id: int | None = None
) -> QuerySet[DecisionRequest]:
    """Open requests for a decision on applications the user handles, the earliest due first."""
    handled = applications_handled(user=user, program_id=program_id, round_id=round_id)
    return (
        DecisionRequest.objects.filter(outcome=DecisionRequest.Outcome.OPEN, application__in=handled)
        .select_related("application__organisation", "application__round__program")
        .order_by("due", "pk")
    )


def application_fl(*, application: Application, user, today: dt.date | None = None) -> dict:
    """What the page of an application shows about delay notices and requests for a decision,
    and which of those steps the user may take now."""
    today = today or timezone.localdate()
    notices = list(application.delay_notices.select_related("by").order_by("-at", "-pk"))
    requests = list(
        application.decision_requests.select_related("by", "refused_by", "letter").order_by("-at", "-pk")
    )
    open_request = next((r for r in requests if r.is_open), None)
    undecided = application.state in Application.OPEN_STATES and bool(application.submitted_at)
    can_handle = user.has_perm("grants.handle_application", application)
    may_request = user.has_perm("grants.request_decision", application)
    opens_on = decision_request_opens_on(application) if undecided else None
    return {
        "today": today,
        "open_states": Application.OPEN_STATES,
        "delay_notices": notices,
        "decision_requests": requests,
        "open_request": open_request,
        "open_request_days": (open_request.due - today).days if open_request else None,
        "open_request_overdue": max(0, (today - open_request.due).days) if open_request else 0,
        "handling_ends_on": handling_ends_on(application) if undecided else None,
        "can_notify_delay": can_handle and undecided,
        "can_refuse_request": can_handle and open_request is not None,
        "can_request_decision": may_request and undecided and open_request is None and opens_on <= today,
        "request_opens_on": opens_on if may_request and undecided and opens_on > today else None,
    }
