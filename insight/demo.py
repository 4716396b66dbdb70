"""Demo data for the register and the dashboards: last year's operating grants, decided and posted.

This year's cases (grants/demo.py, iop/demo.py) give only a few public decisions; a full year
before it makes the public register, the open-data files and the trend worth looking at.
Everything goes through the services, like a real year, each step on its day of last year
(``workflows.demo_story``): applications submitted in March, assessed and proposed in April,
decided at the meeting of 20 May whose minutes were approved and posted, payments made.
Idempotent: nothing is added when last year's round already has applications.  The seed ends
by refreshing the public register (``RegisterEntry``) of every municipality.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from grants import services
from grants.demo import _applicant, _at, _round, _walk, day_end, letters_made, pay_due, payments_from
from grants.models import Application, Program, ProgramBudget, Round
from workflows.demo_story import happened, registered, spread

#: (organisation index, amount applied for, target group)
LAST_YEAR = [
    (0, 45000, "Äldre"),
    (1, 30000, "Barn och unga"),
    (2, 25000, "Alla"),
    (4, 20000, "Personer med funktionsnedsättning"),
    (5, 35000, "Barn och unga"),
    (9, 28000, "Äldre"),
    (12, 22000, "Alla"),
    (16, 40000, "Barn och unga"),
]


def seed(context: dict) -> None:
    """Last year's round, then the public register of every municipality (the demo's cases are
    walked inside one transaction, so the refreshes the services schedule run only after it)."""
    from .services import register_refresh_all

    _last_year(context)
    register_refresh_all()


def _last_year(context: dict) -> None:
    from meetings import services as meetings
    from meetings.demo import attendance as demo_attendance
    from meetings.demo import second_member
    from meetings.models import Decision, Meeting
    from workflows.services import system_user

    committee = context["committees"]["SN"]
    users = context["users"]
    secretary, caseworker, lars = users["secretary"], users["caseworker"], users["member"]
    organisations = context["organisations"]
    operating = (
        Program.objects.filter(committee=committee, kind=Program.Kind.OPERATING).order_by("pk").first()
    )
    if operating is None:
        return
    today = timezone.localdate()
    year = today.year - 1
    name = f"Verksamhetsstöd {year}"
    if Application.objects.filter(round__program=operating, round__name=name).exists():
        return
    ProgramBudget.objects.get_or_create(program=operating, year=year, defaults={"amount": Decimal("300000")})
    now = timezone.now()
    round = _round(operating, name, opens=now - timedelta(days=1), closes=now + timedelta(days=1))
    Round.objects.filter(pk=round.pk).update(year=year)
    round.refresh_from_db()
    applications = []
    agenda_published = _at(date(year, 5, 8), 9)
    for offset, (index, amount, target) in enumerate(LAST_YEAR):
        organisation = organisations[index]
        user = _applicant(organisation, f"ansokan{index + 1}@forening.example", f"Kassör {organisation.name}")
        submitted = _at(date(year, 3, 1) + timedelta(days=3 * offset), 10)
        _walk(round, organisation, user, "draft", caseworker, amount=amount, submitted=submitted)
        application = Application.objects.get(round=round, organisation=organisation)
        keys = {f["label"]: f["key"] for f in application.snapshot["fields"]}
        services.application_save(
            application=application,
            by=user,
            answers={**application.answers, keys["Huvudsaklig målgrupp"]: target},
        )
        _continue(
            application,
            user,
            caseworker,
            amount,
            moments=spread(submitted, agenda_published - timedelta(days=3), 4),
        )
        applications.append(Application.objects.get(pk=application.pk))
    # The round ran in the spring of last year (its dates are configuration, not a state change).
    Round.objects.filter(pk=round.pk).update(
        opens_at=_at(date(year, 2, 1), 0), closes_at=day_end(_at(date(year, 3, 31)))
    )
    day = date(year, 5, 20)
    meeting = meetings.meeting_create(
        committee=committee, starts_at=_at(day), place="Kommunhuset, sammanträdesrum Ön", by=secretary
    )
    Meeting.objects.filter(pk=meeting.pk).update(created_at=agenda_published - timedelta(days=14))
    items = meetings.agenda_add(meeting=meeting, cases=applications, by=secretary)
    with happened(agenda_published):
        meetings.meeting_transition(
            meeting=meeting, name="publish_agenda", by=secretary, reason="Kallelse skickad"
        )
    asa = second_member(context["municipality"])
    meetings.attendance_set(
        meeting=meeting,
        rows=demo_attendance(),
        by=secretary,
    )
    with happened(meeting.starts_at):
        meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
    with happened(meeting.starts_at):  # decided at the meeting (the decisions carry its time)
        meetings.decisions_record(meeting=meeting, group_no=items[0].group_no, by=secretary)
    approved = day + timedelta(days=1)
    with happened(_at(approved, 10)):
        meetings.minutes_approve(meeting=meeting, by=lars)
    with happened(_at(approved, 14)):
        meetings.minutes_approve(meeting=meeting, by=asa)
    posted = _at(day + timedelta(days=2), 9)
    with happened(posted):
        meetings.meeting_post(meeting=meeting, posted_on=day + timedelta(days=2), by=secretary)
    Meeting.objects.filter(pk=meeting.pk).update(posted_at=posted)
    with happened(posted + timedelta(hours=2)):
        job = services.letter_job_start(meeting=meeting, by=secretary)
        services.letter_job_run(job_id=job.pk)
    letters_made(meeting, applications, posted + timedelta(hours=2))
    meeting.refresh_from_db()
    final = _at(meeting.appeal_ends_on + timedelta(days=1), 6)
    with happened(final):
        meetings.meeting_make_final(meeting=meeting, by=system_user())
    Decision.objects.filter(item__meeting=meeting).update(final_at=final)
    # planned as the minutes were approved (the hourly scan does not look back that far)
    for application in applications:
        services.payments_plan(application=application, by=system_user())
    payments_from(applications, planned=_at(approved, 14))
    pay_due(by=caseworker)


def _continue(application: Application, user, caseworker, amount: int, *, moments) -> None:
    """Submit, assess and propose a filled-in draft (as grants.demo walks its cases), each of the
    four steps at its moment."""
    sent, accepted, assessed, proposed = moments
    with happened(sent):
        application = services.application_submit(application=application, by=user)
    Application.objects.filter(pk=application.pk).update(
        created_at=sent - timedelta(days=2), submitted_at=sent
    )
    registered(application, sent)
    for rule in application.eligibility:
        if not rule["ok"]:
            services.eligibility_override(
                application=application,
                by=caseworker,
                rule=rule["kind"],
                reason="Undantag enligt nämndens beslut.",
            )
    with happened(accepted):
        services.application_accept(application=application, by=caseworker)
    criteria = application.snapshot["criteria"]
    with happened(assessed):
        services.assessment_save(
            application=application,
            by=caseworker,
            scores={str(c["id"]): {"score": 4 if i == 0 else 3} for i, c in enumerate(criteria)},
            comment="Etablerad verksamhet med bred förankring.",
            complete=True,
        )
        services.application_finish_assessment(application=application, by=caseworker)
    with happened(proposed):
        services.application_propose(
            application=application,
            by=caseworker,
            amount=Decimal(amount) - Decimal("5000"),
            motivation="Verksamheten uppfyller programmets syfte; föreslaget belopp efter prioritering.",
        )
