"""Pages are in Swedish whatever the browser asks for, and in English for one who chooses it."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_browser_set_to_english_still_gets_swedish_pages(client):
    page = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Logga in i Bidra" in page.content.decode()
    assert page["Content-Language"] == "sv"


def test_a_person_who_chooses_english_gets_english_pages(client):
    client.post("/sprak/", {"language": "en", "next": "/logga-in/"})
    page = client.get("/logga-in/", HTTP_ACCEPT_LANGUAGE="sv")
    assert "Sign in to Bidra" in page.content.decode()
    client.post("/sprak/", {"language": "sv", "next": "/logga-in/"})
    assert "Logga in i Bidra" in client.get("/logga-in/").content.decode()
