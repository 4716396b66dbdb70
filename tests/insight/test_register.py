"""The public register shows posted decisions only, and never a person's data."""

import pytest
from django.test import Client
from django.urls import reverse

from insight.selectors import received_by_organisation

from .factories import CONTACT_EMAIL, CONTACT_NAME, ORG_EMAIL, ORG_PHONE, PERSON_AWARDED, scenario

pytestmark = pytest.mark.django_db

PRIVATE = [
    CONTACT_NAME,
    CONTACT_EMAIL,
    ORG_EMAIL,
    ORG_PHONE,
    PERSON_AWARDED,
    "Siv Sökande",
    "Ordförande Olsson",
]


def _register(world, query=""):
    url = reverse("insight:register", kwargs={"slug": world.municipality.slug})
    return Client().get(f"{url}{query}")


def test_only_decisions_whose_minutes_are_posted_appear(world):
    s = scenario(world)
    html = _register(world).content.decode()
    apps = s["apps"]
    for key in ("a1", "a2", "a6"):  # granted at, or reported to, the posted meeting
        assert apps[key].case_number in html, key
    for key in ("a3", "a4", "a5", "a7"):  # unposted minutes, rejected, delegated not reported, open
        assert apps[key].case_number not in html, key
    assert s["award"].case_number in html
    assert s["partnership"].title in html
    assert "100\u00a0000\u00a0kr" in html
    assert "minutes of the meeting" in html or "protokollet" in html  # the rule is stated on the page


def test_no_personal_data_in_the_register(world):
    s = scenario(world)
    html = _register(world).content.decode()
    for text in PRIVATE:
        assert text not in html, text
    assert s["person"].case_number not in html
    org_page = Client().get(
        reverse("insight:organisation", kwargs={"slug": world.municipality.slug, "pk": s["trygg"].pk})
    )
    for text in PRIVATE:
        assert text not in org_page.content.decode(), text


def test_search_and_filters_narrow_the_register(world):
    s = scenario(world)
    html = _register(world, "?q=församling").content.decode()
    assert s["apps"]["a2"].case_number in html and s["apps"]["a1"].case_number not in html
    html = _register(world, "?kind=partnership").content.decode()
    assert s["partnership"].title in html and s["apps"]["a1"].case_number not in html
    html = _register(world, f"?program={s['program'].pk}&year={s['year']}").content.decode()
    assert s["apps"]["a1"].case_number in html and s["award"].case_number not in html
    assert s["partnership"].title not in html
    html = _register(world, "?q=finns-inte").content.decode()
    assert "Inget beslut matchar" in html


def test_the_organisation_page_lists_what_it_received(world):
    s = scenario(world)
    response = Client().get(
        reverse("insight:organisation", kwargs={"slug": world.municipality.slug, "pk": s["kyrkan"].pk})
    )
    html = response.content.decode()
    assert s["apps"]["a2"].case_number in html and s["apps"]["a6"].case_number in html
    assert s["award"].case_number in html
    assert "75\u00a0000\u00a0kr" in html  # 50 000 + 15 000 + the award's 10 000


def test_an_organisation_of_another_municipality_is_not_found(world):
    scenario(world)
    url = reverse(
        "insight:organisation", kwargs={"slug": world.municipality.slug, "pk": world.other_organisation.pk}
    )
    assert Client().get(url).status_code == 404


def test_received_by_organisation_for_the_directory(world):
    s = scenario(world)
    rows = received_by_organisation(s["trygg"])
    assert {r["case_number"] for r in rows} == {s["apps"]["a1"].case_number, s["partnership"].case_number}
    grant = next(r for r in rows if r["kind"] == "grant")
    assert grant["program"] == "Verksamhetsstöd"
    assert grant["year"] == s["year"]
    assert grant["amount"] == 100000
    assert grant["decided_on"] is not None
    assert set(grant) >= {"kind", "program", "year", "amount", "decided_on", "case_number"}


def test_a_decision_annulled_on_appeal_disappears_at_the_next_refresh(world):
    s = scenario(world)
    from insight.services import register_refresh
    from meetings.models import Decision

    Decision.objects.filter(pk=s["apps"]["a1"].decision_id).update(annulled=True)
    register_refresh(municipality=world.municipality)
    assert s["apps"]["a1"].case_number not in _register(world).content.decode()
