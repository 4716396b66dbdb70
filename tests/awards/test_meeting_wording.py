"""The committee's decision page words an award as an award: given or not, for its prize sum."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import Candidate

from ..grants.decisions import held_meeting, members
from .factories import candidate_in

pytestmark = pytest.mark.django_db


def test_the_decision_page_of_an_award_speaks_of_the_award_not_of_a_grant(world, client):
    candidate = candidate_in(world, "shortlisted")
    meeting = held_meeting(
        world, starts_at=timezone.now() - dt.timedelta(hours=2), cases=[candidate], adjusters=members(world)
    )
    item = meeting.items.get()
    client.force_login(world.users["secretary"])
    url = reverse("meetings:meeting_decide", args=[meeting.pk, item.group_no])
    page = client.get(url).content.decode().split("<main", 1)[1]
    assert "Tilldelad priset" in page and "Inte tilldelad priset" in page and "Prissumma (kr)" in page
    for grant_word in (
        "Bidragsperiod",
        "Beviljad",
        "beviljad",
        "Delvis",
        "För alla bidrag",
        "Redovisning senast",
        "Sökt",
    ):
        assert grant_word not in page, grant_word
    response = client.post(
        url,
        {
            f"item{item.pk}-outcome": "granted",
            f"item{item.pk}-amount": "10000",
            f"item{item.pk}-reasons": "Bra.",
        },
    )
    assert response.status_code == 302
    assert Candidate.objects.get(pk=candidate.pk).state == "awarded"
