"""``/api/v1/nominations/``: candidates with their nominations, for staff only, with transitions and history."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from awards.models import Candidate

from .factories import candidate_in

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_staff_see_candidates_with_nominations_and_screen_them_through_the_api(world):
    candidate = candidate_in(world, "received")
    caseworker = world.users["caseworker"]
    listing = api(caseworker).get("/api/v1/nominations/").json()
    (row,) = listing["results"] if isinstance(listing, dict) else listing
    assert row["case_number"] == candidate.case_number and row["state"] == "received"
    assert row["nominations"][0]["nominator_email"] == "ake@example.se"

    # Nominators' details are personal data: applicants and other municipalities see nothing.
    for role in ("applicant", "other_caseworker"):
        other = api(world.users[role]).get("/api/v1/nominations/").json()
        assert (other["results"] if isinstance(other, dict) else other) == []
        assert api(world.users[role]).get(f"/api/v1/nominations/{candidate.pk}/").status_code == 404

    options = api(caseworker).get(f"/api/v1/nominations/{candidate.pk}/transitions/").json()
    assert {o["name"]: o["allowed"] for o in options} == {"mark_eligible": True, "mark_ineligible": False}
    assert "award" not in {o["name"] for o in options}  # the committee decides through its meeting

    denied = api(world.users["member"]).post(f"/api/v1/nominations/{candidate.pk}/transitions/mark_eligible/")
    assert denied.status_code == 403
    done = api(caseworker).post(
        f"/api/v1/nominations/{candidate.pk}/transitions/mark_eligible/", {}, format="json"
    )
    assert done.status_code == 200 and done.json()["state"] == "eligible"
    history = api(caseworker).get(f"/api/v1/nominations/{candidate.pk}/history/").json()
    assert [(h["source_state"], h["state"], h["by"]) for h in history] == [
        ("received", "eligible", str(caseworker))
    ]
    refused = api(caseworker).post(
        f"/api/v1/nominations/{candidate.pk}/transitions/shortlist/", {}, format="json"
    )
    assert refused.status_code == 409 and "jurymedlem" in refused.json()["reasons"][0]


def test_the_demo_has_an_open_award_round_with_nominations_and_last_years_recipient(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    from grants.models import Round

    open_round = Round.objects.get(
        program__name="Socialnämndens pris för ett starkare vardagsliv", closes_at__gt=timezone.now()
    )
    assert open_round.is_open() and open_round.program.award.amount == 10000
    assert open_round.program.rules_reference == "KFS 50:14"
    assert Candidate.objects.filter(round=open_round).count() >= 3
    last = Candidate.objects.get(state="announced")
    assert last.round.year == open_round.year - 1
    page = client.get(f"/utmarkelser/pristagare/{last.round.program.municipality.slug}/").content.decode()
    assert last.name in page and str(last.round.year) in page
    assert client.get(f"/utmarkelser/omgang/{open_round.pk}/nominera/").status_code == 200
