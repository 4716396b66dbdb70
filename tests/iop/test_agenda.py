"""The meeting engine's adapter: what the agenda shows and how the committee's decision reaches the partnership."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from iop.agenda import PartnershipAgendaAdapter

from .factories import in_state

pytestmark = pytest.mark.django_db


def test_a_proposed_partnership_is_on_the_committees_list_with_its_amounts(world):
    partnership = in_state(world, "proposed")
    adapter = PartnershipAgendaAdapter()
    assert list(adapter.proposed_queryset(world.committee)) == [partnership]
    assert list(adapter.proposed_queryset(world.other_committee)) == []
    assert adapter.requested_amount(partnership) == Decimal(900000)  # 300 000 kr a year for three years
    assert "Föreningen Trygg Vardag" in adapter.title(partnership)
    [row] = adapter.officer_report_rows([partnership])
    assert row["case_number"] == partnership.case_number
    assert "900\u00a0000\u00a0kr" in row["motivation"]


def test_the_committees_decision_approves_the_partnership_and_records_where(world):
    partnership = in_state(world, "proposed")
    meeting = "Socialnämnden 2026-06-15"
    decision = SimpleNamespace(
        outcome="granted",
        amount=Decimal(900000),
        reasons="Enligt förslaget.",
        item=SimpleNamespace(meeting=meeting, order=7),
        decided_at=timezone.now(),
    )
    PartnershipAgendaAdapter().apply_decision(partnership, decision, world.users["secretary"])
    partnership.refresh_from_db()
    assert (partnership.state, partnership.decision_reference) == ("approved", "Socialnämnden 2026-06-15 § 7")
    assert partnership.decided_on == timezone.localdate()


def test_a_rejection_rejects(world):
    partnership = in_state(world, "proposed")
    decision = SimpleNamespace(
        outcome="rejected", amount=None, reasons="Ryms inte i budgeten.", item=None, delegation_id=7
    )
    PartnershipAgendaAdapter().apply_decision(partnership, decision, world.users["secretary"])
    partnership.refresh_from_db()
    assert (partnership.state, partnership.decision_reason) == ("rejected", "Ryms inte i budgeten.")


def test_proposed_partnerships_can_be_put_on_a_committee_agenda():
    from iop.models import Partnership
    from meetings.agenda import adapter_for

    assert isinstance(adapter_for(Partnership), PartnershipAgendaAdapter)


def test_a_decision_made_neither_at_a_meeting_nor_by_a_delegate_is_refused(world):
    from django.core.exceptions import ValidationError

    from iop import services

    partnership = in_state(world, "proposed")
    decision = SimpleNamespace(outcome="granted", amount=None, reasons="", item=None, delegation_id=None)
    with pytest.raises(ValidationError, match="sammanträde"):
        services.partnership_decide(partnership=partnership, decision=decision, by=world.users["secretary"])
    partnership.refresh_from_db()
    assert (partnership.state, partnership.decision_reference) == ("proposed", "")
