"""Journey: an association active in two municipalities changes its payment account.

Siv, its signatory, registers the new bankgiro on the association's page.  The account waits:
grants are still paid to the old one.  Gustav, the caseworker of Grannby, finds it on his start
page, checks it and verifies it for Grannby; he cannot verify for Exempelö nor change the account
himself.  Then the caseworker of Exempelö verifies it for Exempelö, and the new account is in effect.
"""

import re

import pytest
from django_fsm_log.models import StateLog

from organizations.models import AccountChange
from workflows.models import OutboxMessage

from ..conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_account_takes_effect_when_both_municipalities_have_verified_it(journey):
    world = build_world()
    organisation = world.shared_organisation
    detail = f"/organisationer/{organisation.pk}/"

    # -- Siv, the signatory, registers the new account ---------------------------------------
    siv = journey.person(world.user("applicant")).sign_in()
    siv.open(detail).sees("Bankgiro 5678-1230").click("Ändra utbetalningskonto")
    siv.sees("Exempelö kommun, Grannby kommun").look()
    siv.choose("Kontotyp", "bankgiro").fill("Kontonummer", "5050-1056").click("Skicka kontot för verifiering")
    siv.sees("inte ett giltigt bankgironummer").look()
    siv.fill("Kontonummer", "5050-1055").click("Skicka kontot för verifiering")
    siv.sees("Det nya kontot är registrerat", "Bankgiro 5050-1055", "väntar på verifiering").look()
    siv.does_not_see("Verifiera kontot")
    assert OutboxMessage.objects.filter(to=siv.user.email, subject__contains="väntar på verifiering").exists()
    siv.open(detail).sees("Bankgiro 5678-1230", "Nytt konto Bankgiro 5050-1055 väntar på verifiering")

    # -- Gustav, Grannby's caseworker: he verifies for Grannby, and only for Grannby ----------
    gustav = journey.person(world.user("other_caseworker")).sign_in()
    gustav.sees("Utbetalningskonton att verifiera", "Föreningen Gränslös").look()
    gustav.click("Föreningen Gränslös").sees("Verifiera för Grannby kommun").does_not_see(
        "Verifiera för Exempelö kommun"
    )
    gustav.look()
    gustav.click("Verifiera kontot").sees("Bekräfta att du har kontrollerat kontot")
    gustav.tick("Jag har kontrollerat med föreningen").click("Verifiera kontot")
    gustav.sees("Kontot är verifierat för Grannby kommun", "Gustav Grannby").look()
    change = AccountChange.objects.get()
    assert change.state == "pending"
    organisation.refresh_from_db()
    assert organisation.account_number == "56781230"  # Exempelö has not verified yet
    # He reads the association's page but has no way to change its account or its users.
    gustav.open(detail).does_not_see("Ändra utbetalningskonto")
    assert gustav.page.get_by_role("link", name="Ändra uppgifter", exact=True).count() == 0
    response = gustav.page.goto(f"/organisationer/{organisation.pk}/konto/")
    assert response.status == 403

    # -- Exempelö's caseworker verifies for Exempelö: the account is now in effect -----------
    karin = journey.person(world.user("caseworker")).sign_in()
    karin.sees("Utbetalningskonton att verifiera").open(detail)
    karin.sees("Ett nytt utbetalningskonto väntar på din verifiering").click("Verifiera kontot")
    karin.sees("Verifiera för Exempelö kommun").tick("Jag har kontrollerat med föreningen")
    karin.click("Verifiera kontot").sees("Kontot är verifierat och gäller nu").look()
    organisation.refresh_from_db()
    assert organisation.account_display == "Bankgiro 5050-1055"
    assert [e.transition for e in StateLog.objects.for_(AccountChange.objects.get())] == [
        "submit",
        "take_effect",
    ]

    # -- Siv sees the account in effect, and was told by e-mail --------------------------------
    siv.open(detail).sees("Bankgiro 5050-1055").does_not_see("väntar på verifiering")
    mail = OutboxMessage.objects.get(to=siv.user.email, subject__contains="gäller nu")
    assert re.search(r"5050-1055", mail.body)
