"""Building blocks for tests of decisions, letters and payments: a round of proposed
applications from several organisations, and a committee meeting that decides them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from grants import services
from grants.models import Application
from meetings import services as meetings
from organizations.models import StaffRole
from payments import services as payments_services

from ..factories import OrganisationFactory, StaffRoleFactory, UserFactory, active_role
from .factories import draft_application, open_round


def aware(day: dt.date, hour: int = 13) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def organisation_with_user(world, name: str, *, account: bool = True, index: int = 0):
    organisation = OrganisationFactory(
        name=name,
        active_in=[world.municipality],
        email=f"kassor{index}@forening{index}.example",
        account_type="bankgiro" if account else "",
        account_number=f"5050{index:04d}" if account else "",
    )
    user = UserFactory(email=f"kassor{index}@forening{index}.example", full_name=f"Kassör {name}")
    active_role(user, organisation)
    return organisation, user


def proposed_application(world, *, organisation, user, requested, proposed, assessors=None) -> Application:
    """An application walked through the services to "proposed"."""
    caseworker = world.users["caseworker"]
    application = draft_application(world, organisation=organisation, user=user)
    application = Application.objects.get(pk=application.pk)
    application = services.application_save(application=application, by=user, requested_amount=requested)
    application = services.application_submit(application=application, by=user)
    application = services.application_accept(application=application, by=caseworker)
    criteria = world.objects["config"]["criteria"]
    for assessor, (reach, quality) in (assessors or {caseworker: (4, 3)}).items():
        services.assessment_save(
            application=application,
            by=assessor,
            scores={
                str(criteria["reach"].pk): {"score": reach},
                str(criteria["quality"].pk): {"score": quality},
            },
            complete=True,
        )
    application = services.application_finish_assessment(application=application, by=caseworker)
    return services.application_propose(
        application=application, by=caseworker, amount=proposed, motivation="Väl förankrad verksamhet."
    )


def second_caseworker(world):
    user = UserFactory(email="kollega@exemplo.se", full_name="Karin Kollega")
    StaffRoleFactory(user=user, municipality=world.municipality, role=StaffRole.Role.CASEWORKER)
    return user


def members(world):
    """Two committee members (Lars and the world's member), the adjusters of a meeting."""
    if "lars" not in world.objects:
        lars = UserFactory(email="lars@exemplo.se", full_name="Lars Ledamot")
        StaffRoleFactory(user=lars, municipality=world.municipality, role=StaffRole.Role.MEMBER)
        world.objects["lars"] = lars
    return world.objects["lars"], world.users["member"]


def held_meeting(world, *, starts_at: dt.datetime, cases, adjusters, clock=None):
    """A meeting with ``cases`` on its agenda, published and held with two adjusters."""
    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        committee=world.committee, starts_at=starts_at, place="Kommunhuset, Exempelö", by=secretary
    )
    meetings.agenda_add(meeting=meeting, cases=list(cases), by=secretary)
    meetings.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    meetings.attendance_set(
        meeting=meeting,
        rows=[meetings.AttendanceRow(user=u, party="S", adjuster=True) for u in adjusters],
        by=secretary,
    )
    if clock is not None:
        clock.set(starts_at + dt.timedelta(hours=2))
    meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
    meeting.refresh_from_db()
    return meeting


def round_of_three(world):
    """Trygg Vardag (the world's organisation), an open-air club and a choir, all proposed.

    The program's budget is 135 000 kr with 84 000 kr earmarked: 51 000 kr is free.
    """
    open_round(world)
    world.organisation.account_type = "bankgiro"
    world.organisation.account_number = "56781234"
    world.organisation.email = "styrelsen@tryggvardag.example"
    world.organisation.save()
    trygg = proposed_application(
        world, organisation=world.organisation, user=world.users["applicant"], requested=40000, proposed=30000
    )
    friluft, friluft_user = organisation_with_user(
        world, "Friluftsfrämjandet Exempelö", index=1, account=False
    )
    friluft_app = proposed_application(
        world, organisation=friluft, user=friluft_user, requested=20000, proposed=15000
    )
    kor, kor_user = organisation_with_user(world, "Kören Ödmjuk", index=2)
    kor_app = proposed_application(world, organisation=kor, user=kor_user, requested=30000, proposed=0)
    return trygg, friluft_app, kor_app


__all__ = ["Decimal"]


#: the municipality's payment account in the tests (a valid Swedish IBAN and a bank's BIC)
DEBTOR_IBAN = "SE4550000000058398257466"
DEBTOR_BIC = "ESSESESS"


def decided_meeting(world):
    """A meeting of the world's committee that granted the world organisation's application: minutes
    approved and posted, the letter made, two payments planned and the first exported.

    Memoised in ``world.objects["decided"]`` as a dict of meeting, application, letter, batch.
    """
    if "decided" in world.objects:
        return world.objects["decided"]
    from grants.models import DecisionLetter
    from payments.models import Payment
    from workflows.services import system_user

    from .factories import application_in

    secretary = world.users["secretary"]
    world.organisation.account_type = "bankgiro"
    world.organisation.account_number = "56781234"
    world.organisation.save()
    application = application_in(world, "proposed", key="app-decided")
    program = application.round.program
    program.instalments = 2
    program.save()
    today = timezone.localdate()
    meeting = held_meeting(
        world,
        starts_at=timezone.now() - dt.timedelta(days=2),
        cases=[application],
        adjusters=members(world),
    )
    meetings.decisions_record(meeting=meeting, group_no=1, by=secretary)
    for attendance in meeting.attendances.filter(adjuster=True):
        meetings.minutes_approve(meeting=meeting, by=attendance.user)
    meetings.meeting_post(meeting=meeting, posted_on=today, by=secretary)
    services.payments_create_due()
    job = services.letter_job_start(meeting=meeting, by=secretary)
    services.letter_job_run(job_id=job.pk)
    world.municipality.payment_iban, world.municipality.payment_bic = DEBTOR_IBAN, DEBTOR_BIC
    world.municipality.save()
    batch = payments_services.payment_run_create(
        by=world.users["caseworker"], due_until=today + dt.timedelta(days=400)
    )
    batch = payments_services.payment_run_export(
        run=batch, by=world.users["caseworker"], file_format="pain001"
    )
    world.objects["decided"] = {
        "meeting": meeting,
        "application": Application.objects.get(pk=application.pk),
        "letter": DecisionLetter.objects.get(application=application),
        "batch": batch,
        "payment": Payment.objects.filter(application=application).order_by("instalment").first(),
        "system": system_user(),
    }
    return world.objects["decided"]
