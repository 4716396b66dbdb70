"""Sessions: Django's database sessions, read with the SQL compiled once (accounts.sessions)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import SessionStore

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _signed_in_by_django(user) -> str:
    """A session as Django's own database backend writes it (one signed in before the change)."""
    session = django_db.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def test_the_configured_sessions_are_these():
    assert settings.SESSION_ENGINE == "accounts.sessions"


def test_a_session_django_wrote_stays_signed_in(client):
    user = UserFactory()
    client.cookies[settings.SESSION_COOKIE_NAME] = _signed_in_by_django(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_a_session_reads_as_djangos_own_in_one_statement():
    key = _signed_in_by_django(UserFactory())
    expected = django_db.SessionStore(key).load()
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            got = SessionStore(key).load()
        assert got == expected and got[SESSION_KEY]
        assert len(ctx.captured_queries) == 1


def test_an_expired_session_signs_out(client):
    key = _signed_in_by_django(UserFactory())
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get(reverse("home"))
    assert not response.wsgi_request.user.is_authenticated


def test_an_unknown_key_is_an_empty_session():
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_signing_in_and_out_writes_and_removes_the_session(client):
    user = UserFactory()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()[SESSION_KEY] == str(user.pk)
    client.post(reverse("logout"))
    assert not Session.objects.filter(pk=key).exists()
