"""A round of grant applications decided by the committee: agenda, recusal, amended amount,
budget check, minutes, letters, e-mails, payments and finality after the appeal period."""

import datetime as dt
from decimal import Decimal

import pytest

from grants import services
from grants.models import Application
from meetings import services as meetings
from meetings.agenda import BudgetExceeded
from meetings.models import Decision
from meetings.services import DecisionData
from payments import services as payments_services

from .decisions import aware, held_meeting, members, round_of_three

pytestmark = pytest.mark.django_db

S = Application.State


@pytest.fixture
def start(clock):
    clock.set(dt.date(2027, 2, 1))


def test_granting_more_than_the_free_budget_is_refused_and_changes_nothing(world, start, clock):
    trygg, friluft, kor = round_of_three(world)
    meeting = held_meeting(
        world,
        starts_at=aware(dt.date(2027, 3, 10)),
        cases=[trygg, friluft, kor],
        adjusters=members(world),
        clock=clock,
    )
    items = {i.object_id: i for i in meeting.items.all()}
    with pytest.raises(BudgetExceeded, match="överskrider den fria budgeten med 2\u00a0500\u00a0kr"):
        meetings.decisions_record(
            meeting=meeting,
            group_no=1,
            decisions={items[trygg.pk].pk: DecisionData(outcome="granted", amount=Decimal(38500))},
            by=world.users["secretary"],
        )
    assert Decision.objects.count() == 0
    assert set(Application.objects.values_list("state", flat=True)) == {S.PROPOSED}


