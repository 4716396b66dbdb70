"""Journey: a case takes longer than the program's normal handling time (förvaltningslagen 11 §
and 12 §).

The caseworker finds it at risk in the inbox and tells the association why and when a decision can
be expected, after reading the notice as the association will.  Six months after the application
came in, the association asks that the case be decided; the caseworker refuses the request by a
decision of its own, and the association reads the letter: the reason, how to appeal the refusal
on its own, and whom to contact.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grants.models import DecisionRequest, DelayNotice

from ..conftest import build_world
from ..grants.factories import application_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_delayed_case_is_explained_and_a_request_for_a_decision_is_refused_by_a_letter(journey, clock):
    world = build_world()
    application = application_in(world, "in_assessment")
    program = application.round.program
    program.contact_name, program.contact_email, program.contact_phone = (
        "Karin Kontakt",
        "karin.kontakt@exemplo.se",
        "08-123 45 67",
    )
    program.save()
    came_in = timezone.localdate(application.submitted_at)

    # 80 of the program's 90 days have passed: ten days left
    clock.travel(dt.datetime.combine(came_in + dt.timedelta(days=80), dt.time(9, 0)))
    caseworker = journey.person(world.user("caseworker"), label="handläggaren").sign_in()
    caseworker.open("/handlaggning/").sees("Riskerar att försenas", application.case_number, "10 dagar kvar")
    caseworker.look().click("Meddela försening")
    caseworker.sees("Meddela den sökande att").look()
    expected = came_in + dt.timedelta(days=150)
    caseworker.fill("Varför ärendet är försenat", "Nämnden väntar på kommunfullmäktiges budgetbeslut.")
    caseworker.fill("Ett beslut kan väntas senast", expected.isoformat())
    caseworker.click("Visa beskedet").sees(
        "Skicka förseningsbeskedet?",
        "Nämnden väntar på kommunfullmäktiges budgetbeslut.",
        f"Ni kan räkna med ett beslut senast {expected.isoformat()}",
    )
    caseworker.look()
    assert not DelayNotice.objects.exists()
    caseworker.click("Skicka beskedet").sees("Förseningsbeskedet är skickat")
    caseworker.open("/handlaggning/").sees("Ingen ansökan riskerar att försenas")

    association = journey.person(world.user("applicant"), label="föreningen").sign_in()
    association.open(f"/ansokningar/{application.pk}/")
    association.sees("Förseningsbesked", f"Beslut kan väntas senast {expected.isoformat()}")
    association.does_not_see("Begär att ärendet avgörs").look()

    # Seven months after it came in the case is still not decided: the association asks.
    clock.travel(dt.datetime.combine(came_in + dt.timedelta(days=214), dt.time(9, 0)))
    association = journey.person(world.user("applicant"), label="föreningen igen").sign_in()
    association.open(f"/ansokningar/{application.pk}/").click("Begär att ärendet avgörs")
    association.look().fill("Meddelande till nämnden (frivilligt)", "Vi måste planera höstens verksamhet.")
    association.click("Begär att ärendet avgörs", role="button").sees("Er begäran är skickad")
    request = DecisionRequest.objects.get()
    association.sees("28 dagar kvar")

    caseworker = journey.person(world.user("caseworker"), label="handläggaren igen").sign_in()
    caseworker.open("/handlaggning/").sees("Begäran om avgörande", request.due.isoformat()).look()
    caseworker.open(f"/ansokningar/{application.pk}/").click("Avslå begäran om avgörande")
    caseworker.sees("Vi måste planera höstens verksamhet.").look()
    caseworker.click("Fortsätt").sees("Varför begäran avslås")  # the reason is needed
    caseworker.fill("Varför begäran avslås", "Budgeten beslutas först i november.")
    caseworker.click("Fortsätt").sees("Avslå begäran om avgörande?", "Karin Kontakt").look()
    caseworker.click("Avslå begäran om avgörande", role="button").sees("Begäran är avslagen")
    request.refresh_from_db()
    assert request.outcome == DecisionRequest.Outcome.REFUSED

    association.open(f"/ansokningar/{application.pk}/").sees("Avslogs", "Budgeten beslutas först i november.")
    letter = " ".join(association.pdf("Beslutet om begäran (PDF)").split())
    assert "Begäran om att ärendet ska avgöras avslås" in letter
    assert "Budgeten beslutas först i november." in letter
    assert "får överklagas särskilt" in letter and "Så här överklagar du beslutet" in letter
    assert "Karin Kontakt" in letter and "08-123 45 67" in letter
    # the request is answered: the association may ask again
    association.sees("Begär att ärendet avgörs").look()
