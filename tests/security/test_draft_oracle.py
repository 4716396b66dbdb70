"""Starting an application for someone else's organisation answers the same whether that
organisation has a draft in the round, has none, or does not exist: nothing is learnt by trying."""

import pytest
from django.urls import reverse

from grants.models import Application

from ..factories import OrganisationFactory, UserFactory, active_role
from ..grants.factories import draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_with_a_draft(world):
    """The round, where the world's organisation has a draft and another organisation has none."""
    draft = draft_application(world)
    without = OrganisationFactory(name="Föreningen Utan Utkast", active_in=[world.municipality])
    stranger = UserFactory(email="grannen@example.se")
    active_role(stranger, OrganisationFactory(name="Grannföreningen", active_in=[world.municipality]))
    world.users["stranger"] = stranger
    return draft.round, world.organisation, without


def _api(client, round, organisation_id):
    response = client.post(
        "/api/v1/applications/",
        {"round": round.pk, "organisation": organisation_id, "title": "Försök"},
        content_type="application/json",
    )
    return response.status_code, response.json()


def test_the_api_answers_not_yours_alike_whether_a_draft_exists(client, world, round_with_a_draft):
    round, with_draft, without = round_with_a_draft
    client.force_login(world.users["stranger"])
    answers = [_api(client, round, organisation.pk) for organisation in (with_draft, without)]
    answers.append(_api(client, round, 999_999))  # no such organisation
    answers.append(_api(client, round, "99999999999999999999999"))
    assert answers[0] == answers[1] == answers[2] == answers[3]
    assert answers[0] == (403, {"detail": "Du kan bara ansöka för en organisation som du företräder."})
    assert Application.objects.filter(round=round).count() == 1


def test_the_page_answers_not_yours_alike_whether_a_draft_exists(client, world, round_with_a_draft):
    round, with_draft, without = round_with_a_draft
    client.force_login(world.users["stranger"])
    url = reverse("grants:apply", args=[round.pk])
    answers = [client.post(url, {"organisation": o.pk}) for o in (with_draft, without)]
    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].content == answers[1].content
    assert Application.objects.filter(round=round).count() == 1


def test_ones_own_organisation_gets_its_draft_back_through_the_api(client, world, round_with_a_draft):
    round, with_draft, _without = round_with_a_draft
    client.force_login(world.users["applicant"])
    status, body = _api(client, round, with_draft.pk)
    assert status == 201
    assert body["id"] == Application.objects.get(round=round, organisation=with_draft).pk


def test_a_body_that_is_not_an_object_is_answered_400(client, world, round_with_a_draft):
    client.force_login(world.users["stranger"])
    response = client.post("/api/v1/applications/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
