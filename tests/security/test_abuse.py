"""Lock-out after failed sign-ins, rate limits on public forms and the API."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from workflows.models import OutboxMessage

from ..factories import PASSWORD


def _sign_in(client, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": "sokande@example.se", "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_the_account_at_that_address_for_30_minutes(client, world):
    for _ in range(5):
        assert _sign_in(client, "wrong-password").status_code in (200, 429)
    locked = _sign_in(client, PASSWORD)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "För många misslyckade försök" in text and "30 minuter" in text
    assert "_auth_user_id" not in client.session

    # The same person from another address is not locked out.
    other = _sign_in(client.__class__(), PASSWORD, ip="10.0.0.2")
    assert other.status_code == 302

    # After the cool-off the account opens again.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )
    assert _sign_in(client, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_letter_case_does_not_give_an_attacker_more_attempts(client, world):
    for variant in [
        "sokande@example.se",
        "SOKANDE@example.se",
        "Sokande@Example.se",
        "sokande@EXAMPLE.se",
        "SoKaNdE@example.se",
    ]:
        client.post(reverse("login"), {"username": variant, "password": "nope"}, REMOTE_ADDR="10.0.0.9")
    assert _sign_in(client, PASSWORD, ip="10.0.0.9").status_code == 429


@pytest.mark.django_db
def test_password_reset_is_rate_limited_per_address(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "3/3600"}
    for n in range(3):
        response = client.post(reverse("password_reset"), {"email": f"nobody{n}@example.se"})
        assert response.status_code == 302
    refused = client.post(reverse("password_reset"), {"email": "sokande@example.se"})
    assert refused.status_code == 429
    assert "för många gånger" in refused.content.decode()
    assert not OutboxMessage.objects.filter(to="sokande@example.se").exists()


@pytest.mark.django_db
def test_one_address_cannot_be_flooded_with_sign_in_links_from_many_places(client, world):
    for n in range(5):
        client.post(
            reverse("accounts:login_link"), {"email": "sokande@example.se"}, REMOTE_ADDR=f"10.1.0.{n}"
        )
    refused = client.post(
        reverse("accounts:login_link"), {"email": "sokande@example.se"}, REMOTE_ADDR="10.1.0.99"
    )
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


@pytest.mark.django_db
def test_signup_is_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "organizations:signup": "2/3600"}
    for n in range(2):
        client.post(reverse("organizations:signup"), {"email": f"x{n}@example.se"})
    assert client.post(reverse("organizations:signup"), {"email": "y@example.se"}).status_code == 429


@pytest.mark.django_db
def test_the_api_throttles_anonymous_and_signed_in_clients(client, world, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "3/minute"})
    statuses = [client.get("/api/v1/schema/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    client.force_login(world.users["applicant"])
    statuses = [client.get("/api/v1/organizations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
