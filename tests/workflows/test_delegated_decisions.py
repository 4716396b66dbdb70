"""Delegated decisions: made below the delegate's limit, outside a meeting, reported to the next meeting."""

import datetime as dt
from decimal import Decimal

import pytest

from meetings import services
from meetings.models import AgendaItem, Decision, all_items_decided
from meetings.services import DecisionData, DelegationRefused
from organizations.models import Delegation
from tests.workflows.caseapp.models import Matter

from .factories import MatterFactory, aware, meeting_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _delegation_since_2020(world):
    Delegation.objects.filter(user=world.users["caseworker"]).update(valid_from=dt.date(2020, 1, 1))


def grant(amount):
    return DecisionData(outcome="granted", amount=Decimal(amount), reasons="Beviljas enligt riktlinjerna.")


def test_a_decision_above_the_delegation_limit_is_refused(world):
    matter = MatterFactory(committee=world.committee)
    with pytest.raises(DelegationRefused, match="delegationsgräns"):
        services.delegated_decision_record(case=matter, decision=grant(40000), by=world.users["caseworker"])
    matter.refresh_from_db()
    assert matter.state == "proposed" and not Decision.objects.exists()


def test_a_decision_without_delegation_is_refused(world):
    matter = MatterFactory(committee=world.committee)
    for role in ("member", "secretary", "other_caseworker"):
        with pytest.raises(DelegationRefused, match="ingen giltig delegation"):
            services.delegated_decision_record(case=matter, decision=grant(10000), by=world.users[role])
    assert not Decision.objects.exists()


def test_an_expired_delegation_no_longer_allows_deciding(world, clock):
    Delegation.objects.filter(user=world.users["caseworker"]).update(
        valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2025, 12, 31)
    )
    clock.set(dt.date(2026, 3, 1))
    matter = MatterFactory(committee=world.committee)
    with pytest.raises(DelegationRefused):
        services.delegated_decision_record(case=matter, decision=grant(10000), by=world.users["caseworker"])


def test_a_delegated_decision_is_listed_on_the_next_meeting(world, clock):
    clock.set(dt.date(2026, 5, 4))
    later = meeting_for(world, starts_at=aware(2026, 9, 10))
    sooner = meeting_for(world, starts_at=aware(2026, 6, 10))
    matter = MatterFactory(committee=world.committee, organisation=world.organisation)

    decision = services.delegated_decision_record(
        case=matter, decision=grant(20000), by=world.users["caseworker"]
    )

    matter.refresh_from_db()
    assert (matter.state, matter.granted_amount) == (Matter.State.GRANTED, 20000)
    assert decision.delegated and services.decision_may_be_executed(decision)
    item = decision.item
    assert item.meeting == sooner and item.kind == AgendaItem.Kind.INFORMATION
    assert item.title == "Föreningen Trygg Vardag – ansökan om verksamhetsstöd"
    assert not later.items.exists()
    # Reported for information only: it does not wait for a committee decision.
    assert all_items_decided(sooner)


def test_a_delegated_decision_made_before_any_meeting_is_planned_goes_on_the_next_one(world, clock):
    clock.set(dt.date(2026, 5, 4))
    matter = MatterFactory(committee=world.committee)
    decision = services.delegated_decision_record(
        case=matter, decision=grant(15000), by=world.users["caseworker"]
    )
    assert decision.item is None

    meeting = meeting_for(world, starts_at=aware(2026, 6, 10))

    decision.refresh_from_db()
    assert decision.item.meeting == meeting
    assert meeting.items.get().kind == AgendaItem.Kind.INFORMATION
