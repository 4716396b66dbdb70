"""A committee meeting from planning to final decisions, with a case type the engine does not know."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from meetings import services, tasks
from meetings.agenda import BudgetExceeded
from meetings.documents import officer_report_make
from meetings.models import AgendaItem, Decision, Meeting
from meetings.selectors import recused_user_ids
from meetings.services import DecisionData
from tests.workflows.caseapp.models import Budget, Matter
from workflows.models import StoredDocument
from workflows.services import TransitionRefused, system_user

from .factories import BudgetFactory, MatterFactory, aware, meeting_for, member, pdf_text, pdfa_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return {
        "secretary": world.users["secretary"],
        "lars": member(world, "Lars Ledamot", "lars@exemplo.se"),
        "asa": member(world, "Åsa Öberg", "asa@exemplo.se"),
        "member": world.users["member"],
    }


@pytest.fixture
def matters(world):
    trygg = MatterFactory(
        committee=world.committee, organisation=world.organisation, requested=150000, proposed=135000
    )
    idrott = MatterFactory(committee=world.committee, requested=90000, proposed=60000)
    idrott.organisation.name = "Exempelö Idrottsförening"
    idrott.organisation.save()
    kultur = MatterFactory(
        committee=world.committee,
        program="Projektbidrag 2027",
        requested=40000,
        proposed=None,
        motivation="Avslag.",
    )
    return trygg, idrott, kultur


def held_meeting(world, people, matters, clock, django_capture_on_commit_callbacks):
    clock.set(dt.date(2026, 5, 4))
    meeting = meeting_for(world, starts_at=aware(2026, 5, 20))
    secretary = people["secretary"]
    services.agenda_add(meeting=meeting, cases=list(matters), by=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    services.attendance_set(
        meeting=meeting,
        rows=[
            services.AttendanceRow(user=people["lars"], party="S"),
            services.AttendanceRow(user=people["asa"], party="M", adjuster=True),
            services.AttendanceRow(user=people["member"], party="V", adjuster=True),
        ],
        by=secretary,
    )
    clock.set(aware(2026, 5, 20, 15))
    services.meeting_transition(meeting=meeting, name="hold", by=secretary)
    meeting.refresh_from_db()
    return meeting


def test_a_meeting_goes_from_agenda_to_final_decisions(
    world, people, matters, clock, django_capture_on_commit_callbacks
):
    BudgetFactory(committee=world.committee, amount=1000000)
    meeting = held_meeting(world, people, matters, clock, django_capture_on_commit_callbacks)
    trygg, idrott, kultur = matters
    secretary = people["secretary"]

    # The agenda is grouped per program, with the proposal frozen on the items.
    items = list(meeting.items.order_by("order"))
    assert [(i.group_no, i.group) for i in items] == [
        (1, "Verksamhetsstöd 2027 – omgång 1"),
        (1, "Verksamhetsstöd 2027 – omgång 1"),
        (2, "Projektbidrag 2027"),
    ]
    assert items[0].proposed_amount == 135000 and items[0].organisation == world.organisation
    assert items[2].proposed_outcome == "noted"

    # Publishing made the agenda and one officer's report per group, as PDF/A in Swedish.
    kinds = set(StoredDocument.objects.filter(object_id=meeting.pk).values_list("kind", flat=True))
    assert kinds == {"agenda", "officer_report_1", "officer_report_2"}
    report = StoredDocument.objects.get(object_id=meeting.pk, kind="officer_report_1").file.read()
    assert pdfa_claim(report) == "3B"
    text = pdf_text(report)
    assert "Tjänsteutlåtande" in text
    assert "Föreningen Trygg Vardag" in text and "Exempelö Idrottsförening" in text
    assert "150 000 kr" in text and "135 000 kr" in text and "195 000 kr" in text  # proposed total
    assert "Budgetram" in text

    # Lars has a conflict of interest in Trygg Vardag's case.
    trygg_item = items[0]
    services.recusal_declare(
        item=trygg_item, user=people["lars"], reason="Styrelseledamot i föreningen.", by=people["lars"]
    )
    assert recused_user_ids(case=trygg) == {people["lars"].pk}
    assert recused_user_ids(case=idrott) == set()

    # The group is decided at once: Trygg Vardag as proposed, the sports club with an amended amount.
    with django_capture_on_commit_callbacks(execute=True):
        decisions = services.decisions_record(
            meeting=meeting,
            group_no=1,
            decisions={
                items[1].pk: DecisionData(
                    outcome="partly_granted",
                    amount=Decimal(50000),
                    conditions="Redovisning av deltagarantal.",
                    period_start=dt.date(2027, 1, 1),
                    period_end=dt.date(2027, 12, 31),
                    report_due=dt.date(2028, 3, 31),
                    reasons="Nämnden beviljar en del av det sökta beloppet.",
                )
            },
            by=secretary,
        )
    assert [(d.outcome, d.amount) for d in decisions] == [("granted", 135000), ("partly_granted", 50000)]
    trygg.refresh_from_db()
    idrott.refresh_from_db()
    assert (trygg.state, trygg.granted_amount) == ("granted", 135000)
    assert (idrott.state, idrott.granted_amount) == ("granted", 50000)
    assert Budget.objects.get().granted == 185000
    assert services.case_decision(idrott).amount == 50000
    assert not services.decision_may_be_executed(trygg_item)

    # Approval must wait until every item is decided.
    with pytest.raises(TransitionRefused, match="beslut"):
        services.minutes_approve(meeting=meeting, by=people["asa"])
    services.decisions_record(meeting=meeting, group_no=2, by=secretary)
    kultur.refresh_from_db()
    assert kultur.state == "noted"

    # Only the named adjusters approve; when both have, the minutes are approved.
    with pytest.raises(PermissionDenied):
        services.minutes_approve(meeting=meeting, by=people["lars"])
    services.minutes_approve(meeting=meeting, by=people["asa"])
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=meeting, by=people["member"])
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.MINUTES_APPROVED
    assert services.decision_may_be_executed(trygg_item)

    minutes = StoredDocument.objects.filter(object_id=meeting.pk, kind="minutes").order_by("-version").first()
    data = minutes.file.read()
    assert pdfa_claim(data) == "3B"
    text = pdf_text(data)
    assert "Lars Ledamot (S) anmäler jäv och deltar inte i handläggningen av ärendet." in text
    assert "Åsa Öberg (M)" in text and "Delvis beviljad, 50 000 kr" in text
    assert "Redovisning av deltagarantal." in text and "2027-01-01 – 2027-12-31" in text
    extract = StoredDocument.objects.get(
        content_type=ContentType.objects.get_for_model(AgendaItem), object_id=trygg_item.pk
    )
    assert "Protokollsutdrag" in pdf_text(extract.file.read())

    # Posted on the Friday before Midsummer: three weeks ends on Midsummer Eve and moves to Monday.
    clock.set(dt.date(2026, 5, 29))
    services.meeting_post(meeting=meeting, posted_on=dt.date(2026, 5, 29), by=secretary)
    meeting.refresh_from_db()
    assert meeting.appeal_ends_on == dt.date(2026, 6, 22)

    # A member of the municipality appeals the sports club's decision.
    idrott_item = items[1]
    clock.set(dt.date(2026, 6, 10))
    appeal = services.appeal_register(
        item=idrott_item, appellant="Kim Kommuninvånare", lodged_on=dt.date(2026, 6, 10), by=secretary
    )

    # On the last day of the appeal period nothing is final yet; the day after, the check makes it so.
    clock.set(dt.date(2026, 6, 22))
    assert tasks.meetings_finalise_due() == 0
    clock.set(dt.date(2026, 6, 23))
    assert tasks.meetings_finalise_due() == 1
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.FINAL
    log = StateLog.objects.for_(meeting).filter(state="final").get()
    assert log.by == system_user()
    assert services.decision_is_final(trygg_item)
    assert not services.decision_is_final(idrott_item)

    # The appeal is rejected: the decision stands and is final.
    services.appeal_resolve(appeal=appeal, outcome="rejected", resolved_on=dt.date(2026, 9, 1), by=secretary)
    assert services.decision_is_final(idrott_item)

    # Every state change of the meeting has one log row.
    states = list(
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Meeting), object_id=meeting.pk
        ).values_list("state", flat=True)
    )
    assert states == ["agenda_published", "held", "minutes_approved", "posted", "final"]


def test_a_budget_refusal_leaves_nothing_changed(
    world, people, matters, clock, django_capture_on_commit_callbacks
):
    BudgetFactory(committee=world.committee, amount=192500, granted=0)
    meeting = held_meeting(world, people, matters, clock, django_capture_on_commit_callbacks)
    with pytest.raises(BudgetExceeded, match=r"2\s500\skr"):
        services.decisions_record(meeting=meeting, group_no=1, by=people["secretary"])
    assert Decision.objects.count() == 0
    assert set(Matter.objects.values_list("state", flat=True)) == {"proposed"}
    assert Budget.objects.get().granted == 0
    assert not meeting.items.filter(decision__isnull=False).exists()


def test_bad_decisions_are_refused_with_reasons(
    world, people, matters, clock, django_capture_on_commit_callbacks
):
    meeting = held_meeting(world, people, matters, clock, django_capture_on_commit_callbacks)
    item = meeting.items.get(order=1)
    with pytest.raises(ValidationError) as info:
        services.decisions_record(
            meeting=meeting,
            group_no=1,
            decisions={item.pk: DecisionData(outcome="granted")},
            by=people["secretary"],
        )
    assert "belopp" in " ".join(info.value.messages)
    assert Decision.objects.count() == 0


def test_officer_report_shows_a_group_even_when_the_adapter_has_no_budget(
    world, people, matters, clock, django_capture_on_commit_callbacks
):
    meeting = held_meeting(world, people, matters, clock, django_capture_on_commit_callbacks)
    document = officer_report_make(meeting=meeting, group_no=2, by=people["secretary"])
    text = pdf_text(document.file.read())
    assert "Projektbidrag 2027" in text and "Budgetram" not in text


def test_only_the_secretary_plans_and_builds_the_agenda(world, matters):
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            committee=world.committee, starts_at=aware(2026, 6, 1), place="x", by=world.users["member"]
        )
    meeting = meeting_for(world)
    with pytest.raises(PermissionDenied):
        services.agenda_add(meeting=meeting, cases=[matters[0]], by=world.users["caseworker"])


def test_a_case_of_another_committee_cannot_be_put_on_the_agenda(world, matters):
    other = MatterFactory(committee=world.other_committee)
    meeting = meeting_for(world)
    with pytest.raises(TransitionRefused, match="väntar inte"):
        services.agenda_add(meeting=meeting, cases=[other], by=world.users["secretary"])
    assert not meeting.items.exists()


def test_a_meeting_cannot_be_held_without_attendance_and_two_adjusters(world, matters):
    meeting = meeting_for(world)
    secretary = world.users["secretary"]
    services.agenda_add(meeting=meeting, cases=[matters[0]], by=secretary)
    services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    with pytest.raises(TransitionRefused) as info:
        services.meeting_transition(meeting=meeting, name="hold", by=secretary)
    assert "närvarande" in str(info.value) and "justerare" in str(info.value)


def test_only_committee_members_can_attend(world):
    meeting = meeting_for(world)
    with pytest.raises(ValidationError):
        services.attendance_set(
            meeting=meeting,
            rows=[services.AttendanceRow(user=world.users["caseworker"])],
            by=world.users["secretary"],
        )


def test_an_appeal_after_the_period_is_refused(
    world, people, matters, clock, django_capture_on_commit_callbacks
):
    meeting = held_meeting(world, people, matters, clock, django_capture_on_commit_callbacks)
    secretary = people["secretary"]
    services.decisions_record(meeting=meeting, group_no=1, by=secretary)
    services.decisions_record(meeting=meeting, group_no=2, by=secretary)
    services.minutes_approve(meeting=meeting, by=people["asa"])
    services.minutes_approve(meeting=meeting, by=people["member"])
    clock.set(dt.date(2026, 5, 29))
    services.meeting_post(meeting=meeting, posted_on=dt.date(2026, 5, 29), by=secretary)
    clock.set(dt.date(2026, 7, 1))
    with pytest.raises(ValidationError, match="2026-06-22"):
        services.appeal_register(
            item=meeting.items.get(order=1),
            appellant="Sen Klagande",
            lodged_on=dt.date(2026, 6, 30),
            by=secretary,
        )


def test_a_decision_annulled_on_appeal_is_never_final_nor_executable(
    world, people, matters, clock, django_capture_on_commit_callbacks
):
    meeting = held_meeting(world, people, matters, clock, django_capture_on_commit_callbacks)
    secretary = people["secretary"]
    services.decisions_record(meeting=meeting, group_no=1, by=secretary)
    services.decisions_record(meeting=meeting, group_no=2, by=secretary)
    services.minutes_approve(meeting=meeting, by=people["asa"])
    services.minutes_approve(meeting=meeting, by=people["member"])
    clock.set(dt.date(2026, 5, 29))
    services.meeting_post(meeting=meeting, posted_on=dt.date(2026, 5, 29), by=secretary)
    item = meeting.items.get(order=1)
    appeal = services.appeal_register(item=item, appellant="K", lodged_on=dt.date(2026, 5, 29), by=secretary)
    services.appeal_resolve(appeal=appeal, outcome="annulled", resolved_on=dt.date(2026, 6, 5), by=secretary)
    clock.set(dt.date(2026, 7, 1))
    services.meetings_finalise_due()
    assert not services.decision_is_final(item)
    assert not services.decision_may_be_executed(item)
