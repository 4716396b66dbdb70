"""The caseworker's way through the payment pages with the demo: the decided June meeting's
payments go in a run, its payment file validates against the official schema, the bookkeeping
file of the period reads back as a ledger would read it."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from grants.models import Application
from meetings.models import Meeting
from organizations.models import User
from payments.models import Payment, PaymentBatch

from ..insight import sie_reader
from .test_payment_files import NS, assert_valid, texts

pytestmark = pytest.mark.django_db


def test_the_june_meeting_s_payments_go_to_the_bank_and_the_ledger(client):
    call_command("seed_demo", stdout=io.StringIO())
    june = (
        Meeting.objects.filter(
            starts_at__month=6, starts_at__year=timezone.localdate().year, items__isnull=False
        )
        .distinct()
        .get()
    )
    decided = Application.objects.filter(decision__item__meeting=june, decision__amount__gt=0)
    waiting = Payment.objects.filter(application__in=decided, state=Payment.State.PLANNED, batch__isnull=True)
    assert waiting.exists()
    last_due = waiting.aggregate(last=Max("due_on"))["last"]
    expected = {p.pk: p for p in Payment.objects.filter(state=Payment.State.PLANNED, due_on__lte=last_due)}

    client.force_login(User.objects.get(email="handlaggare@exemplo.se"))
    page = client.get(reverse("payments:payments")).content.decode()
    assert "Förbered en utbetalningskörning" in page and "Ladda ner SIE-filen" in page

    # the run: prepared from the payments page, checked on its own page, exported once
    response = client.post(
        reverse("payments:payments_export"), {"due_until": last_due.isoformat()}, follow=True
    )
    run = PaymentBatch.objects.filter(state=PaymentBatch.State.PREPARED).get()
    assert set(run.payments.values_list("pk", flat=True)) == set(expected)
    page = response.content.decode()
    assert "Gör betalningsfilen (pain.001)" in page and "Avbryt körningen" in page
    page = client.post(
        reverse("payments:payment_run_export", kwargs={"pk": run.pk}), {"file_format": "pain001"}, follow=True
    ).content.decode()
    assert "Betalningsfilen är gjord" in page
    link = reverse("payments:payment_run_file", kwargs={"pk": run.pk})
    assert link in page and "Gör betalningsfilen" not in page

    # the file: valid pain.001, one transfer per payment, to the account copied onto it
    download = client.get(link)
    document = assert_valid(download.content)
    run.refresh_from_db()
    assert texts(document, "//p:GrpHdr/p:MsgId") == [run.message_id]
    assert texts(document, "//p:Dbtr/p:Nm") == ["Exempelö kommun"]
    transfers = document.xpath("//p:CdtTrfTxInf", namespaces=NS)
    assert len(transfers) == len(expected)
    for transfer in transfers:
        payment = expected[int(re.sub(r"\D", "", transfer.findtext("p:PmtId/p:EndToEndId", namespaces=NS)))]
        assert transfer.findtext("p:Amt/p:InstdAmt", namespaces=NS) == f"{payment.amount}.00"
        assert transfer.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == payment.account_number
        assert transfer.findtext("p:RmtInf/p:Ustrd", namespaces=NS).startswith(payment.case_number)
    assert set(Payment.objects.filter(pk__in=expected).values_list("state", flat=True)) == {"exported"}

    # the bank has paid: marked on the run's page, as before
    today = timezone.localdate()
    client.post(reverse("payments:payment_batch_paid", kwargs={"pk": run.pk}), {"paid_on": today.isoformat()})
    assert set(Payment.objects.filter(pk__in=expected).values_list("state", flat=True)) == {"paid"}

    # the bookkeeping file of the year so far reads back, with the June decisions and today's payments
    start = today.replace(month=1, day=1)
    sie = client.get(reverse("insight:sie_export"), {"start": start.isoformat(), "end": today.isoformat()})
    assert sie.status_code == 200
    ledger = sie_reader.read(sie.content)
    assert ledger.labels["#FNAMN"] == ["Exempelö kommun"]
    granted = [v for v in ledger.verifications if v.text.startswith("Beviljat bidrag")]
    june_cases = set(decided.values_list("case_number", flat=True))
    assert june_cases <= {c for v in granted for c in june_cases if c in v.text}
    june_granted = next(v for v in granted if any(c in v.text for c in june_cases))
    assert june_granted.transactions[0].account == "4610" and set(june_granted.transactions[0].objects) == {
        "1",
        "6",
    }
    paid_today = [v for v in ledger.verifications if v.text.startswith("Utbetalt bidrag") and v.date == today]
    assert len(paid_today) >= len(expected)