def test_a_round_goes_through_the_meeting_to_letters_payments_and_final_decisions(
    world, start, clock, django_capture_on_commit_callbacks, mailoutbox, client
):
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    from grants.models import DecisionLetter, LetterJob
    from meetings.documents import officer_report_context
    from meetings.selectors import agenda_groups, agenda_items
    from payments.models import Payment
    from workflows.models import OutboxMessage

    from ..pdf import pdf_text, pdfa_conformance
    from .decisions import second_caseworker

    secretary, caseworker = world.users["secretary"], world.users["caseworker"]
    program = world.objects.get("program")
    trygg, friluft, kor = round_of_three(world)
    program = trygg.round.program
    program.instalments = 2
    program.appeal_court = "Förvaltningsrätten i Exempelstad"
    program.save()

    # The agenda offers the three proposed applications under the program and round.
    meeting = meetings.meeting_create(
        committee=world.committee, starts_at=aware(dt.date(2027, 3, 10)), place="Kommunhuset", by=secretary
    )
    from meetings.selectors import agenda_candidates

    ((label, candidates),) = agenda_candidates(meeting=meeting)
    assert (
        label
        == f"Verksamhetsstöd till sociala föreningar 2027 – {trygg.round.name[:1].lower()}{trygg.round.name[1:]}"
    )
    assert {c.case.pk for c in candidates} == {trygg.pk, friluft.pk, kor.pk}
    meetings.agenda_add(meeting=meeting, cases=[trygg, friluft, kor], by=secretary)
    items = {i.object_id: i for i in meeting.items.all()}
    assert [items[a.pk].proposed_outcome for a in (trygg, friluft, kor)] == [
        "partly_granted",
        "partly_granted",
        "rejected",
    ]

    # A second caseworker assessed Trygg Vardag and is recused (jäv): her score does not count.
    karin = second_caseworker(world)
    from grants.models import Assessment

    criteria = world.objects["config"]["criteria"]
    Application.objects.filter(pk=trygg.pk).update(state=S.IN_ASSESSMENT)
    services.assessment_save(
        application=Application.objects.get(pk=trygg.pk),
        by=karin,
        scores={str(criteria["reach"].pk): {"score": 1}, str(criteria["quality"].pk): {"score": 1}},
        complete=True,
    )
    Application.objects.filter(pk=trygg.pk).update(state=S.PROPOSED)
    assert Assessment.objects.filter(application=trygg).count() == 2
    meetings.recusal_declare(
        item=items[trygg.pk], user=karin, reason="Sitter i föreningens styrelse.", by=secretary
    )
    groups, _info = agenda_groups(agenda_items(meeting=meeting))
    report = officer_report_context(meeting, groups[0])
    scores = {row["case_number"]: row["score"] for row in report["rows"]}
    assert scores[trygg.case_number] == Decimal("3.67")  # caseworker's 4 and 3 only, weighted 2:1
    assert report["frame"]["amount"] == 135000 and report["frame"]["committed"] == 84000

    lars, member = members(world)
    meetings.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    meetings.attendance_set(
        meeting=meeting,
        rows=[meetings.AttendanceRow(user=u, party="S", adjuster=True) for u in (lars, member)],
        by=secretary,
    )
    clock.set(aware(dt.date(2027, 3, 10), 15))
    meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)

    # Decided: Trygg Vardag as proposed, the open-air club with an amended amount, the choir rejected.
    meetings.decisions_record(
        meeting=meeting,
        group_no=1,
        decisions={
            items[friluft.pk].pk: DecisionData(
                outcome="partly_granted",
                amount=Decimal(12000),
                conditions="Redovisa antalet deltagare per aktivitet.",
                period_start=dt.date(2027, 4, 1),
                period_end=dt.date(2028, 3, 31),
                report_due=dt.date(2028, 4, 30),
                reasons="Nämnden prioriterar verksamhet för barn.",
            ),
            items[trygg.pk].pk: DecisionData(
                outcome="partly_granted",
                amount=Decimal(30000),
                period_start=dt.date(2027, 4, 1),
                period_end=dt.date(2027, 12, 31),
                report_due=dt.date(2028, 3, 31),
                reasons="Väl förankrad verksamhet.",
            ),
        },
        by=secretary,
    )
    trygg, friluft, kor = (Application.objects.get(pk=a.pk) for a in (trygg, friluft, kor))
    assert (trygg.state, trygg.granted_amount) == (S.PARTLY_GRANTED, 30000)
    assert (friluft.state, friluft.granted_amount) == (S.PARTLY_GRANTED, 12000)
    assert (kor.state, kor.granted_amount) == (S.REJECTED, None)
    assert friluft.decision.conditions == "Redovisa antalet deltagare per aktivitet."
    assert trygg.score == Decimal("3.67")
    from grants.models import ProgramBudget, budget_free

    assert budget_free(ProgramBudget.objects.get(program=program))["free"] == 51000 - 42000
    # Nothing is paid before the minutes are approved.
    assert services.payments_create_due() == {"planned": 0, "refused": 0}

    with django_capture_on_commit_callbacks(execute=True):
        meetings.minutes_approve(meeting=meeting, by=lars)
        meetings.minutes_approve(meeting=meeting, by=member)
    # The approval planned Trygg Vardag's two halves; the club has no registered account.
    payments = list(Payment.objects.filter(application=trygg).order_by("instalment"))
    assert [(p.amount, p.account_number, p.state) for p in payments] == [
        (15000, "56781234", "planned"),
        (15000, "56781234", "planned"),
    ]
    assert payments[0].due_on == dt.date(2027, 4, 1) and payments[1].due_on > dt.date(2027, 8, 1)
    assert not Payment.objects.filter(application=friluft).exists()
    with pytest.raises(Exception, match="bankgiro eller plusgiro"):
        services.payments_plan(application=friluft, by=caseworker)

    clock.set(dt.date(2027, 3, 12))
    meetings.meeting_post(meeting=meeting, posted_on=dt.date(2027, 3, 12), by=secretary)
    meeting.refresh_from_db()
    assert meeting.appeal_ends_on == dt.date(2027, 4, 2)

    # The secretary makes the letters: one job, one letter and one e-mail per applicant, also when run twice.
    with django_capture_on_commit_callbacks(execute=True):
        job = services.letter_job_start(meeting=meeting, by=secretary)
    job.refresh_from_db()
    assert (job.state, job.total, job.done, job.failed) == (LetterJob.State.DONE, 3, 3, 0)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.letter_job_start(meeting=meeting, by=secretary)
    again.refresh_from_db()
    assert again.pk != job.pk and again.done == 3
    assert DecisionLetter.objects.count() == 3
    assert OutboxMessage.objects.filter(key__startswith="decision-letter:").count() == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "kassor1@forening1.example",
        "kassor2@forening2.example",
        "styrelsen@tryggvardag.example",
    ]

    letter = DecisionLetter.objects.get(application=friluft)
    data = letter.document.file.read()
    assert pdfa_conformance(data) == "3B"
    text = " ".join(pdf_text(data).replace("\u00a0", " ").split())
    assert "Friluftsfrämjandet Exempelö" in text
    assert "Delvis beviljad" in text and "12 000 kr" in text and "20 000 kr" in text
    assert "Redovisa antalet deltagare per aktivitet." in text
    assert "2027-04-01 – 2028-03-31" in text and "2028-04-30" in text
    assert "Nämnden prioriterar verksamhet för barn." in text
    assert "laglighetsprövning" in text and "Förvaltningsrätten i Exempelstad" in text
    assert "tre veckor" in text and "2027-04-02" in text
    rejection = " ".join(pdf_text(DecisionLetter.objects.get(application=kor).document.file.read()).split())
    assert "avslås" in rejection and "Avslag" in rejection

    # Finance: the payments due are exported once as a CSV file and then marked paid.
    clock.set(dt.date(2027, 4, 1))
    batch = payments_services.payments_export(by=caseworker, due_until=dt.date(2027, 4, 1))
    assert batch.count == 1 and batch.total == 15000
    with pytest.raises(Exception, match="Det finns inga planerade utbetalningar"):
        payments_services.payments_export(by=caseworker, due_until=dt.date(2027, 4, 1))
    payments_services.payment_batch_mark_paid(batch=batch, by=caseworker)
    first = Payment.objects.get(application=trygg, instalment=1)
    assert (first.state, first.paid_on) == ("paid", dt.date(2027, 4, 1))
    log = list(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Payment), object_id=first.pk
        ).values_list("source_state", "state")
    )
    assert log == [("planned", "exported"), ("exported", "paid")]

    # Not final during the appeal period; final the day after it, read from the meeting engine.
    assert not meetings.decision_is_final(trygg.decision)
    clock.set(dt.date(2027, 4, 3))
    assert meetings.meetings_finalise_due() == 1
    trygg.refresh_from_db()
    assert meetings.decision_is_final(Decision.objects.get(pk=trygg.decision_id))

    # The applicant sees it on the case and its timeline.
    from django.urls import reverse

    client.force_login(world.users["applicant"])
    page = client.get(reverse("grants:application_detail", kwargs={"pk": trygg.pk})).content.decode()
    assert "Ja, sedan 2027-04-03." in page and "Beslutet har vunnit laga kraft" in page
    assert "Utbetalning 1 av 2 gjord: 15\u00a0000\u00a0kr" in page


def test_a_decision_annulled_on_appeal_cancels_what_is_not_paid_and_keeps_what_is(world):
    from django_fsm_log.models import StateLog

    from payments.models import Payment

    from .decisions import decided_meeting

    decided = decided_meeting(world)
    application, secretary = decided["application"], world.users["secretary"]
    first, second = Payment.objects.filter(application=application).order_by("instalment")
    payments_services.payment_mark_paid(payment=first, by=world.users["caseworker"])
    assert Payment.objects.get(pk=second.pk).state in ("planned", "exported")

    item = decided["meeting"].items.get(object_id=application.pk)
    appeal = meetings.appeal_register(
        item=item, appellant="Kim Kommuninvånare", lodged_on=dt.date.today(), by=secretary
    )
    meetings.appeal_resolve(appeal=appeal, outcome="annulled", resolved_on=dt.date.today(), by=secretary)

    assert Payment.objects.get(pk=first.pk).state == "paid"
    second = Payment.objects.get(pk=second.pk)
    assert second.state == "cancelled"
    (log,) = StateLog.objects.for_(second).filter(transition="cancel")
    assert log.by.is_system and "upphävdes" in log.description
