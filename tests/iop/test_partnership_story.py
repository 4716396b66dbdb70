"""A partnership from initiative to renewal, and one that is not suitable for IOP."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_fsm_log.models import StateLog

from iop import services
from iop.diff import compare_versions
from iop.models import Partnership, add_years
from workflows.models import OutboxMessage, StoredDocument
from workflows.services import TransitionRefused, system_user

from ..pdf import pdf_text, pdfa_conformance
from .factories import (
    INDICATORS,
    MEMBERS,
    agreement_data,
    checklist,
    committee_decision,
    contributions,
    in_state,
    initiative,
    screened_as_procurement,
)

pytestmark = pytest.mark.django_db


def _log(partnership):
    return [
        (e.source_state, e.state, e.by)
        for e in StateLog.objects.for_(partnership).select_related("by").order_by("timestamp", "pk")
    ]


def test_an_initiative_goes_from_screening_to_renewal_with_one_log_row_per_step(
    world, travel, django_capture_on_commit_callbacks, mailoutbox
):
    applicant, caseworker, secretary = (world.users[r] for r in ("applicant", "caseworker", "secretary"))
    world.organisation.account_type, world.organisation.account_number = "bankgiro", "56781234"
    world.organisation.email = "info@trygg.example"
    world.organisation.save()
    start = date(2026, 4, 1)
    travel(start - timedelta(days=60))

    partnership = initiative(world)
    assert partnership.case_number == "SN 2026/1"
    assert partnership.via_portal

    services.partnership_transition(partnership=partnership, name="start_screening", by=caseworker)
    services.screening_record(partnership=partnership, answers=checklist(), by=caseworker)
    services.partnership_screen(partnership=partnership, suitable=True, by=caseworker)
    services.partnership_transition(partnership=partnership, name="start_drafting", by=caseworker)

    # Two versions, written together: the organisation changes its part.
    end = add_years(start, 2)
    v1 = services.agreement_save_version(
        partnership=partnership,
        data=agreement_data(start, end),
        contributions=contributions(2),
        indicators=INDICATORS,
        members=MEMBERS,
        by=caseworker,
    )
    v2 = services.agreement_save_version(
        partnership=partnership,
        data=agreement_data(
            start, end, activities_organisation="Församlingen håller kaféet öppet alla dagar och på helger."
        ),
        contributions=contributions(2),
        indicators=INDICATORS,
        members=MEMBERS,
        by=applicant,
    )
    assert (v1.number, v2.number) == (1, 2)
    changed = [s for s in compare_versions(v1, v2) if s.changed]
    assert [s.key for s in changed] == ["activities_organisation"]
    assert changed[0].rows == [
        (
            "changed",
            "Församlingen håller kaféet öppet alla dagar.",
            "Församlingen håller kaféet öppet alla dagar och på helger.",
        )
    ]
    totals = v2.totals()
    assert (totals["municipality"], totals["organisation"], totals["municipality_share"]) == (
        Decimal(600000),
        Decimal(640000),
        48,
    )

    services.partnership_transition(partnership=partnership, name="propose", by=caseworker)
    decision = committee_decision(world, partnership, day=start - timedelta(days=63))
    with pytest.raises(PermissionDenied):
        services.partnership_decide(partnership=partnership, decision=decision, by=applicant)
    services.partnership_decide(partnership=partnership, decision=decision, by=secretary)
    partnership.refresh_from_db()
    assert partnership.state == "approved"
    assert partnership.decision_reference == f"Socialnämnden {start - timedelta(days=63):%Y-%m-%d} § 42"
    assert partnership.approved_version == v2

    # Money is not paid before both have signed.
    payment = services.payment_plan(
        partnership=partnership, period="2026", amount=Decimal(300000), by=caseworker
    )
    with pytest.raises(TransitionRefused, match="undertecknat"):
        services.payment_pay(payment=payment, by=caseworker)

    services.partnership_sign(
        partnership=partnership,
        party="municipality",
        signatory="Ordförande Olsson",
        signed_on=start,
        by=caseworker,
    )
    partnership.refresh_from_db()
    assert partnership.state == "approved"  # one side has signed
    with pytest.raises(PermissionDenied):
        services.partnership_sign(
            partnership=partnership, party="organisation", signatory="X", signed_on=start, by=caseworker
        )
    services.partnership_sign(
        partnership=partnership, party="organisation", signatory="Siv Sökande", signed_on=start, by=applicant
    )
    partnership.refresh_from_db()
    assert partnership.state == "signed"

    payment = services.payment_pay(payment=payment, by=caseworker)
    assert (payment.state, payment.account_number) == ("paid", "56781234")

    travel(start)
    services.partnership_transition(partnership=partnership, name="activate", by=caseworker)

    # A month before the first year ends the follow-up is due; the task reminds once.
    travel(add_years(start, 1) - timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        services.partnerships_advance()
        services.partnerships_advance()
    partnership.refresh_from_db()
    assert partnership.state == "follow_up_due"
    assert [m.key for m in OutboxMessage.objects.filter(key__startswith="iop:follow-up")] == [
        f"iop:follow-up:{partnership.pk}:1:due"
    ]
    indicator = partnership.approved_version.indicators.get()
    services.follow_up_record(
        partnership=partnership,
        year=1,
        contributions_made="Kommunen: 300 000 kr utbetalt. Församlingen: lokal och 2 100 volontärtimmar.",
        joint_assessment="Kaféet har nått fler än planerat.",
        results={indicator.pk: (Decimal(170), "")},
        by=applicant,
    )
    follow_up = partnership.follow_ups.get()
    assert [(r.planned, r.achieved) for r in follow_up.results.all()] == [(Decimal(150), Decimal(170))]
    partnership.refresh_from_db()
    assert partnership.state == "active"  # nothing needs a person once the follow-up is made

    # In the final year: evaluation, and a renewal with a new agreement version and term.
    travel(add_years(start, 1) + timedelta(days=10))
    with pytest.raises(TransitionRefused):
        services.partnership_transition(partnership=partnership, name="propose_renewal", by=caseworker)
    services.partnership_transition(partnership=partnership, name="start_evaluation", by=caseworker)
    services.evaluation_record(
        partnership=partnership,
        summary="Målen har nåtts.",
        lessons="Fler volontärer behövs på helger.",
        proposal="renew",
        by=applicant,
    )
    new_end = add_years(end, 3)
    v3 = services.agreement_save_version(
        partnership=partnership,
        data=agreement_data(end, new_end, note="Förnyelse tre år"),
        contributions=contributions(3, money=320000),
        indicators=INDICATORS,
        members=MEMBERS,
        by=caseworker,
    )
    services.partnership_transition(partnership=partnership, name="propose_renewal", by=caseworker)
    renewal = committee_decision(world, partnership, day=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.partnership_decide_renewal(partnership=partnership, decision=renewal, by=applicant)
    services.partnership_decide_renewal(partnership=partnership, decision=renewal, by=secretary)
    partnership.refresh_from_db()
    assert (partnership.state, partnership.approved_version, partnership.term_end) == ("renewed", v3, new_end)

    travel(end)
    services.partnerships_advance()
    partnership.refresh_from_db()
    assert partnership.state == "active"

    system = system_user()
    assert _log(partnership) == [
        ("initiative", "screening", caseworker),
        ("screening", "dialogue", caseworker),
        ("dialogue", "drafting", caseworker),
        ("drafting", "proposed", caseworker),
        ("proposed", "approved", secretary),
        ("approved", "signed", applicant),
        ("signed", "active", caseworker),
        ("active", "follow_up_due", system),
        ("follow_up_due", "active", system),
        ("active", "evaluation", caseworker),
        ("evaluation", "renewal_proposed", caseworker),
        ("renewal_proposed", "renewed", secretary),
        ("renewed", "active", system),
    ]
    agreements = StoredDocument.objects.filter(kind="agreement", object_id=partnership.pk).order_by("version")
    assert agreements.count() == 3  # proposed, signed, renewed
    signed_pdf = agreements[1].file.read()
    assert pdfa_conformance(signed_pdf) == "3B"
    text = pdf_text(signed_pdf)
    assert "Ordförande Olsson" in text and f"Socialnämnden {start - timedelta(days=63):%Y-%m-%d} § 42" in text


def test_an_initiative_that_is_not_suitable_gets_a_decision_letter(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    caseworker = world.users["caseworker"]
    partnership = screened_as_procurement(world)
    with pytest.raises(TransitionRefused, match="ja"):
        services.partnership_screen(partnership=partnership, suitable=True, by=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_screen(
            partnership=partnership,
            suitable=False,
            by=caseworker,
            reason="Det finns en marknad för tjänsten; den ska upphandlas enligt LOU.",
        )
    partnership.refresh_from_db()
    assert partnership.state == "not_suitable"
    assert [(s, t) for s, t, _by in _log(partnership)] == [
        ("initiative", "screening"),
        ("screening", "not_suitable"),
    ]

    letter = StoredDocument.objects.get(kind="not_suitable_letter", object_id=partnership.pk)
    pdf = letter.file.read()
    assert pdfa_conformance(pdf) == "3B"
    text = " ".join(pdf_text(pdf).split())
    assert partnership.case_number in text
    assert "upphandlas enligt LOU" in text
    assert "Föreningen Trygg Vardag" in text

    [mail] = [m for m in mailoutbox if partnership.case_number in m.subject and "Beslut" in m.subject]
    assert mail.to == [world.users["applicant"].email]
    assert f"/partnerskap/{partnership.pk}/dokument/{letter.pk}/" in mail.body


def test_reminders_are_sent_once_even_when_the_task_runs_twice(
    world, travel, django_capture_on_commit_callbacks, mailoutbox
):
    from iop.tasks import iop_run_due

    partnership = in_state(world, "active", start=timezone.localdate())
    due_on = partnership.follow_up_due_on(1)
    travel(due_on - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        iop_run_due()
        iop_run_due()
    travel(due_on + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        iop_run_due()
        iop_run_due()
    keys = sorted(OutboxMessage.objects.filter(key__startswith="iop:follow-up").values_list("key", flat=True))
    assert keys == [f"iop:follow-up:{partnership.pk}:1:due", f"iop:follow-up:{partnership.pk}:1:overdue"]
    assert len([m for m in mailoutbox if "uppföljning" in m.subject]) == 2
    partnership.refresh_from_db()
    assert partnership.state == "follow_up_due"
    assert StateLog.objects.for_(partnership).filter(state="follow_up_due").count() == 1


def test_a_partnership_ended_early_keeps_the_reason(world):
    partnership = in_state(world, "active")
    with pytest.raises(TransitionRefused, match="skälet"):
        services.partnership_terminate(partnership=partnership, reason=" ", by=world.users["caseworker"])
    services.partnership_terminate(
        partnership=partnership,
        reason="Församlingen kan inte längre hålla lokalen.",
        by=world.users["caseworker"],
    )
    partnership.refresh_from_db()
    assert partnership.state == Partnership.State.TERMINATED_EARLY
    assert partnership.ended_on == timezone.localdate()
    assert (
        StateLog.objects.for_(partnership).latest("pk").description
        == "Församlingen kan inte längre hålla lokalen."
    )


def test_the_agreement_cannot_be_proposed_before_both_parties_contribute(world):
    caseworker = world.users["caseworker"]
    partnership = in_state(world, "drafting")
    services.agreement_save_version(
        partnership=partnership,
        data=agreement_data(date(2027, 1, 1), date(2029, 1, 1)),
        contributions=[c for c in contributions(2) if c["party"] == "municipality"],
        indicators=INDICATORS,
        members=MEMBERS,
        by=caseworker,
    )
    with pytest.raises(TransitionRefused, match="Båda parter"):
        services.partnership_transition(partnership=partnership, name="propose", by=caseworker)


def test_staff_of_another_municipality_and_other_organisations_cannot_act(world):
    partnership = in_state(world, "screening")
    for role in ("other_caseworker", "other_applicant", "applicant", "member"):
        with pytest.raises(PermissionDenied):
            services.screening_record(partnership=partnership, answers=checklist(), by=world.users[role])
