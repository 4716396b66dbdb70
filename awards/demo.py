"""Demo data of awards: Socialnämndens pris för ett starkare vardagsliv.

This year's nomination round is open, with nominations (one organisation
twice, an informal network, a private person) screened and partly scored;
last year's round is decided and its recipient is on the public page.
Idempotent, and every state change goes through the services, on its day (``workflows.demo_story``).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from grants.demo import day_end, day_start
from grants.models import Criterion, EligibilityRule, Program, Round
from meetings import services as meetings
from meetings.models import Decision
from organizations.models import Delegation, StaffRole
from workflows.demo_story import at, happened, registered

from . import services
from .models import AwardSettings, Candidate, Nomination

NAME = "Socialnämndens pris för ett starkare vardagsliv"
#: whom the award's letters name as the contact (the demo's program administrator runs the award)
CONTACT = {
    "contact_name": "Petra Programansvarig",
    "contact_email": "programadmin@exemplo.se",
    "contact_phone": "0123-456 720",
}


def _program(committee) -> Program:
    program, created = Program.objects.get_or_create(
        municipality=committee.municipality,
        committee=committee,
        name=NAME,
        defaults={
            "kind": Program.Kind.AWARD,
            "rules_reference": "KFS 50:14",
            "rules_text": (
                "Priset delas ut en gång om året till en förening eller organisation som är verksam i "
                "kommunen och gör vardagen lättare för människor som behöver stöd. Priset kan inte ges "
                "till ett informellt nätverk eller en privatperson."
            ),
            "description": "Socialnämnden delar varje år ut 10 000 kr till en förening som stärker vardagslivet.",
            "who_may_apply": "Föreningar och organisationer verksamma i Exempelö kommun. Alla får nominera.",
            **CONTACT,
        },
    )
    if not (program.contact_name or program.contact_email):  # a demo seeded before programs had one
        Program.objects.filter(pk=program.pk).update(**CONTACT)
        program.refresh_from_db()
    if created:
        AwardSettings.objects.create(program=program, amount=Decimal("10000"), recipients=1)
        EligibilityRule.objects.create(
            program=program, kind="org_kinds", params={"kinds": ["nonprofit", "religious", "foundation"]}
        )
        EligibilityRule.objects.create(program=program, kind="active_in_municipality", params={})
        Criterion.objects.create(
            program=program,
            name="Gör skillnad i vardagen",
            guidance="Hur mycket lättare blir vardagen för dem som verksamheten når?",
            weight=Decimal("2"),
            order=1,
        )
        Criterion.objects.create(program=program, name="Ideellt engagemang", weight=Decimal("1"), order=2)
    return program


def _round(program, year: int, opens, closes) -> tuple[Round, bool]:
    return Round.objects.get_or_create(
        program=program,
        name=f"Nomineringar {year}",
        defaults={"year": year, "opens_at": day_start(opens), "closes_at": day_end(closes)},
    )


def _nominate(
    round, organisations, kind="organisation", name="", org_number="", who=("", ""), why="", *, days_ago
):
    """A nomination sent ``days_ago``; the first of a nominee registers its candidate then."""
    sent = at(timezone.localdate() - timedelta(days=days_ago), 8 + days_ago % 9, 15)
    with happened(sent):
        nomination = services.nomination_submit(
            round=round,
            data=services.NominationData(
                kind=kind,
                nominee_name=name,
                nominee_org_number=org_number,
                motivation=why,
                nominator_name=who[0],
                nominator_email=who[1],
            ),
            by=AnonymousUser(),
        )
    Nomination.objects.filter(pk=nomination.pk).update(created_at=sent)
    candidate = Candidate.objects.get(pk=nomination.candidate_id)
    if candidate.created_at > sent:
        Candidate.objects.filter(pk=candidate.pk).update(created_at=sent)
        registered(candidate, sent)
    return nomination


def _days_ago(days: int, hour: int = 10):
    return at(timezone.localdate() - timedelta(days=days), hour)


def _score(candidate, user, impact, engagement):
    criteria = candidate.snapshot["criteria"]
    services.candidate_assess(
        candidate=candidate,
        by=user,
        scores={str(criteria[0]["id"]): {"score": impact}, str(criteria[1]["id"]): {"score": engagement}},
        comment="Tydlig nytta för dem som behöver stöd.",
        complete=True,
    )


def seed(context: dict) -> None:
    committee = context["committees"]["SN"]
    users = context["users"]
    caseworker = users[StaffRole.Role.CASEWORKER]
    member = users[StaffRole.Role.MEMBER]
    organisations = {o.name: o for o in context["organisations"]}
    program = _program(committee)
    now = timezone.now()
    year = timezone.localdate().year

    # Last year: decided by the caseworker's delegation for awards, and announced.
    last, created = _round(program, year - 1, now - timedelta(days=400), now + timedelta(hours=1))
    if created or not Candidate.objects.filter(round=last).exists():
        pensioners = organisations["Exempelö Pensionärsförening"]
        first = _nominate(
            last,
            organisations,
            org_number=pensioners.org_number,
            who=("Inga Holm", "inga.holm@example.se"),
            why="Måndagsträffarna har blivit en fast punkt för många som annars är ensamma.",
            days_ago=385,
        )
        _nominate(
            last,
            organisations,
            name="Brottsofferjouren Exempelö",
            who=("Per Nyström", "per.nystrom@example.se"),
            why="Stöttar brottsoffer dygnet runt.",
            days_ago=370,
        )
        with happened(_days_ago(335)):
            services.candidates_screen_round(round=last, by=caseworker)
        winner = Candidate.objects.get(pk=first.candidate_id)
        with happened(_days_ago(330, 14)):
            _score(winner, caseworker, 5, 4)
            winner = services.candidate_shortlist(candidate=winner, by=caseworker)
        motivation = (
            "För Måndagsträffarna, som under året har brutit ensamheten för hundratals äldre i Exempelö "
            "och gjort vardagen tryggare för dem som behöver stöd."
        )
        winner = services.candidate_propose(
            candidate=winner, by=caseworker, proposal="awarded", motivation=motivation
        )
        Round.objects.filter(pk=last.pk).update(closes_at=day_end(now - timedelta(days=340)))
        Delegation.objects.get_or_create(
            user=caseworker,
            committee=committee,
            matter=Delegation.Matter.AWARD,
            defaults={"max_amount": Decimal("10000")},
        )
        decided = _days_ago(320, 13)
        with happened(decided):
            decision = meetings.delegated_decision_record(
                case=winner,
                decision=meetings.DecisionData(
                    outcome="granted", amount=Decimal("10000"), reasons=motivation
                ),
                by=caseworker,
            )
        Decision.objects.filter(pk=decision.pk).update(decided_at=decided)
        Candidate.objects.filter(pk=winner.pk).update(decided_at=decided)
        last.refresh_from_db()
        announced = _days_ago(300)
        with happened(announced):
            services.award_round_announce(round=last, by=caseworker)
        Candidate.objects.filter(round=last).exclude(announced_at=None).update(announced_at=announced)

    # This year: open for nominations.
    current, _created = _round(program, year, now - timedelta(days=10), now + timedelta(days=30))
    if Candidate.objects.filter(round=current).exists():
        return
    trygg = organisations["Föreningen Trygg Vardag"]
    _nominate(
        current,
        organisations,
        org_number=trygg.org_number,
        who=("Maja Lind", "maja.lind@example.se"),
        why="Telefonkedjan ringer varje morgon till äldre som bor ensamma.",
        days_ago=9,
    )
    _nominate(
        current,
        organisations,
        name="Föreningen Trygg Vardag",
        who=("Olof Berg", "olof.berg@example.se"),
        why="De följer med på läkarbesök när ingen annan kan.",
        days_ago=8,
    )
    _nominate(
        current,
        organisations,
        name="Funktionsrätt Exempelö",
        who=("Lena Ek", "lena.ek@example.se"),
        why="Gör kommunens lokaler tillgängliga för alla.",
        days_ago=7,
    )
    _nominate(
        current,
        organisations,
        kind="informal",
        name="Grannstödet på Söder",
        who=("Ali Hassan", "ali.hassan@example.se"),
        why="Grannar som handlar och skottar snö åt varandra.",
        days_ago=6,
    )
    _nominate(
        current,
        organisations,
        kind="person",
        name="Gunnel Svensson",
        who=("Rut Åberg", "rut.aberg@example.se"),
        why="Gunnel hjälper alla i kvarteret med pappersarbetet.",
        days_ago=5,
    )
    with happened(_days_ago(3)):
        services.candidates_screen_round(round=current, by=caseworker)
    trygg_candidate = Candidate.objects.get(round=current, organisation=trygg)
    _score(trygg_candidate, caseworker, 5, 5)
    _score(trygg_candidate, member, 4, 5)
    # A late nomination waits to be screened.
    _nominate(
        current,
        organisations,
        name="Stadsmissionen Exempelö",
        who=("Karl Ström", "karl.strom@example.se"),
        why="Frukost varje dag för den som behöver.",
        days_ago=1,
    )
