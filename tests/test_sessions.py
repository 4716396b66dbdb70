"""Sessions: Django's own database sessions, as configured."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_sessions_are_djangos_database_sessions():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_a_signed_in_person_stays_signed_in_from_page_to_page(client):
    user = UserFactory()
    client.force_login(user)
    for _ in range(2):
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert response.wsgi_request.user == user


def test_an_expired_session_signs_out(client):
    client.force_login(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert not response.wsgi_request.user.is_authenticated


def test_an_unknown_session_key_is_not_signed_in(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    response = client.get(reverse("home"))
    assert not response.wsgi_request.user.is_authenticated


def test_signing_in_and_out_writes_and_removes_the_session(client):
    user = UserFactory()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(pk=key).get_decoded()[SESSION_KEY] == str(user.pk)
    client.post(reverse("logout"))
    assert not Session.objects.filter(pk=key).exists()


def test_a_tampered_session_signs_out_and_is_logged_as_suspicious(client, caplog):
    client.force_login(UserFactory())
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(session_data="tampered:with")
    with caplog.at_level("WARNING", logger="django.security"):
        response = client.get(reverse("home"))
    assert not response.wsgi_request.user.is_authenticated
    assert any(record.name.startswith("django.security.SuspiciousSession") for record in caplog.records)
