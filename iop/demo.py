"""Demo data: a three-year partnership with Exempelö församling in its second year and a new
initiative from Stadsmissionen in dialogue.

Idempotent, and every change goes through the services, so each state change has its log row,
stamped with its day in the story (``workflows.demo_story``): the partnership initiated, agreed
and signed before its start some fourteen months ago.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from organizations.demo import signatory_since_registration
from organizations.models import OrganisationRole, User
from payments.models import Payment
from workflows.demo_story import at, happened, registered

from . import services
from .models import (
    AgreementVersion,
    Partnership,
    Screening,
    add_years,
)

CHURCH = "Exempelö församling"
MISSION = "Stadsmissionen Exempelö"
TITLE = "Öppen dörr – mötesplats och stöd för människor i utsatta livssituationer"
NEW_TITLE = "Vägen vidare – stöd till bostad och arbete efter hemlöshet"


def _begun(partnership, moment) -> None:
    """The initiative was made, and registered, at ``moment``."""
    Partnership.objects.filter(pk=partnership.pk).update(created_at=moment)
    registered(partnership, moment)


def _organisation(context, name):
    return next(o for o in context["organisations"] if o.name == name)


def _signatory(organisation, email: str, name: str) -> User:
    """A user who acts for the organisation (its authorised signatory), as after registration."""
    user = User.objects.filter(email=email).first()
    if user is None:
        from organizations.demo import DEMO_PASSWORD

        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, email_verified_at=timezone.now()
        )
    if not OrganisationRole.objects.filter(user=user, organisation=organisation).exists():
        role = OrganisationRole.objects.create(
            user=user, organisation=organisation, kind=OrganisationRole.Kind.SIGNATORY
        )
        signatory_since_registration(role)
    return user


def _contributions(years: int) -> list[dict]:
    rows = []
    for year in range(1, years + 1):
        rows += [
            {
                "year": year,
                "party": "municipality",
                "kind": "money",
                "description": "Lön för en samordnare (75 %)",
                "value": Decimal(420000),
            },
            {
                "year": year,
                "party": "municipality",
                "kind": "staff_hours",
                "description": "Socialsekreterare på plats två förmiddagar i veckan",
                "hours": 320,
                "value": Decimal(160000),
            },
            {
                "year": year,
                "party": "organisation",
                "kind": "premises",
                "description": "Församlingshemmets kafé och samtalsrum",
                "value": Decimal(180000),
            },
            {
                "year": year,
                "party": "organisation",
                "kind": "staff_hours",
                "description": "Diakon och diakoniassistent",
                "hours": 1400,
                "value": Decimal(490000),
            },
            {
                "year": year,
                "party": "organisation",
                "kind": "volunteer_hours",
                "description": "Volontärer i kaféet och matutdelningen",
                "hours": 3000,
                "value": Decimal(300000),
            },
        ]
    return rows


INDICATORS = [
    {
        "goal": "Fler får en trygg plats och ett samtal",
        "name": "Unika besökare per år",
        "target": Decimal(400),
        "unit": "personer",
    },
    {
        "goal": "Fler får hjälp vidare",
        "name": "Besökare som slussats till socialtjänst, vård eller boende",
        "target": Decimal(60),
        "unit": "personer",
    },
]
MEMBERS = [
    {
        "group": "steering",
        "party": "municipality",
        "name": "Eva Enhetschef",
        "role": "enhetschef, vuxenenheten",
    },
    {"group": "steering", "party": "municipality", "name": "Hanna Handläggare", "role": "handläggare"},
    {"group": "steering", "party": "organisation", "name": "Karin Kyrkoherde", "role": "kyrkoherde"},
    {"group": "steering", "party": "organisation", "name": "David Diakon", "role": "diakon"},
    {
        "group": "working",
        "party": "municipality",
        "name": "Sam Socialsekreterare",
        "role": "socialsekreterare",
    },
    {"group": "working", "party": "organisation", "name": "David Diakon", "role": "diakon"},
]


def _agreement(start, end, **overrides) -> dict:
    data = {
        "background": (
            "Allt fler människor i Exempelö lever i hemlöshet eller i andra utsatta livssituationer. "
            "Församlingen har under många år drivit ett öppet kafé med diakonalt stöd. Socialtjänsten når "
            "inte alla i målgruppen på egen hand."
        ),
        "shared_values": (
            "Parterna bygger samverkan på principerna i Överenskommelsen i Exempelö: självständighet och "
            "oberoende, dialog, kvalitet, långsiktighet, öppenhet och insyn samt mångfald."
        ),
        "organisation_text": (
            "En gemensam styrgrupp med två personer från varje part träffas fyra gånger per år. "
            "En arbetsgrupp planerar verksamheten varje månad."
        ),
        "goals": "Fler får en trygg plats, ett samtal och hjälp vidare till stöd, vård och boende.",
        "activities_municipality": (
            "Kommunen bekostar en samordnare och har en socialsekreterare på plats två förmiddagar i veckan."
        ),
        "activities_organisation": (
            "Församlingen håller kaféet öppet fem dagar i veckan, leder volontärerna och erbjuder samtal."
        ),
        "follow_up_method": (
            "Parterna följer gemensamt upp indikatorerna och insatserna varje år i styrgruppen, "
            "och utvärderar partnerskapet under det sista året."
        ),
        "start_date": start,
        "end_date": end,
        "notice_months": 6,
        "changes": "Ändringar och tillägg görs skriftligt och undertecknas av båda parter.",
        "renegotiation": "Vardera parten kan begära omförhandling om förutsättningarna ändras väsentligt.",
        "termination_disputes": (
            "Avtalet kan sägas upp med sex månaders uppsägningstid. Tvister löses i första hand i styrgruppen."
        ),
        "note": "",
    }
    data.update(overrides)
    return data


def _committee_approves(context, partnership: Partnership, *, day) -> None:
    """Socialnämnden approves the agreement at its meeting on ``day``, as the secretary records it:
    on the agenda, decided as proposed, minutes approved, posted and final, each at its moment."""
    from meetings import services as meetings
    from meetings.demo import PLACE, at_hour, second_member
    from meetings.demo import attendance as demo_attendance
    from meetings.models import Decision, Meeting
    from workflows.services import system_user

    users = context["users"]
    secretary, lars = users["secretary"], users["member"]
    asa = second_member(context["municipality"])
    meeting = meetings.meeting_create(
        committee=partnership.committee, starts_at=at_hour(day), place=PLACE, by=secretary
    )
    published = at(day - timedelta(days=10), 9)
    Meeting.objects.filter(pk=meeting.pk).update(created_at=published - timedelta(days=14))
    [item] = meetings.agenda_add(meeting=meeting, cases=[partnership], by=secretary)
    with happened(published):
        meetings.meeting_transition(
            meeting=meeting, name="publish_agenda", by=secretary, reason="Kallelse skickad"
        )
    meetings.attendance_set(meeting=meeting, rows=demo_attendance(), by=secretary)
    proposal = replace(meetings.proposal_of(item), reasons="Nämnden godkänner avtalet enligt förslaget.")
    with happened(meeting.starts_at):  # held and decided at the meeting (the decision carries its time)
        meetings.meeting_transition(meeting=meeting, name="hold", by=secretary)
        meetings.decisions_record(
            meeting=meeting, group_no=item.group_no, decisions={item.pk: proposal}, by=secretary
        )
    with happened(at(day + timedelta(days=1), 10)):
        meetings.minutes_approve(meeting=meeting, by=lars)
    with happened(at(day + timedelta(days=1), 15)):
        meetings.minutes_approve(meeting=meeting, by=asa)
    posted = at(day + timedelta(days=3), 9)
    with happened(posted):
        meetings.meeting_post(meeting=meeting, posted_on=day + timedelta(days=3), by=secretary)
    Meeting.objects.filter(pk=meeting.pk).update(posted_at=posted)
    meeting.refresh_from_db()
    final = at(meeting.appeal_ends_on + timedelta(days=1), 6)
    with happened(final):
        meetings.meeting_make_final(meeting=meeting, by=system_user())
    Decision.objects.filter(item__meeting=meeting).update(final_at=final)


def _partnership_in_second_year(context) -> None:
    church = _organisation(context, CHURCH)
    if Partnership.objects.filter(organisation=church, title=TITLE).exists():
        return
    users = context["users"]
    caseworker = users["caseworker"]
    deacon = _signatory(church, "diakon@exempelo-forsamling.example", "David Diakon")
    today = timezone.localdate()
    start = today.replace(day=1) - timedelta(days=420)
    start = start.replace(day=1)
    end = add_years(start, 3)

    initiated = at(start - timedelta(days=130), 10)
    with happened(initiated):
        p = services.partnership_initiate(
            organisation=church,
            committee=context["committees"]["SN"],
            data={
                "title": TITLE,
                "social_need": (
                    "Människor i hemlöshet, med missbruk eller i ensamhet saknar en plats där de är välkomna "
                    "utan krav, och når inte fram till det stöd som finns."
                ),
                "proposed_solution": (
                    "Ett öppet kafé i församlingshemmet med frukost, samtal och vägledning, där socialtjänsten "
                    "finns på plats två förmiddagar i veckan."
                ),
                "target_group": "Vuxna i hemlöshet eller andra utsatta livssituationer i Exempelö.",
                "organisation_brings": "Lokaler, diakonal kompetens, anställda och ett fyrtiotal volontärer.",
                "municipality_asked": "Medfinansiering av en samordnare och socialtjänstens närvaro.",
                "political_goal": "Socialnämndens mål att minska hemlösheten och nå fler med tidigt stöd.",
            },
            by=deacon,
        )
    _begun(p, initiated)
    with happened(initiated + timedelta(days=5)):
        services.partnership_transition(partnership=p, name="start_screening", by=caseworker)
    services.screening_record(
        partnership=p,
        answers={
            **{name: True for name, _q in Screening.POINTS},
            "own_initiative_motivation": "Församlingen tog initiativet utifrån sitt diakonala arbete.",
            "political_goal_motivation": "Ingår i socialnämndens plan mot hemlöshet.",
            "no_procurement_motivation": "Ingen marknad finns för verksamheten; det är inget köp av tjänst.",
            "not_grant_motivation": "Parterna utvecklar och styr verksamheten tillsammans.",
            "co_financing_motivation": "Församlingen står för mer än hälften av värdet.",
            "no_detailed_steering_motivation": "Styrgruppen är gemensam; kommunen detaljstyr inte.",
            "state_aid_motivation": "Ingen ekonomisk verksamhet: kaféet är avgiftsfritt och lokalt.",
            "state_aid_criterion": "not_economic",
        },
        by=caseworker,
    )
    with happened(initiated + timedelta(days=10)):
        services.partnership_screen(partnership=p, suitable=True, by=caseworker)
    with happened(initiated + timedelta(days=15)):
        services.partnership_transition(partnership=p, name="start_drafting", by=caseworker)
    services.agreement_save_version(
        partnership=p,
        data=_agreement(start, end, note="Första utkast efter dialogen"),
        contributions=_contributions(3),
        indicators=INDICATORS,
        members=MEMBERS,
        by=caseworker,
    )
    services.agreement_save_version(
        partnership=p,
        data=_agreement(
            start,
            end,
            activities_organisation=(
                "Församlingen håller kaféet öppet fem dagar i veckan och på helger under vintern, "
                "leder volontärerna och erbjuder samtal."
            ),
            note="Församlingen lade till helgöppet under vintern",
        ),
        contributions=_contributions(3),
        indicators=INDICATORS,
        members=MEMBERS,
        by=deacon,
    )
    for offset, version in enumerate(AgreementVersion.objects.filter(partnership=p).order_by("pk")):
        AgreementVersion.objects.filter(pk=version.pk).update(
            created_at=at(start - timedelta(days=100 - 20 * offset), 14)
        )
    decided_on = start - timedelta(days=40)
    with happened(at(decided_on - timedelta(days=20), 11)):
        services.partnership_transition(partnership=p, name="propose", by=caseworker)
    _committee_approves(context, p, day=decided_on)
    with happened(at(start - timedelta(days=20), 10)):
        services.partnership_sign(
            partnership=p,
            party="municipality",
            signatory="Ingrid Ordförande, socialnämndens ordförande",
            signed_on=start - timedelta(days=20),
            by=caseworker,
        )
    with happened(at(start - timedelta(days=18), 13)):
        services.partnership_sign(
            partnership=p,
            party="organisation",
            signatory="Karin Kyrkoherde",
            signed_on=start - timedelta(days=18),
            by=deacon,
        )
    with happened(at(start, 8)):
        services.partnership_transition(partnership=p, name="activate", by=caseworker)
    for index, period in enumerate(
        [f"År 1 ({start.year})", f"År 2 ({start.year + 1})", f"År 3 ({start.year + 2})"]
    ):
        payment = services.payment_plan(partnership=p, period=period, amount=Decimal(420000), by=caseworker)
        paid_on = add_years(start, index) + timedelta(days=14)
        Payment.objects.filter(pk=payment.pk).update(created_at=at(start, 9), due_on=paid_on)
        if paid_on <= today:
            with happened(at(paid_on, 12)):
                services.payment_pay(payment=payment, by=caseworker, paid_on=paid_on)
    for months, notes in [
        (2, "Kaféet har kommit igång. Fler besökare än väntat; behov av fler volontärer på måndagar."),
        (8, "Socialsekreterarens närvaro fungerar väl. Diskussion om helgöppet under vintern."),
        (13, "Årsuppföljningen förbereds. Parterna är överens om att fortsätta som planerat."),
    ]:
        services.steering_meeting_record(
            partnership=p,
            held_on=start + timedelta(days=30 * months),
            attendees="Eva Enhetschef, Hanna Handläggare, Karin Kyrkoherde, David Diakon",
            notes=notes,
            by=caseworker,
        )
    p.refresh_from_db()
    indicators = list(p.approved_version.indicators.all())
    services.follow_up_record(
        partnership=p,
        year=1,
        contributions_made=(
            "Kommunen: 420 000 kr utbetalt och 330 timmar socialsekreterare. "
            "Församlingen: lokaler, 1 450 timmar personal och 3 200 volontärtimmar."
        ),
        joint_assessment=(
            "Kaféet når fler än planerat. Slussningen till socialtjänst och vård har fungerat bättre "
            "än väntat tack vare socialsekreterarens närvaro."
        ),
        results={indicators[0].pk: (Decimal(460), ""), indicators[1].pk: (Decimal(52), "Något under målet")},
        by=caseworker,
    )


def _initiative_in_dialogue(context) -> None:
    mission = _organisation(context, MISSION)
    if Partnership.objects.filter(organisation=mission, title=NEW_TITLE).exists():
        return
    caseworker = context["users"]["caseworker"]
    initiated = at(timezone.localdate() - timedelta(days=40), 10)
    with happened(initiated):
        p = services.partnership_initiate(
            organisation=mission,
            committee=context["committees"]["SN"],
            data={
                "title": NEW_TITLE,
                "social_need": "Den som fått en bostad efter hemlöshet riskerar att förlora den igen utan stöd.",
                "proposed_solution": "Volontära stödpersoner och en boendecoach under det första året i bostaden.",
                "target_group": "Vuxna som nyss fått en egen bostad efter hemlöshet.",
                "organisation_brings": "Stödpersoner, utbildning av volontärer och en boendecoach på halvtid.",
                "municipality_asked": "Medfinansiering av boendecoachen och samverkan med bostadssociala enheten.",
                "political_goal": "Bostad först – kommunens plan mot hemlöshet.",
            },
            by=caseworker,
        )
    _begun(p, initiated)
    with happened(initiated + timedelta(days=5)):
        services.partnership_transition(partnership=p, name="start_screening", by=caseworker)
    answers = {}
    for name, _q in Screening.POINTS:
        answers[name] = True
        answers[f"{name}_motivation"] = "Bedömt vid första mötet med Stadsmissionen."
    answers["state_aid_criterion"] = "not_economic"
    services.screening_record(partnership=p, answers=answers, by=caseworker)
    with happened(initiated + timedelta(days=10)):
        services.partnership_screen(
            partnership=p, suitable=True, by=caseworker, reason="Alla punkter i checklistan är uppfyllda."
        )


def seed(context) -> None:
    _partnership_in_second_year(context)
    _initiative_in_dialogue(context)
