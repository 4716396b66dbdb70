"""Awards for tests: Socialnämnden's prize with an open nomination round, candidates in any state."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from awards import services
from awards.models import AwardSettings, Candidate
from grants.models import Criterion, EligibilityRule, Program

from ..grants.factories import ProgramFactory, RoundFactory

AWARD_NAME = "Socialnämndens pris för ett starkare vardagsliv"


def award_round(world, *, nominators="public", recipients=1, key="award_round"):
    """An award program of the world's committee with an open nomination round (memoised)."""
    if key in world.objects:
        return world.objects[key]
    program = ProgramFactory(
        committee=world.committee,
        municipality=world.municipality,
        kind=Program.Kind.AWARD,
        name=AWARD_NAME,
        rules_reference="KFS 50:14",
        rules_text="Priset delas ut till en förening eller organisation som är verksam i kommunen.",
        description="Till en förening som gör vardagen lättare för människor som behöver stöd.",
        delegation_limit=None,
    )
    AwardSettings.objects.create(
        program=program, amount=Decimal("10000"), recipients=recipients, nominators=nominators
    )
    EligibilityRule.objects.create(
        program=program, kind="org_kinds", params={"kinds": ["nonprofit", "religious", "foundation"]}
    )
    EligibilityRule.objects.create(program=program, kind="active_in_municipality", params={})
    criteria = {
        "impact": Criterion.objects.create(
            program=program, name="Gör skillnad i vardagen", weight=Decimal("2"), order=1
        ),
        "reach": Criterion.objects.create(program=program, name="Når många", weight=Decimal("1"), order=2),
    }
    round = RoundFactory(
        program=program,
        name=f"Nomineringar {timezone.localdate().year}",
        opens_at=timezone.now() - timedelta(days=5),
        closes_at=timezone.now() + timedelta(days=25),
    )
    world.objects[key] = round
    world.objects[f"{key}:criteria"] = criteria
    return round


def nomination_data(**overrides) -> services.NominationData:
    values = {
        "kind": "organisation",
        "nominee_name": "Föreningen Trygg Vardag",
        "nominee_org_number": "",
        "motivation": "De ordnar träffar varje vecka för äldre som bor ensamma.",
        "nominator_name": "Åke Nominerare",
        "nominator_email": "ake@example.se",
    }
    values.update(overrides)
    return services.NominationData(**values)


def candidate_in(world, state: str, *, key: str = "candidate"):
    """The world's organisation as a candidate walked through the services to ``state`` (memoised)."""
    from django.contrib.auth.models import AnonymousUser

    if key in world.objects:
        return world.objects[key]
    round = award_round(world)
    nomination = services.nomination_submit(round=round, data=nomination_data(), by=AnonymousUser())
    candidate = nomination.candidate
    caseworker = world.users["caseworker"]
    if state != "received":
        candidate = services.candidate_screen(candidate=candidate, by=caseworker)
    if state in ("shortlisted", "awarded", "announced"):
        criteria = world.objects["award_round:criteria"]
        services.candidate_assess(
            candidate=candidate,
            by=caseworker,
            scores={str(criteria["impact"].pk): {"score": 5}, str(criteria["reach"].pk): {"score": 4}},
            complete=True,
        )
        candidate = services.candidate_shortlist(candidate=candidate, by=caseworker)
        services.candidate_propose(
            candidate=candidate, by=caseworker, proposal="awarded", motivation="För trygghet i vardagen."
        )
    if state in ("awarded", "announced"):
        decided_at_meeting(world, [candidate])
    if state == "announced":
        services.candidate_announce(candidate=candidate, by=caseworker)
    candidate = Candidate.objects.get(pk=candidate.pk)
    world.objects[key] = candidate
    return candidate


def decided_at_meeting(world, candidates, *, decisions=None, posted=True):
    """The committee decides ``candidates`` as proposed (or as ``decisions`` says, by candidate pk)
    at a meeting held ten days ago; its minutes are approved and, with ``posted``, posted today."""
    from meetings import services as meetings

    from ..workflows.factories import member

    secretary = world.users["secretary"]
    meeting = meetings.meeting_create(
        committee=world.committee,
        starts_at=timezone.now() - timedelta(days=10),
        place="Kommunhuset",
        by=secretary,
    )
    candidates = list(Candidate.objects.filter(pk__in=[c.pk for c in candidates]).order_by("pk"))
    items = meetings.agenda_add(meeting=meeting, cases=candidates, by=secretary)
    second = member(world, "Bo Bergström", f"bo{meeting.pk}@exemplo.se")
    meetings.attendance_set(
        meeting=meeting,
        rows=[
            meetings.AttendanceRow(user=world.users["member"], adjuster=True),
            meetings.AttendanceRow(user=second, adjuster=True),
        ],
        by=secretary,
    )
    meetings.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
    if decisions is not None:
        decisions = {item.pk: decisions[item.object_id] for item in items if item.object_id in decisions}
    for group_no in sorted({item.group_no for item in items}):
        meetings.decisions_record(meeting=meeting, group_no=group_no, decisions=decisions, by=secretary)
    meetings.minutes_approve(meeting=meeting, by=world.users["member"])
    meetings.minutes_approve(meeting=meeting, by=second)
    if posted:
        meetings.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=secretary)
    meeting.refresh_from_db()
    return meeting
