"""Building partnerships through the services, so every state change has its log row."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from iop import services
from iop.models import Partnership

INITIATIVE = {
    "title": "Trygg mötesplats",
    "social_need": "Människor i utsatta livssituationer saknar en trygg mötesplats på kvällar och helger.",
    "proposed_solution": "Ett öppet kafé med samtalsstöd, mat och vägledning sju dagar i veckan.",
    "target_group": "Vuxna i hemlöshet eller med missbruk.",
    "organisation_brings": "Lokaler, volontärer och diakonal kompetens.",
    "municipality_asked": "Medfinansiering av personal och samverkan med socialtjänsten.",
    "political_goal": "Socialnämndens mål om minskad hemlöshet.",
}

YES = {
    name: True
    for name in [
        "own_initiative",
        "political_goal",
        "no_procurement",
        "not_grant",
        "co_financing",
        "no_detailed_steering",
        "state_aid",
    ]
}


def checklist(**overrides) -> dict:
    answers = {**YES, **{f"{k}_motivation": "Bedömt i dialog med organisationen." for k in YES}}
    answers["state_aid_criterion"] = "not_economic"
    answers.update(overrides)
    return answers


def agreement_data(start: date, end: date, **overrides) -> dict:
    data = {
        "background": "Församlingen har i många år drivit ett öppet kafé.",
        "shared_values": "Överenskommelsens principer om självständighet och dialog gäller.",
        "organisation_text": "En styrgrupp med två från varje part och en arbetsgrupp.",
        "goals": "Fler får stöd att ta sig ur hemlöshet.",
        "activities_municipality": "Socialtjänsten finns på plats två dagar i veckan.",
        "activities_organisation": "Församlingen håller kaféet öppet alla dagar.",
        "follow_up_method": "Årlig uppföljning i styrgruppen.",
        "start_date": start,
        "end_date": end,
        "notice_months": 6,
        "changes": "Ändringar görs skriftligt.",
        "renegotiation": "Parterna kan begära omförhandling.",
        "termination_disputes": "Tvister löses i första hand genom dialog.",
        "note": "",
    }
    data.update(overrides)
    return data


def contributions(years: int, money: int = 300000) -> list[dict]:
    rows = []
    for year in range(1, years + 1):
        rows += [
            {
                "year": year,
                "party": "municipality",
                "kind": "money",
                "description": "Personal",
                "value": Decimal(money),
            },
            {
                "year": year,
                "party": "organisation",
                "kind": "premises",
                "description": "Kafélokal",
                "value": Decimal(120000),
            },
            {
                "year": year,
                "party": "organisation",
                "kind": "volunteer_hours",
                "description": "Volontärer",
                "hours": 2000,
                "value": Decimal(200000),
            },
        ]
    return rows


INDICATORS = [
    {
        "goal": "Fler får stöd",
        "name": "Besökare som fått vägledning",
        "target": Decimal(150),
        "unit": "personer",
    }
]
MEMBERS = [
    {"group": "steering", "party": "municipality", "name": "Eva Enhetschef", "role": "enhetschef"},
    {"group": "steering", "party": "organisation", "name": "Kyrkoherde Karl", "role": "kyrkoherde"},
    {"group": "working", "party": "organisation", "name": "Diakon Dina", "role": "diakon"},
]


def initiative(world, by=None) -> Partnership:
    return services.partnership_initiate(
        organisation=world.organisation,
        committee=world.committee,
        data=INITIATIVE,
        by=by or world.users["applicant"],
    )


def screened_as_procurement(world) -> Partnership:
    """An initiative the caseworker screened: the checklist says the service is bought on a market,
    so IOP is not the right form for it."""
    caseworker = world.users["caseworker"]
    partnership = initiative(world)
    services.partnership_transition(partnership=partnership, name="start_screening", by=caseworker)
    services.screening_record(
        partnership=partnership,
        answers=checklist(no_procurement=False, no_procurement_motivation="Tjänsten köps på en marknad."),
        by=caseworker,
    )
    return partnership


def committee_decision(world, partnership: Partnership, *, day: date, outcome: str = "granted"):
    """The committee's decision on ``partnership`` at a meeting on ``day`` whose minutes are posted.

    Built with the models (as the meeting engine leaves them) so that a test of a later state
    needs no meeting of its own; the meeting's pages are tested in tests/workflows.
    """
    from django.contrib.contenttypes.models import ContentType

    from meetings.appeals import appeal_period_end
    from meetings.models import AgendaItem, Decision, Meeting

    day = min(day, timezone.localdate() - timedelta(days=3))
    secretary = world.users["secretary"]
    posted_on = day + timedelta(days=2)
    meeting = Meeting.objects.create(
        committee=partnership.committee,
        starts_at=timezone.make_aware(datetime.combine(day, time(13))),
        place="Kommunhuset",
        state=Meeting.State.POSTED,
        posted_on=posted_on,
        posted_at=timezone.make_aware(datetime.combine(posted_on, time(9))),
        appeal_ends_on=appeal_period_end(posted_on),
        created_by=secretary,
    )
    content_type = ContentType.objects.get_for_model(Partnership)
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.DECISION,
        content_type=content_type,
        object_id=partnership.pk,
        group="Idéburna offentliga partnerskap (IOP)",
        order=42,
        title=partnership.title,
        case_number=partnership.case_number,
        organisation=partnership.organisation,
        proposed_outcome=outcome,
        added_by=secretary,
    )
    return Decision.objects.create(
        content_type=content_type,
        object_id=partnership.pk,
        committee=partnership.committee,
        item=item,
        outcome=outcome,
        reasons="Nämnden godkänner avtalet enligt förslaget." if outcome == "granted" else "Avslås.",
        decided_at=meeting.starts_at,
        decided_by=secretary,
    )


def in_state(world, state: str, *, start: date | None = None, years: int = 3) -> Partnership:
    """A partnership walked through the services up to ``state``."""
    caseworker = world.users["caseworker"]
    start = start or timezone.localdate()
    partnership = initiative(world)
    steps = ["screening", "dialogue", "drafting", "proposed", "approved", "signed", "active"]
    for step in steps:
        if partnership.state == state:
            break
        if step == "screening":
            services.partnership_transition(partnership=partnership, name="start_screening", by=caseworker)
        elif step == "dialogue":
            services.screening_record(partnership=partnership, answers=checklist(), by=caseworker)
            services.partnership_screen(partnership=partnership, suitable=True, by=caseworker)
        elif step == "drafting":
            services.partnership_transition(partnership=partnership, name="start_drafting", by=caseworker)
            services.agreement_save_version(
                partnership=partnership,
                data=agreement_data(start, start.replace(year=start.year + years)),
                contributions=contributions(years),
                indicators=INDICATORS,
                members=MEMBERS,
                by=caseworker,
            )
        elif step == "proposed":
            services.partnership_transition(partnership=partnership, name="propose", by=caseworker)
        elif step == "approved":
            decision = committee_decision(world, partnership, day=start - timedelta(days=20))
            services.partnership_decide(
                partnership=partnership, decision=decision, by=world.users["secretary"]
            )
        elif step == "signed":
            services.partnership_sign(
                partnership=partnership,
                party="municipality",
                signatory="Ordförande Olsson",
                signed_on=start,
                by=caseworker,
            )
            services.partnership_sign(
                partnership=partnership,
                party="organisation",
                signatory="Siv Sökande",
                signed_on=start,
                by=world.users["applicant"],
            )
        elif step == "active":
            services.partnership_transition(partnership=partnership, name="activate", by=caseworker)
        partnership.refresh_from_db()
    assert partnership.state == state
    return partnership
