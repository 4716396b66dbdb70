"""/api/v1/partnerships/ with the same permissions as the pages."""

import pytest
from rest_framework.test import APIClient

from .factories import in_state

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_applicants_see_their_own_partnerships_and_staff_their_municipalitys(world):
    partnership = in_state(world, "initiative")
    assert [
        p["id"] for p in _api(world.users["applicant"]).get("/api/v1/partnerships/").json()["results"]
    ] == [partnership.pk]
    assert _api(world.users["other_applicant"]).get("/api/v1/partnerships/").json()["results"] == []
    assert (
        _api(world.users["other_caseworker"]).get(f"/api/v1/partnerships/{partnership.pk}/").status_code
        == 404
    )


def test_the_caseworker_moves_a_partnership_through_the_api_and_the_history_shows_it(world):
    partnership = in_state(world, "initiative")
    api = _api(world.users["caseworker"])
    options = api.get(f"/api/v1/partnerships/{partnership.pk}/transitions/").json()
    assert [o["name"] for o in options] == ["start_screening"]
    refused = _api(world.users["applicant"]).post(
        f"/api/v1/partnerships/{partnership.pk}/transitions/start_screening/"
    )
    assert refused.status_code == 403
    response = api.post(
        f"/api/v1/partnerships/{partnership.pk}/transitions/start_screening/", {"reason": "Ny"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "screening"
    response = api.post(f"/api/v1/partnerships/{partnership.pk}/transitions/find_suitable/")
    assert response.status_code == 409  # the checklist is not filled in yet
    assert (
        response.json()["reasons"][0] == "Varje punkt i IOP-checklistan behöver ett svar och en motivering."
    )
    history = api.get(f"/api/v1/partnerships/{partnership.pk}/history/").json()
    assert [(h["source_state"], h["state"], h["reason"]) for h in history] == [
        ("initiative", "screening", "Ny")
    ]


def test_the_api_records_no_partnership_decision_of_its_own(world):
    partnership = in_state(world, "proposed")
    for role in ("caseworker", "secretary"):
        api = _api(world.users[role])
        options = {o["name"] for o in api.get(f"/api/v1/partnerships/{partnership.pk}/transitions/").json()}
        assert not options & {"approve", "reject"}
        for name in ("approve", "reject"):
            response = api.post(
                f"/api/v1/partnerships/{partnership.pk}/transitions/{name}/",
                {"reason": "§ 42"},
                format="json",
            )
            assert response.status_code == 404
    partnership.refresh_from_db()
    assert (partnership.state, partnership.decided_on) == ("proposed", None)
