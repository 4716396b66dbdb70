"""Staff who sign in with a password reach nothing until they confirm with a one-time code."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SECOND_FACTOR_ALLOWED

from ..authz import Page, all_entries
from ..conftest import STAFF_ROLES, build_world, force_login_without_second_factor
from ..factories import PASSWORD

STAFF_PAGES = [
    e
    for e in all_entries()
    if isinstance(e, Page)
    and e.name not in SECOND_FACTOR_ALLOWED
    and e.allow & (STAFF_ROLES | {"other_caseworker"})
]


def _code(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at or time.time()
    return f"{totp.token():06d}"


@pytest.mark.django_db
@pytest.mark.parametrize("entry", STAFF_PAGES, ids=[e.id for e in STAFF_PAGES])
def test_staff_without_second_factor_reach_no_staff_page(entry):
    world = build_world()
    if entry.setup:
        entry.setup(world)
    url = reverse(entry.name, kwargs=entry.kwargs(world)) + entry.query
    for role in sorted(entry.allow & (STAFF_ROLES | {"other_caseworker"})):
        client = Client()
        force_login_without_second_factor(client, world.users[role])
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 403, f"{role} used {url} without a second factor"
            continue
        assert response.status_code == 302, f"{role} reached {url} without a second factor"
        assert response["Location"].startswith(reverse("accounts:otp_setup")), response["Location"]


@pytest.mark.django_db
def test_a_caseworker_enrols_an_app_then_confirms_each_sign_in_with_a_code(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code below
    caseworker = world.users["caseworker"]
    search = reverse("organizations:search")
    response = client.post(reverse("login"), {"username": "CASEWORKER@exemplo.se", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get(search)["Location"].startswith(reverse("accounts:otp_setup"))

    page = client.get(reverse("accounts:otp_setup"))
    assert b"<svg" in page.content and b"otpauth://totp/" in page.content
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    assert page.context["secret"].replace(" ", "") in page.content.decode().replace(" ", "")

    refused = client.post(
        reverse("accounts:otp_setup"), {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert refused.status_code == 200 and "inte rätt" in refused.content.decode()
    with pytest.raises(TOTPDevice.DoesNotExist):
        TOTPDevice.objects.get(user=caseworker, confirmed=True)

    client.post(reverse("accounts:otp_setup") + "?next=" + search, {"code": _code(device), "next": search})
    assert client.get(search).status_code == 200

    # The next sign-in asks for a code from the same app.
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": caseworker.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(search).status_code == 302
    wrong = client.post(reverse("accounts:otp_verify"), {"code": "12345"})
    assert "sex siffror" in wrong.content.decode()
    device.refresh_from_db()
    client.post(reverse("accounts:otp_verify"), {"code": _code(device, time.time() + device.step)})
    assert client.get(search).status_code == 200


@pytest.mark.django_db
def test_wrong_codes_slow_down_guessing(client, world):
    caseworker = world.users["caseworker"]
    device = TOTPDevice.objects.create(user=caseworker, name="Bidra", confirmed=True)
    force_login_without_second_factor(client, caseworker)
    wrong = "000000" if _code(device) != "000000" else "111111"
    client.post(reverse("accounts:otp_verify"), {"code": wrong})
    # Right after a wrong code even the right one is refused for a while (django-otp throttling).
    client.post(reverse("accounts:otp_verify"), {"code": _code(device)})
    assert client.get(reverse("organizations:search")).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


@pytest.mark.django_db
def test_a_password_alone_cannot_replace_the_app_of_a_staff_member(client, world):
    caseworker = world.users["caseworker"]
    TOTPDevice.objects.create(user=caseworker, name="Bidra", confirmed=True)
    force_login_without_second_factor(client, caseworker)
    response = client.get(reverse("accounts:otp_setup"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=False).exists()


@pytest.mark.django_db
def test_applicants_sign_in_with_a_password_alone(client, world):
    response = client.post(reverse("login"), {"username": "sokande@example.se", "password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("accounts:otp_verify")).status_code == 404


@pytest.mark.django_db
def test_the_api_refuses_a_staff_session_without_a_second_factor(client, world):
    force_login_without_second_factor(client, world.users["caseworker"])
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 403
    assert "engångskod" in response.json()["detail"]


@pytest.mark.django_db
def test_admin_access_needs_the_second_factor_too(client):
    from ..factories import UserFactory

    admin = UserFactory(email="admin@exemplo.se", is_staff=True, is_superuser=True)
    force_login_without_second_factor(client, admin)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp_setup"))
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("enrolled", [True, False], ids=["code", "enrolment"])
def test_the_session_gets_a_new_key_when_the_second_factor_is_passed(client, world, enrolled):
    """A session key learnt before the code (a fixed cookie, a shared computer) is worth nothing after."""
    from django.conf import settings

    caseworker = world.users["caseworker"]
    device = TOTPDevice.objects.create(user=caseworker, name="Bidra", confirmed=enrolled)
    client.post(reverse("login"), {"username": caseworker.email, "password": PASSWORD})
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    step = "accounts:otp_verify" if enrolled else "accounts:otp_setup"
    if not enrolled:
        client.get(reverse(step))
        device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    response = client.post(reverse(step), {"code": _code(device)})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    search = reverse("organizations:search")
    assert client.get(search).status_code == 200

    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stolen.get(search).status_code == 302  # the old key signs nobody in
