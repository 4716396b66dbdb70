"""Single sign-on through the municipality's identity provider (OpenID Connect)."""

import pytest
import requests
from django.test import Client
from django.urls import reverse

from organizations.models import StaffRole

from .fake_idp import FakeIdP


@pytest.fixture
def idp(settings):
    with FakeIdP() as provider:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        settings.OIDC_PROVIDER_NAME = "Exempelö kommun"
        yield provider


def _sign_in_through(idp, client: Client, **person):
    idp.person = person
    start = client.get(reverse("accounts:oidc_start") + "?next=" + reverse("organizations:search"))
    assert start.status_code == 302 and start["Location"].startswith(idp.url + "/authorize?")
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    path = back.headers["Location"].removeprefix("http://testserver")
    return client.get(path)


@pytest.mark.django_db
def test_a_caseworker_signs_in_through_the_identity_provider_and_skips_the_app_code(idp, client, world):
    page = client.get(reverse("login"))
    assert "Logga in med Exempelö kommun" in page.content.decode()
    response = _sign_in_through(idp, client, sub="abc", email="CASEWORKER@exemplo.se", email_verified=True)
    assert response.status_code == 302 and response["Location"] == reverse("organizations:search")
    assert int(client.session["_auth_user_id"]) == world.users["caseworker"].pk
    # The identity provider did the multi-factor authentication: staff pages open at once.
    assert client.get(reverse("organizations:search")).status_code == 200
    assert {"/authorize", "/token", "/jwks", "/userinfo"} <= set(idp.requests)


@pytest.mark.django_db
def test_an_unknown_person_is_refused_with_a_message_and_no_account_is_created(idp, client, world):
    from organizations.models import User

    users = User.objects.count()
    response = _sign_in_through(idp, client, sub="zzz", email="okand@exemplo.se")
    assert response["Location"] == reverse("login")
    page = client.get(reverse("login"))
    assert "Det finns inget konto i Bidra för okand@exemplo.se" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users


@pytest.mark.django_db
def test_signing_in_grants_no_role(idp, client, world):
    from ..factories import UserFactory

    newcomer = UserFactory(email="ny@exemplo.se")
    _sign_in_through(idp, client, sub="n", email="ny@exemplo.se", groups=["caseworker"], roles=["admin"])
    assert int(client.session["_auth_user_id"]) == newcomer.pk
    assert not StaffRole.objects.filter(user=newcomer).exists()
    newcomer.refresh_from_db()
    assert not newcomer.is_staff and not newcomer.is_superuser
    assert client.get(reverse("organizations:search")).status_code == 403


@pytest.mark.django_db
def test_a_configurable_claim_identifies_the_person(idp, client, world, settings):
    settings.OIDC_MATCH_CLAIM = "upn"
    _sign_in_through(idp, client, sub="s", email="private@gmail.example", upn="secretary@exemplo.se")
    assert int(client.session["_auth_user_id"]) == world.users["secretary"].pk


@pytest.mark.django_db
def test_a_deactivated_account_cannot_sign_in(idp, client, world):
    caseworker = world.users["caseworker"]
    caseworker.is_active = False
    caseworker.save()
    _sign_in_through(idp, client, sub="abc", email=caseworker.email)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_single_sign_on_is_off_when_not_configured(client):
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert "kommunen" not in client.get(reverse("login")).content.decode()
