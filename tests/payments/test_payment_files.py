"""Payment runs and their payment file for the bank (ISO 20022 pain.001.001.03).

Every file made here is checked against the official schema vendored in ``tests/payments/schema``
(not the application's own copy), so a file the bank would refuse fails the test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django_fsm_log.models import StateLog
from lxml import etree

from grants import services
from payments import pain001
from payments import services as payments_services
from payments.models import Payment, PaymentBatch
from workflows.services import TransitionRefused

from ..grants.decisions import DEBTOR_BIC, DEBTOR_IBAN
from ..grants.factories import application_in

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
NS = {"p": pain001.NAMESPACE}


def official_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "pain.001.001.03.xsd")))


def assert_valid(content: bytes) -> etree._Element:
    document = etree.fromstring(content)
    schema = official_schema()
    assert schema.validate(document), schema.error_log
    return document


def texts(document, path: str) -> list[str]:
    return [element.text for element in document.xpath(path, namespaces=NS)]


def planned(world, *, parts: int = 2, account=("bankgiro", "56781234"), debtor: bool = True):
    """The world's application granted at yesterday's meeting, its payments planned and due today."""
    from ..grants.test_decision_pages import decided_yesterday_and_approved

    world.organisation.account_type, world.organisation.account_number = account
    world.organisation.save()
    program = application_in(world, "proposed").round.program
    program.instalments = parts
    program.save()
    if debtor:
        world.municipality.payment_iban, world.municipality.payment_bic = DEBTOR_IBAN, DEBTOR_BIC
        world.municipality.save()
    application, _meeting = decided_yesterday_and_approved(world)
    assert services.payments_create_due()["planned"] == 1
    Payment.objects.update(due_on=timezone.localdate())
    application.refresh_from_db()
    return application


def export_logs(run) -> list:
    return list(StateLog.objects.for_(run).values_list("transition", flat=True))


# ---- the file itself ----


def transfer(**changes) -> pain001.Transfer:
    values = {
        "end_to_end_id": "BIDRA-P1",
        "amount": Decimal("17500"),
        "creditor_name": "Föreningen Trygg Vardag",
        "account_type": "bankgiro",
        "account_number": "56781234",
        "remittance": "SN 2026/12",
        "label": "SN 2026/12 (Föreningen Trygg Vardag)",
    }
    return pain001.Transfer(**{**values, **changes})


DEBTOR = pain001.Debtor(name="Exempelby kommun", org_number="2120001234", iban=DEBTOR_IBAN, bic=DEBTOR_BIC)


def build(transfers, debtor=DEBTOR) -> bytes:
    return pain001.build(
        message_id="BIDRA-7-20260615101500",
        created_at=dt.datetime(2026, 6, 15, 10, 15),
        execute_on=dt.date(2026, 6, 16),
        debtor=debtor,
        transfers=transfers,
    )


def test_bankgiro_and_plusgiro_payees_are_written_as_swedish_banks_take_them():
    content = build(
        [
            transfer(),
            transfer(
                end_to_end_id="BIDRA-P2",
                amount=Decimal("2500.5"),
                account_type="plusgiro",
                account_number="4455667",
                remittance="SN 2026/13 1/2",
            ),
        ]
    )
    document = assert_valid(content)
    assert texts(document, "//p:GrpHdr/p:MsgId") == ["BIDRA-7-20260615101500"]
    assert texts(document, "//p:GrpHdr/p:NbOfTxs") == ["2"]
    assert texts(document, "//p:GrpHdr/p:CtrlSum") == ["20000.50"]
    assert texts(document, "//p:InstdAmt") == ["17500.00", "2500.50"]
    assert {e.get("Ccy") for e in document.xpath("//p:InstdAmt", namespaces=NS)} == {"SEK"}
    assert texts(document, "//p:CdtrAcct/p:Id/p:Othr/p:Id") == ["56781234", "4455667"]
    assert texts(document, "//p:CdtrAcct//p:SchmeNm/*") == ["BGNR", "BBAN"]
    assert texts(document, "//p:CdtrAgt//p:MmbId") == ["9900", "9960"]
    assert texts(document, "//p:RmtInf/p:Ustrd") == ["SN 2026/12", "SN 2026/13 1/2"]
    assert texts(document, "//p:DbtrAcct/p:Id/p:IBAN") == [DEBTOR_IBAN]
    assert texts(document, "//p:DbtrAgt//p:BIC") == [DEBTOR_BIC]
    assert texts(document, "//p:Dbtr/p:Nm") == ["Exempelby kommun"]
    assert texts(document, "//p:ReqdExctnDt") == ["2026-06-16"]
    # the application checks against its own copy of the schema: the same official file
    assert pain001.SCHEMA.read_bytes() == (SCHEMA_DIR / "pain.001.001.03.xsd").read_bytes()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": Decimal("0")}, "är inte större än noll"),
        ({"amount": Decimal("-100")}, "är inte större än noll"),
        ({"amount": Decimal("100.005")}, "fler än två decimaler"),
        ({"amount": Decimal("10000000000000000")}, "större än en betalningsfil kan bära"),
        ({"account_number": ""}, "inget bankgiro- eller plusgirokonto"),
        ({"account_type": "iban"}, "inget bankgiro- eller plusgirokonto"),
        ({"account_number": "12-34"}, "inte ett giltigt"),
    ],
)
def test_an_amount_or_account_that_does_not_fit_makes_no_file(changes, message):
    with translation.override("sv"), pytest.raises(pain001.PaymentFileError) as refused:
        build([transfer(), transfer(**changes)])
    assert any(message in text for text in refused.value.messages), refused.value.messages


def test_without_the_municipality_s_account_no_file_is_made():
    with translation.override("sv"), pytest.raises(pain001.PaymentFileError) as refused:
        build(
            [transfer()],
            debtor=pain001.Debtor(name="Exempelby kommun", org_number="2120001234", iban="", bic=""),
        )
    assert any("IBAN" in text for text in refused.value.messages)
    assert any("BIC" in text for text in refused.value.messages)


def test_a_file_that_fails_the_schema_is_not_made():
    with translation.override("sv"), pytest.raises(pain001.PaymentFileError) as refused:
        build([transfer(creditor_name="   ")])
    assert "följer inte formatet pain.001" in refused.value.messages[0]


# ---- the run ----


def test_a_run_is_exported_once_as_one_file_with_its_own_message_id(world, client):
    application = planned(world)
    caseworker = world.users["caseworker"]
    run = payments_services.payment_run_create(by=caseworker, due_until=timezone.localdate())
    assert run.state == PaymentBatch.State.PREPARED and run.count == 2 and run.left_out == []
    assert set(Payment.objects.values_list("state", flat=True)) == {Payment.State.PLANNED}

    run = payments_services.payment_run_export(run=run, by=caseworker)
    document = assert_valid(run.payment_file.encode("utf-8"))
    assert texts(document, "//p:GrpHdr/p:MsgId") == [run.message_id]
    assert texts(document, "//p:GrpHdr/p:CtrlSum") == [f"{application.decision.amount}.00"]
    assert texts(document, "//p:RmtInf/p:Ustrd") == [
        f"{application.case_number} 1/2",
        f"{application.case_number} 2/2",
    ]
    assert set(Payment.objects.values_list("state", flat=True)) == {Payment.State.EXPORTED}
    assert export_logs(run) == ["export"]

    # never exported twice: the run, nor its payments in another run
    with pytest.raises(TransitionRefused):
        payments_services.payment_run_export(run=run, by=caseworker)
    with pytest.raises(ValidationError, match="planerade|planned"):
        payments_services.payment_run_create(by=caseworker, due_until=timezone.localdate())
    run.refresh_from_db()
    assert export_logs(run) == ["export"] and PaymentBatch.objects.count() == 1

    # the download is the file as made, the same message id each time
    client.force_login(caseworker)
    url = reverse("payments:payment_run_file", kwargs={"pk": run.pk})
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200 and first["Content-Type"].startswith("application/xml")
    assert first.content == second.content == run.payment_file.encode("utf-8")
    # a second export through the page changes nothing either
    client.post(reverse("payments:payment_run_export", kwargs={"pk": run.pk}), {"file_format": "pain001"})
    assert PaymentBatch.objects.get().message_id == run.message_id and export_logs(run) == ["export"]


def test_two_runs_have_different_message_ids(world):
    planned(world)
    caseworker = world.users["caseworker"]
    first = payments_services.payment_run_create(by=caseworker, due_until=timezone.localdate())
    payments_services.payment_run_cancel(run=first, by=caseworker, reason="Fel datum")
    second = payments_services.payment_run_export(
        run=payments_services.payment_run_create(by=caseworker, due_until=timezone.localdate()), by=caseworker
    )
    third_payment = Payment.objects.first()
    assert second.message_id and second.message_id != first.message_id
    assert third_payment.batch == second


def test_a_refused_export_marks_nothing_and_says_why_in_swedish(world, client):
    planned(world, debtor=False)
    caseworker = world.users["caseworker"]
    run = payments_services.payment_run_create(by=caseworker, due_until=timezone.localdate())
    client.force_login(caseworker)
    page = client.post(
        reverse("payments:payment_run_export", kwargs={"pk": run.pk}), {"file_format": "pain001"}, follow=True
    ).content.decode()
    assert "Kommunen har inget betalkonto (IBAN)" in page
    # a name the format cannot carry fails the schema: refused as well
    world.municipality.payment_iban, world.municipality.payment_bic = DEBTOR_IBAN, DEBTOR_BIC
    world.municipality.save()
    Payment.objects.filter(instalment=2).update(organisation_name="")
    with translation.override("sv"), pytest.raises(ValidationError, match="pain.001"):
        payments_services.payment_run_export(run=run, by=caseworker)
    # an amount that does not fit
    Payment.objects.filter(instalment=2).update(organisation_name="Föreningen Trygg Vardag", amount=0)
    with translation.override("sv"), pytest.raises(ValidationError, match="inte större än noll"):
        payments_services.payment_run_export(run=run, by=caseworker)
    run.refresh_from_db()
    assert run.state == PaymentBatch.State.PREPARED and not run.message_id and not run.payment_file
    assert set(Payment.objects.values_list("state", flat=True)) == {Payment.State.PLANNED}
    assert export_logs(run) == []
    assert not StateLog.objects.filter(transition="export").exists()


def test_an_organisation_without_a_verified_account_is_left_out_with_the_reason_on_the_run_s_page(
    world, client
):
    planned(world)
    caseworker = world.users["caseworker"]
    # the second part's account is no longer the organisation's verified account
    Payment.objects.filter(instalment=2).update(account_number="11112222")
    client.force_login(caseworker)
    client.post(reverse("payments:payments_export"), {"due_until": timezone.localdate().isoformat()})
    run = PaymentBatch.objects.get()
    assert run.count == 1 and [row["payment"] for row in run.left_out] == [
        Payment.objects.get(instalment=2).pk
    ]
    page = client.get(reverse("payments:payment_batch", kwargs={"pk": run.pk})).content.decode()
    assert "Utelämnade ur körningen" in page, page[page.find("<main") :][:3000]
    assert "har ändrats sedan utbetalningen planerades" in page
    payments_services.payment_run_export(run=run, by=caseworker)
    assert dict(Payment.objects.values_list("instalment", "state")) == {
        1: Payment.State.EXPORTED,
        2: Payment.State.PLANNED,
    }

    # with no verified account at all there is nothing to run, and the page says why
    world.organisation.account_type, world.organisation.account_number = "", ""
    world.organisation.save()
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        payments_services.payment_run_create(by=caseworker, due_until=timezone.localdate())
    assert any("har inget verifierat bankgiro- eller plusgirokonto" in m for m in refused.value.messages)


def test_a_run_is_cancelled_before_it_is_sent_by_its_own_staff_only(world, client):
    planned(world)
    caseworker = world.users["caseworker"]
    run = payments_services.payment_run_create(by=caseworker, due_until=timezone.localdate())
    with pytest.raises(ValidationError):
        payments_services.payment_run_cancel(run=run, by=caseworker, reason=" ")
    with pytest.raises(PermissionDenied):
        payments_services.payment_run_cancel(run=run, by=world.users["other_caseworker"], reason="Fel")
    client.force_login(world.users["other_caseworker"])
    assert client.post(
        reverse("payments:payment_run_cancel", kwargs={"pk": run.pk}), {"reason": "x"}
    ).status_code in (
        403,
        404,
    )
    client.force_login(caseworker)
    client.post(reverse("payments:payment_run_cancel", kwargs={"pk": run.pk}), {"reason": "Fel förfallodag"})
    run.refresh_from_db()
    assert run.state == PaymentBatch.State.CANCELLED
    log = StateLog.objects.for_(run).get()
    assert (log.transition, log.by, log.description) == ("cancel", caseworker, "Fel förfallodag")
    assert not Payment.objects.filter(batch__isnull=False).exists()
    with pytest.raises(TransitionRefused):
        payments_services.payment_run_export(run=run, by=caseworker)
    # its payments go in the next run; once exported, that run cannot be cancelled
    again = payments_services.payment_run_export(
        run=payments_services.payment_run_create(by=caseworker, due_until=timezone.localdate()), by=caseworker
    )
    with pytest.raises(TransitionRefused):
        payments_services.payment_run_cancel(run=again, by=caseworker, reason="För sent")
    assert Payment.objects.filter(batch=again, state=Payment.State.EXPORTED).count() == 2


def test_only_staff_with_the_payment_permission_download_the_file(world, client):
    from ..grants.decisions import decided_meeting

    run = decided_meeting(world)["batch"]
    url = reverse("payments:payment_run_file", kwargs={"pk": run.pk})
    for role, allowed in [
        ("caseworker", True),
        ("program_admin", True),
        ("other_caseworker", False),
        ("applicant", False),
        ("secretary", False),
    ]:
        client.force_login(world.users[role])
        response = client.get(url)
        assert (response.status_code == 200) is allowed, role
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(world.users["caseworker"])
    page = client.get(reverse("payments:payment_batch", kwargs={"pk": run.pk})).content.decode()
    assert url in page and "Ladda ner betalningsfilen (pain.001)" in page
