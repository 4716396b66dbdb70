"""Journey: the association and the caseworker write to each other on the application's page.

The application is set up with the factories (journey 1 sends one in on the pages).  The
caseworker asks a question with a file, keeps a note for colleagues, the treasurer reads the
question (the caseworker sees it read) and answers; each sees what waits unread on the start page
or in the inbox.
"""

from __future__ import annotations

import pytest

from correspondence.models import Message, MessageRead

from ..conftest import build_world
from ..grants.factories import PDF, application_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_association_and_the_caseworker_write_on_the_case_page(journey):
    world = build_world()
    application = application_in(world, "submitted")
    page = f"/ansokningar/{application.pk}/"

    caseworker = journey.person(world.users["caseworker"]).sign_in()
    caseworker.open(page)
    caseworker.fill("Nytt meddelande", "Hur många deltagare räknar ni med per träff?")
    caseworker.upload("Filer (frivilligt)", "frageformular.pdf", PDF)
    caseworker.click("Skicka")
    journey.step(caseworker, "the caseworker asks a question with a file")
    caseworker.fill("Nytt meddelande", "Ring ordföranden innan beredningen.")
    caseworker.tick("Intern anteckning – syns inte för föreningen")
    caseworker.click("Skicka")
    journey.step(caseworker, "the caseworker keeps an internal note")
    caseworker.click("Skicka")
    assert "Skriv ett meddelande." in caseworker.page.content()
    caseworker.look()
    journey.step(caseworker, "an empty message is refused")

    treasurer = journey.person(world.users["applicant"]).sign_in()
    treasurer.open("/")
    assert "1 oläst meddelande" in treasurer.page.content()
    treasurer.look()
    journey.step(treasurer, "the start page says a message waits")
    treasurer.click("SN 2026/1 Träffpunkt för äldre", role="link")
    content = treasurer.page.content()
    assert "Hur många deltagare" in content and "Ring ordföranden" not in content
    assert MessageRead.objects.filter(user=world.users["applicant"]).count() == 1
    treasurer.look()
    treasurer.fill("Nytt meddelande", "Ungefär 25 personer per gång.")
    treasurer.click("Skicka")
    journey.step(treasurer, "the treasurer answers")

    caseworker.open("/handlaggning/")
    assert "1 oläst meddelande" in caseworker.page.content()
    caseworker.look()
    journey.step(caseworker, "the inbox says an answer waits")
    caseworker.open(page)
    assert "Läst " in caseworker.page.content()
    assert "Ungefär 25 personer" in caseworker.page.content()
    caseworker.look()
    journey.step(caseworker, "the caseworker sees the question read and the answer")
    assert Message.objects.filter(internal=True).count() == 1
