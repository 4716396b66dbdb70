"""Applicants can sign in with a link by e-mail: signed, short-lived, single use."""

import pytest
from django.urls import reverse

from accounts.services import login_link_token
from workflows.models import OutboxMessage


def _link_from_mail() -> str:
    body = OutboxMessage.objects.get(key__startswith="login-link:").body
    return next(line for line in body.splitlines() if "/logga-in/lank/" in line).split("127.0.0.1:8000", 1)[1]


@pytest.mark.django_db
def test_an_applicant_signs_in_once_with_the_link_from_the_email(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:login_link"), {"email": "Sokande@Example.se"})
    assert response["Location"] == reverse("accounts:login_link_sent")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sokande@example.se"]
    link = _link_from_mail()

    # Opening the link (as a mail scanner would) does not sign in; the button does.
    page = client.get(link)
    assert page.status_code == 200 and "sokande@example.se" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.post(link)["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == world.users["applicant"].pk

    client.post(reverse("logout"))
    assert client.get(link).status_code == 400
    assert client.post(link).status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(client, world):
    response = client.post(reverse("accounts:login_link"), {"email": "okand@example.se"})
    assert response["Location"] == reverse("accounts:login_link_sent")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_an_old_or_tampered_link_does_not_sign_in(client, world, settings):
    token = login_link_token(world.users["applicant"])
    assert (
        client.post(reverse("accounts:login_link_use", kwargs={"token": token[:-2] + "xx"})).status_code
        == 400
    )
    settings.LOGIN_LINK_MAX_AGE = -1
    expired = client.post(reverse("accounts:login_link_use", kwargs={"token": token}))
    assert expired.status_code == 400 and expired.context["expired"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_staff_member_signing_in_with_a_link_still_needs_the_code(client, world):
    from ..conftest import force_login_without_second_factor  # noqa: F401 - documents the contrast

    token = login_link_token(world.users["caseworker"])
    response = client.post(reverse("accounts:login_link_use", kwargs={"token": token}))
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    assert client.get(reverse("organizations:search")).status_code == 302
