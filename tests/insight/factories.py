"""A generated year of grants with known totals, for the register, the open data and the dashboards.

Built directly with the models (decided cases, meetings in a given state), so a test can
say exactly which decisions are public and what every figure must be:

=====  ============  ==================  =========  ==========================  ========  =======
case   organisation  outcome             amount     decided at                  target    public
=====  ============  ==================  =========  ==========================  ========  =======
a1     Trygg Vardag  granted             100 000    posted meeting              Barn      yes
a2     Kyrkan        partly granted       50 000    posted meeting              Äldre     yes
a3     Scouterna     granted              30 000    minutes approved, unposted  Äldre     no
a4     Scouterna     rejected                  –    posted meeting              –         no
a5     Trygg Vardag  granted (delegated)  20 000    not yet reported            Barn      no
a6     Kyrkan        granted (delegated)  15 000    reported to posted meeting  Äldre     yes
a7     Scouterna     submitted                 –    –                           –         no
=====  ============  ==================  =========  ==========================  ========  =======

Days from submission to decision: 10, 20, 30, 26, 40, 35 (median 28).  Payments: a1 60 000 paid,
a2 50 000 planned.  Budget 500 000.  An award of 10 000 to Kyrkan and one to a private person
(never public), both at the posted meeting; a running partnership with Trygg Vardag
(300 000 kr a year from the municipality).  The register is refreshed once the year is built.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from awards.models import Candidate, NomineeKind
from grants.models import Application, FormField, Program, ProgramBudget
from iop.models import Partnership
from meetings.models import AgendaItem, Decision, Meeting
from organizations.models import Organisation, Person
from payments.models import Payment

from ..factories import OrganisationFactory, PersonFactory
from ..grants.factories import ProgramFactory, RoundFactory
from ..iop.factories import in_state

CONTACT_NAME = "Petra Kontaktsson"
CONTACT_EMAIL = "petra.kontakt@tryggvardag.example"
ORG_EMAIL = "styrelsen@tryggvardag.example"
ORG_PHONE = "070-123 45 67"
PERSON_AWARDED = "Anna Privatperson"


def _meeting(world, state: str, *, days_ago: int) -> Meeting:
    starts = timezone.now() - dt.timedelta(days=days_ago)
    posted = state in (Meeting.State.POSTED, Meeting.State.FINAL)
    return Meeting.objects.create(
        committee=world.committee,
        starts_at=starts,
        place="Kommunhuset",
        state=state,
        posted_on=(starts + dt.timedelta(days=3)).date() if posted else None,
        created_by=world.users["secretary"],
    )


def _decide(world, case, *, outcome, amount, meeting=None, delegated=False, decided_at=None) -> Decision:
    secretary = world.users["secretary"]
    content_type = ContentType.objects.get_for_model(case)
    item = None
    if meeting is not None:
        item = AgendaItem.objects.create(
            meeting=meeting,
            kind=AgendaItem.Kind.INFORMATION if delegated else AgendaItem.Kind.DECISION,
            content_type=content_type,
            object_id=case.pk,
            group="Bidrag",
            title=str(case),
            case_number=case.case_number,
            added_by=secretary,
        )
    return Decision.objects.create(
        content_type=content_type,
        object_id=case.pk,
        committee=world.committee,
        item=item,
        delegation=world.caseworker_delegation if delegated else None,
        outcome=outcome,
        amount=amount,
        decided_at=decided_at or (meeting.starts_at if meeting else timezone.now() - dt.timedelta(days=5)),
        decided_by=secretary,
    )


def scenario(world) -> dict:
    """The year described in the module docstring (memoised in ``world.objects["scenario"]``)."""
    if "scenario" in world.objects:
        return world.objects["scenario"]
    from organizations.models import Delegation

    world.caseworker_delegation = Delegation.objects.filter(user=world.users["caseworker"]).first()
    year = timezone.localdate().year
    program = ProgramFactory(
        committee=world.committee, municipality=world.municipality, name="Verksamhetsstöd"
    )
    focus = FormField.objects.create(
        program=program, kind=FormField.Kind.CHOICE, label="Målgrupp", order=1, choices="Barn\nÄldre"
    )
    ProgramBudget.objects.create(program=program, year=year, amount=Decimal(500000))
    round = RoundFactory(program=program, year=year, name="Vårens omgång")

    trygg = world.organisation
    trygg.email, trygg.phone = ORG_EMAIL, ORG_PHONE
    trygg.save()
    PersonFactory(organisation=trygg, kind=Person.Kind.CONTACT, name=CONTACT_NAME, email=CONTACT_EMAIL)
    kyrkan = OrganisationFactory(
        name="Exempelö församling", kind=Organisation.Kind.RELIGIOUS, active_in=[world.municipality]
    )
    scouterna = OrganisationFactory(name="Scouterna Exempelö", active_in=[world.municipality])

    posted = _meeting(world, Meeting.State.POSTED, days_ago=20)
    approved = _meeting(world, Meeting.State.MINUTES_APPROVED, days_ago=2)
    applicant = world.users["applicant"]

    def application(key, org, state, amount, target, *, days, meeting=None, outcome=None, delegated=False):
        number = int(key[1:])
        app = Application.objects.create(
            round=round,
            organisation=org,
            state=state,
            title=f"Verksamhet {key}",
            requested_amount=amount or Decimal(40000),
            granted_amount=amount if state in Application.GRANTED_STATES else None,
            answers={f"field:{focus.pk}": target} if target else {},
            created_by=applicant,
            case_number=f"SN {year}/{100 + number}",
        )
        if outcome:
            decision = _decide(
                world,
                app,
                outcome=outcome,
                amount=amount,
                meeting=meeting,
                delegated=delegated,
                decided_at=None if meeting else timezone.now() - dt.timedelta(days=1),
            )
            Application.objects.filter(pk=app.pk).update(
                decision=decision, submitted_at=decision.decided_at - dt.timedelta(days=days)
            )
        else:
            Application.objects.filter(pk=app.pk).update(
                submitted_at=timezone.now() - dt.timedelta(days=days)
            )
        return Application.objects.get(pk=app.pk)

    g, pg, rj = "granted", "partly_granted", "rejected"
    apps = {
        "a1": application("a1", trygg, g, Decimal(100000), "Barn", days=10, meeting=posted, outcome=g),
        "a2": application("a2", kyrkan, pg, Decimal(50000), "Äldre", days=20, meeting=posted, outcome=pg),
        "a3": application("a3", scouterna, g, Decimal(30000), "Äldre", days=30, meeting=approved, outcome=g),
        "a4": application("a4", scouterna, rj, None, None, days=26, meeting=posted, outcome=rj),
        "a5": application("a5", trygg, g, Decimal(20000), "Barn", days=40, outcome=g, delegated=True),
        "a6": application(
            "a6", kyrkan, g, Decimal(15000), "Äldre", days=35, meeting=posted, outcome=g, delegated=True
        ),
        "a7": application("a7", scouterna, "submitted", None, None, days=3),
    }
    for key, amount, state in (("a1", 60000, Payment.State.PAID), ("a2", 50000, Payment.State.PLANNED)):
        app = apps[key]
        Payment.objects.create(
            case=app,
            decision_id=app.decision_id,
            municipality_id=app.round.program.municipality_id,
            amount=Decimal(amount),
            due_on=timezone.localdate(),
            state=state,
            organisation_name=app.organisation.name,
            org_number=app.organisation.org_number,
            account_type="bankgiro",
            account_number="56781234",
            reference=app.case_number,
            paid_on=timezone.localdate() if state == Payment.State.PAID else None,
        )

    award_program = ProgramFactory(
        committee=world.committee,
        municipality=world.municipality,
        name="Årets eldsjäl",
        kind=Program.Kind.AWARD,
    )
    award_round = RoundFactory(program=award_program, year=year, name="Eldsjäl")
    award = Candidate.objects.create(
        round=award_round,
        kind=NomineeKind.ORGANISATION,
        organisation=kyrkan,
        name=kyrkan.name,
        org_number=kyrkan.org_number,
        state=Candidate.State.ANNOUNCED,
        awarded_amount=Decimal(10000),
        case_number=f"SN {year}/201",
    )
    _decide(world, award, outcome="granted", amount=Decimal(10000), meeting=posted)
    person = Candidate.objects.create(
        round=award_round,
        kind=NomineeKind.PERSON,
        name=PERSON_AWARDED,
        state=Candidate.State.AWARDED,
        awarded_amount=Decimal(5000),
        case_number=f"SN {year}/202",
    )
    _decide(world, person, outcome="granted", amount=Decimal(5000), meeting=posted)

    partnership = in_state(world, Partnership.State.ACTIVE)
    # built directly with the models, past the services that refresh the register after commit
    from insight.services import register_refresh

    register_refresh(municipality=world.municipality)
    world.objects["scenario"] = {
        "year": year,
        "program": program,
        "award_program": award_program,
        "round": round,
        "apps": apps,
        "award": award,
        "person": person,
        "partnership": partnership,
        "trygg": trygg,
        "kyrkan": kyrkan,
        "scouterna": scouterna,
        "posted": posted,
        "approved": approved,
    }
    return world.objects["scenario"]
