"""The bookkeeping file (SIE 4, type 4I): every file is read back with a reader written from the
SIE 4 specification (``sie_reader``), and one fixed example is compared line by line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from insight import sie
from payments import services as payments_services

from . import sie_reader


def example() -> sie.Ledger:
    return sie.Ledger(
        company="Exempelö kommun",
        org_number="212000-0142",
        generated_on=dt.date(2026, 7, 1),
        generated_by="Karin Handläggare",
        accounts={"4610": "Föreningsbidrag", "2990": "Beslutade bidrag, ej utbetalda", "1930": "Bank"},
        objects={("1", "310"): "Föreningsbidrag", ("6", "P-UNG"): "Föreningsbidrag"},
        verifications=[
            sie.Verification(
                dt.date(2026, 6, 15),
                'Beviljat bidrag SN 2026/12 Föreningen "Trygg Vardag"',
                [
                    sie.Transaction("4610", Decimal("35000"), "310", "P-UNG"),
                    sie.Transaction("2990", Decimal("-35000")),
                ],
            ),
            sie.Verification(
                dt.date(2026, 6, 30),
                "Utbetalt bidrag SN 2026/12 1/2 Föreningen Trygg Vardag",
                [sie.Transaction("2990", Decimal("17500.5")), sie.Transaction("1930", Decimal("-17500.50"))],
            ),
        ],
    )


EXPECTED = [
    "#FLAGGA 0",
    '#PROGRAM "Bidra" "1.0"',
    "#FORMAT PC8",
    '#GEN 20260701 "Karin Handläggare"',
    "#SIETYP 4",
    "#ORGNR 212000-0142",
    '#FNAMN "Exempelö kommun"',
    '#KONTO 1930 "Bank"',
    '#KONTO 2990 "Beslutade bidrag, ej utbetalda"',
    '#KONTO 4610 "Föreningsbidrag"',
    '#DIM 1 "Kostnadsställe"',
    '#DIM 6 "Projekt"',
    '#OBJEKT 1 "310" "Föreningsbidrag"',
    '#OBJEKT 6 "P-UNG" "Föreningsbidrag"',
    '#VER "B" "" 20260615 "Beviljat bidrag SN 2026/12 Föreningen \\"Trygg Vardag\\""',
    "{",
    '   #TRANS 4610 {1 "310" 6 "P-UNG"} 35000.00',
    "   #TRANS 2990 {} -35000.00",
    "}",
    '#VER "B" "" 20260630 "Utbetalt bidrag SN 2026/12 1/2 Föreningen Trygg Vardag"',
    "{",
    "   #TRANS 2990 {} 17500.50",
    "   #TRANS 1930 {} -17500.50",
    "}",
]


def test_a_fixed_example_is_written_line_for_line_in_pc8():
    content = sie.content(example())
    assert content == ("\r\n".join(EXPECTED) + "\r\n").encode("cp437")
    assert "ö".encode("cp437") in content and "ö".encode() not in content  # PC8, not UTF-8
    read = sie_reader.read(content)
    assert read.labels["#FNAMN"] == ["Exempelö kommun"]
    assert [v.text for v in read.verifications][0] == 'Beviljat bidrag SN 2026/12 Föreningen "Trygg Vardag"'
    assert read.verifications[0].transactions[0].objects == {"1": "310", "6": "P-UNG"}


def test_the_reader_refuses_an_unbalanced_or_undeclared_file():
    ledger = example()
    ledger.verifications[0].transactions[1] = sie.Transaction("2990", Decimal("-34000"))
    with pytest.raises(sie_reader.SieError, match="balance"):
        sie_reader.read(sie.content(ledger))
    ledger = example()
    del ledger.accounts["1930"]
    with pytest.raises(sie_reader.SieError, match="not declared"):
        sie_reader.read(sie.content(ledger))


def test_a_character_pc8_lacks_does_not_break_the_file():
    ledger = example()
    ledger.company = "Kommun – ✓ €"
    read = sie_reader.read(sie.content(ledger))
    assert read.labels["#FNAMN"] == ["Kommun ? ? ?"]


def _reclaim_decided_and_paid(world, application, amount: Decimal):
    """A reclaim proposed through the service, decided as the meeting engine leaves it, paid back."""
    from django.contrib.contenttypes.models import ContentType

    from meetings.models import Decision
    from organizations.models import Delegation
    from reporting import services as reporting
    from reporting.models import Reclaim
    from tests.factories import DelegationFactory

    caseworker = world.users["caseworker"]
    delegation = DelegationFactory(
        user=caseworker, committee=world.committee, matter=Delegation.Matter.RECLAIM, max_amount=50000
    )
    reclaim = reporting.reclaim_propose(
        application=application,
        by=caseworker,
        amount=amount,
        grounds="not_used",
        motivation="Aktiviteten ställdes in.",
    )
    decision = Decision.objects.create(
        content_type=ContentType.objects.get_for_model(Reclaim),
        object_id=reclaim.pk,
        committee=world.committee,
        delegation=delegation,
        outcome="granted",
        amount=amount,
        decided_by=caseworker,
    )
    reclaim = reporting.reclaim_decide(reclaim=reclaim, decision=decision, by=caseworker)
    reclaim = reporting.reclaim_invoice(reclaim=reclaim, by=caseworker)
    return reporting.reclaim_mark_paid(reclaim=reclaim, by=caseworker)


def _partnership_contribution_paid(world, amount: Decimal):
    from iop import services as iop

    from ..iop.factories import in_state

    partnership = in_state(world, "active")
    payment = iop.payment_plan(
        partnership=partnership, period="2026", amount=amount, by=world.users["caseworker"]
    )
    return iop.payment_pay(payment=payment, by=world.users["caseworker"])


def test_the_period_s_grants_reclaims_and_partnership_contributions_are_booked_and_read_back(world, client):
    from payments.models import Payment

    from ..grants.decisions import decided_meeting

    decided = decided_meeting(world)
    application = decided["application"]
    program = application.round.program
    program.ledger_account, program.cost_centre, program.ledger_project = "4610", "310", "P-UNG"
    program.save()
    payments_services.payment_batch_mark_paid(batch=decided["batch"], by=world.users["caseworker"])
    _reclaim_decided_and_paid(world, application, Decimal("5000"))
    _partnership_contribution_paid(world, Decimal("100000"))
    today = timezone.localdate()

    client.force_login(world.users["caseworker"])
    response = client.get(
        reverse("insight:sie_export"),
        {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat()},
    )
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.se"')
    read = sie_reader.read(response.content)
    assert read.labels["#FNAMN"] == [world.municipality.name]
    assert read.dimensions == {"1": "Kostnadsställe", "6": "Projekt"}
    by_text = {v.text.split(" ")[0] + " " + v.text.split(" ")[1]: v for v in read.verifications}
    granted = application.decision.amount
    decided_ver = next(v for v in read.verifications if v.text.startswith("Beviljat bidrag"))
    assert [(t.account, t.objects, t.amount) for t in decided_ver.transactions] == [
        ("4610", {"1": "310", "6": "P-UNG"}, granted),
        ("2990", {}, -granted),
    ]
    paid = [v for v in read.verifications if v.text.startswith("Utbetalt bidrag")]
    assert sorted(v.transactions[0].amount for v in paid) == sorted(
        Payment.objects.filter(content_type__model="application").values_list("amount", flat=True)
    )
    assert all(v.transactions[1].account == "1930" for v in paid)
    reclaim = next(v for v in read.verifications if v.text.startswith("Återkrav"))
    assert [(t.account, t.amount) for t in reclaim.transactions] == [
        ("1680", Decimal(5000)),
        ("4610", Decimal(-5000)),
    ]
    assert reclaim.transactions[1].objects == {"1": "310", "6": "P-UNG"}
    assert any(v.text.startswith("Återbetalt återkrav") for v in read.verifications)
    contribution = next(v for v in read.verifications if v.text.startswith("IOP-bidrag"))
    assert [(t.account, t.amount) for t in contribution.transactions] == [
        ("4600", Decimal(100000)),
        ("1930", Decimal(-100000)),
    ]
    assert set(read.accounts) == {"1930", "2990", "1680", "4610", "4600"}
    assert by_text  # every verification has a text

    # a period with nothing in it is still a file a ledger reads
    empty = client.get(reverse("insight:sie_export"), {"start": "2020-01-01", "end": "2020-12-31"})
    assert sie_reader.read(empty.content).verifications == []
    # a period that ends before it starts is refused with a message, on the payments page
    page = client.get(
        reverse("insight:sie_export"), {"start": "2026-02-01", "end": "2026-01-01"}, follow=True
    ).content.decode()
    assert "Perioden slutar innan den börjar." in page


def test_only_staff_with_the_payment_permission_download_the_bookkeeping_file(world, client):
    url = reverse("insight:sie_export") + "?start=2026-01-01&end=2026-12-31"
    for role, allowed in [
        ("caseworker", True),
        ("program_admin", True),
        ("other_caseworker", True),  # their own municipality's file
        ("secretary", False),
        ("member", False),
        ("applicant", False),
    ]:
        client.force_login(world.users[role])
        assert (client.get(url).status_code == 200) is allowed, role
    client.logout()
    assert client.get(url).status_code == 302


def test_the_program_administrator_sets_the_ledger_account_of_a_program_four_digits(world):
    from grants import forms

    from ..grants.factories import application_in

    program = application_in(world, "draft").round.program
    committees = world.municipality.committees.all()

    def form(**changes):
        data = {k: v for k, v in model_to_dict(program).items() if v is not None}
        return forms.ProgramForm(data={**data, **changes}, instance=program, committees=committees)

    refused = form(ledger_account="461", cost_centre="310", ledger_project="P-UNG")
    assert not refused.is_valid()
    assert refused.errors["ledger_account"] == ["Bokföringskontot är fyra siffror, till exempel 4610."]
    assert not form(ledger_account="46a0").is_valid()
    assert not form(ledger_account="4610", cost_centre="3 10").is_valid()
    accepted = form(ledger_account="4610", cost_centre="310", ledger_project="P-UNG")
    assert accepted.is_valid(), accepted.errors
