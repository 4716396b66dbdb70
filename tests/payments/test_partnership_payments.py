"""A partnership's contribution is a payment like a grant's: in the payment run, the file, the API
and the bookkeeping file."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from iop import services as iop
from payments import services as payments
from payments.models import Payment

from ..iop.factories import in_state


def _planned(world, amount=Decimal(250000), period="2026"):
    """An active partnership with its contribution for ``period`` planned, to the organisation's
    verified bankgiro."""
    organisation = world.organisation
    organisation.account_type, organisation.account_number = "bankgiro", "56781234"
    organisation.save(update_fields=["account_type", "account_number"])
    partnership = in_state(world, "active")
    payment = iop.payment_plan(
        partnership=partnership, period=period, amount=amount, by=world.users["caseworker"]
    )
    return partnership, payment


def test_a_partnership_contribution_is_a_payment_of_its_partnership(world):
    partnership, payment = _planned(world)
    assert isinstance(payment, Payment)
    assert list(partnership.payments.all()) == [payment]
    assert (payment.case, payment.case_type, payment.period) == (partnership, "partnership", "2026")
    assert payment.municipality_id == world.municipality.pk
    assert payment.reference == f"{partnership.case_number} 2026"
    assert payment.decision is None and payment.state == Payment.State.PLANNED


def test_the_contribution_goes_in_the_payment_run_is_paid_and_is_booked_in_the_sie_file(world):
    from insight import sie

    partnership, payment = _planned(world)
    caseworker = world.users["caseworker"]
    run = payments.payment_run_create(by=caseworker, due_until=timezone.localdate())
    assert list(run.payments.all()) == [payment] and run.total == Decimal(250000)
    run = payments.payment_run_export(run=run, by=caseworker, file_format="csv")
    payment.refresh_from_db()
    assert (payment.state, payment.batch_id) == (Payment.State.EXPORTED, run.pk)
    assert payments.payment_batch_mark_paid(batch=run, by=caseworker) == 1

    today = timezone.localdate()
    ledger = sie.ledger_for_period(municipality=world.municipality, start=today, end=today, by=caseworker)
    contribution = [v for v in ledger.verifications if v.text.startswith("IOP-bidrag")]
    assert len(contribution) == 1 and partnership.case_number in contribution[0].text
    assert "2026" in contribution[0].text
    assert not [v for v in ledger.verifications if v.text.startswith("Utbetalt bidrag")]


def test_the_caseworker_marks_a_contribution_paid_from_the_partnership_s_page(world, client):
    partnership, payment = _planned(world)
    client.force_login(world.users["caseworker"])
    page = client.get(reverse("iop:payments", kwargs={"pk": partnership.pk})).content.decode()
    assert reverse("payments:payment_pay", kwargs={"pk": payment.pk}) in page
    response = client.post(reverse("payments:payment_pay", kwargs={"pk": payment.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("iop:payments", kwargs={"pk": partnership.pk})
    payment.refresh_from_db()
    assert payment.state == Payment.State.PAID and payment.paid_on == timezone.localdate()


def test_the_applicant_may_not_mark_a_contribution_paid(world):
    _partnership, payment = _planned(world)
    with pytest.raises(PermissionDenied):
        payments.payment_pay(payment=payment, by=world.users["applicant"])


def test_the_api_lists_the_partnership_s_payments_with_their_period(world, client):
    partnership, payment = _planned(world)
    client.force_login(world.users["applicant"])
    rows = client.get(reverse("api:payment-list"), {"partnership": partnership.pk}).json()["results"]
    assert [
        (r["case_type"], r["case_id"], r["partnership"], r["application"], r["period"]) for r in rows
    ] == [("partnership", partnership.pk, partnership.pk, None, "2026")]
    assert client.get(reverse("api:payment-list"), {"application": partnership.pk}).json()["results"] == []
