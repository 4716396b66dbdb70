"""The decision, its letters and payments through the API, for those allowed to see them."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from .decisions import decided_meeting

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_applicant_reads_the_decision_downloads_the_letter_and_follows_the_payments(world):
    decided = decided_meeting(world)
    application = decided["application"]
    client = _client(world.users["applicant"])

    data = client.get(reverse("api:application-detail", kwargs={"pk": application.pk})).json()
    assert data["state"] == "partly_granted" and data["granted_amount"] == "35000"
    assert data["decision"]["outcome"] == "partly_granted"
    assert data["decision"]["meeting"] == decided["meeting"].pk
    assert data["decision"]["final"] is False and data["decision"]["appeal_ends_on"]

    letters = client.get(reverse("api:application-letters", kwargs={"pk": application.pk})).json()
    assert [letter["version"] for letter in letters] == [1]
    response = client.get(letters[0]["pdf"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    import hashlib

    assert hashlib.sha256(body).hexdigest() == letters[0]["sha256"]

    payments = client.get(reverse("api:payment-list"), {"application": application.pk}).json()["results"]
    assert [(p["instalment"], p["amount"], p["state"]) for p in payments] == [
        (1, "17500", "exported"),
        (2, "17500", "exported"),
    ]


def test_another_organisation_sees_neither_the_letters_nor_the_payments(world):
    decided = decided_meeting(world)
    client = _client(world.users["other_applicant"])
    url = reverse("api:application-letters", kwargs={"pk": decided["application"].pk})
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:payment-list")).json()["results"] == []
