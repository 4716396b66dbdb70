"""Grants from one program year decided at the same moment cannot together exceed its free
budget (DESIGN.md, invariant 1): the budget row is locked (PostgreSQL)."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.db import close_old_connections
from django.utils import timezone

from grants.models import Application, ProgramBudget, budget_free
from meetings import services as meetings
from meetings.agenda import BudgetExceeded
from meetings.models import Decision

from ..conftest import build_world, is_postgres
from .decisions import held_meeting, members, organisation_with_user, proposed_application
from .factories import open_round

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("who_first", ["meeting", "delegate"])
def test_a_meeting_and_a_delegated_decision_at_once_cannot_both_spend_the_last_of_the_free_budget(
    monkeypatch, who_first
):
    """Decisions of one committee's meetings are serialised by the meeting engine; a delegated
    decision is not, so only the lock on the program year's budget row keeps the budget whole.

    Either may reach the budget first; the other waits for it and is refused, and neither
    deadlocks on the rows the other has locked (the meeting's lock is on the meeting alone,
    not on the committee a delegated decision refers to)."""
    world = build_world()
    open_round(world)  # 135 000 kr budget, 84 000 kr earmarked: 51 000 kr free
    first, first_user = organisation_with_user(world, "Förening Ett", index=1)
    second, second_user = organisation_with_user(world, "Förening Två", index=2)
    by_meeting = proposed_application(
        world, organisation=first, user=first_user, requested=40000, proposed=30000
    )
    by_delegate = proposed_application(
        world, organisation=second, user=second_user, requested=25000, proposed=25000
    )
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(hours=3), cases=[by_meeting], adjusters=members(world)
    )

    # Widen the window between the budget check and the commit, so the two really overlap.
    slow_down_applying(monkeypatch)
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(who, call, starts_later):
        close_old_connections()
        try:
            barrier.wait()
            if starts_later:  # the other has the budget row and holds it while it applies
                time.sleep(0.2)
            call()
            outcomes[who] = "recorded"
        except BudgetExceeded as exc:
            outcomes[who] = str(exc)
        finally:
            close_old_connections()

    calls = [
        lambda: meetings.decisions_record(meeting=meeting, group_no=1, by=world.users["secretary"]),
        lambda: meetings.delegated_decision_record(
            case=Application.objects.get(pk=by_delegate.pk),
            decision=meetings.DecisionData(
                outcome="granted", amount=Decimal(25000), reasons="Inom delegation."
            ),
            by=world.users["caseworker"],
        ),
    ]
    threads = [
        threading.Thread(target=run, args=(who, call, who_first != who))
        for who, call in zip(("meeting", "delegate"), calls, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    who_second = "delegate" if who_first == "meeting" else "meeting"
    assert outcomes.get(who_first) == "recorded" and who_second in outcomes, outcomes
    refusal = outcomes[who_second]
    assert "överskrider den fria budgeten med 4\u00a0000\u00a0kr" in refusal
    assert Decision.objects.count() == 1
    assert Application.objects.filter(state__in=Application.GRANTED_STATES).count() == 1
    money = budget_free(ProgramBudget.objects.get())
    assert money["free"] >= 0


def test_two_delegated_decisions_at_once_cannot_both_spend_the_last_of_the_free_budget(monkeypatch):
    """Two caseworkers deciding by delegation share no meeting: only the budget row lock stops them."""
    from meetings.services import DelegationRefused  # noqa: F401 - a refusal would be a bug here

    from ..factories import DelegationFactory
    from .decisions import second_caseworker

    world = build_world()
    open_round(world)
    karin = second_caseworker(world)
    DelegationFactory(user=karin, committee=world.committee, max_amount=30000)
    applications = []
    for index, amount in ((1, 25000), (2, 29000)):
        organisation, user = organisation_with_user(world, f"Förening {index}", index=index)
        applications.append(
            proposed_application(
                world, organisation=organisation, user=user, requested=amount, proposed=amount
            )
        )

    slow_down_applying(monkeypatch)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(application, amount, by):
        close_old_connections()
        try:
            barrier.wait()
            meetings.delegated_decision_record(
                case=Application.objects.get(pk=application.pk),
                decision=meetings.DecisionData(
                    outcome="granted", amount=Decimal(amount), reasons="Delegation."
                ),
                by=by,
            )
            outcomes.append("recorded")
        except BudgetExceeded as exc:
            outcomes.append(str(exc))
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=decide, args=(applications[0], 25000, world.users["caseworker"])),
        threading.Thread(target=decide, args=(applications[1], 29000, karin)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 2 and "recorded" in outcomes, outcomes
    refusal = next(o for o in outcomes if o != "recorded")
    assert "överskrider den fria budgeten med" in refusal
    assert Decision.objects.count() == 1
    money = budget_free(ProgramBudget.objects.get())
    assert money["free"] >= 0 and money["granted"] in (25000, 29000)


def slow_down_applying(monkeypatch):
    """Hold the budget row half a second longer: applying the decisions is what follows the
    budget check, for a meeting's group and for a delegated decision alike."""
    from grants.agenda import ApplicationAgendaAdapter

    original = ApplicationAgendaAdapter.apply_decisions

    def slow_apply(self, decisions, by):
        original(self, decisions, by)
        time.sleep(0.5)

    monkeypatch.setattr(ApplicationAgendaAdapter, "apply_decisions", slow_apply)
