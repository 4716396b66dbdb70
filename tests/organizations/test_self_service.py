"""An association's way in: account, e-mail verification, registering the organisation, joining one."""

import re

import pytest
from django.core import signing
from django.urls import reverse
from django_fsm_log.models import StateLog

from organizations.models import Organisation, OrganisationRole, User
from workflows.models import OutboxMessage

from ..factories import MunicipalityFactory, OrganisationFactory, UserFactory, active_role

pytestmark = pytest.mark.django_db


def _link(mail) -> str:
    return re.search(r"https?://\S+", mail.body).group(0)


def test_signing_up_sends_a_verification_link_that_confirms_the_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:signup"),
            {
                "full_name": "Siv Sökande",
                "email": "Siv@Forening.example",
                "password": "ett-bra-losenord-2026",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="siv@forening.example")
    assert user.email_verified_at is None
    [mail] = mailoutbox
    assert mail.to == ["siv@forening.example"]
    assert "Bekräfta" in mail.subject
    response = client.get(_link(mail).replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_an_expired_verification_link_says_so_in_swedish(client, settings, world):
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    from organizations.services import email_verification_token

    token = email_verification_token(world.users["applicant"])
    response = client.get(reverse("organizations:verify_email", kwargs={"token": token}))
    assert response.status_code == 400
    assert "Länken har gått ut" in response.content.decode() or "har gått ut" in response.content.decode()


def test_a_tampered_verification_link_is_refused(client, world):
    response = client.get(reverse("organizations:verify_email", kwargs={"token": signing.dumps({"u": 1})}))
    assert response.status_code == 400


def test_signup_with_a_bad_email_or_weak_password_explains_and_saves_nothing(client):
    response = client.post(
        reverse("organizations:signup"), {"full_name": "X", "email": "inte-en-adress", "password": "123"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Något behöver rättas" in body
    assert "namn@example.se" in body
    assert User.objects.count() == 0


def _register_data(municipality, **overrides):
    data = {
        "name": "Föreningen Ny Gemenskap",
        "org_number": "802012-3454",
        "kind": "nonprofit",
        "purpose": "",
        "street_address": "",
        "postal_code": "",
        "city": "Exempelö",
        "email": "",
        "phone": "",
        "website": "",
        "member_count": 40,
        "municipality": municipality.pk,
        "resident_members": 30,
    }
    data.update(overrides)
    return data


def test_registering_an_organisation_makes_the_user_its_signatory_with_a_logged_transition(client):
    municipality = MunicipalityFactory()
    user = UserFactory()
    client.force_login(user)
    number = "8020123454"
    response = client.post(reverse("organizations:register"), _register_data(municipality, org_number=number))
    organisation = Organisation.objects.get(org_number=number)
    assert response.status_code == 302
    role = OrganisationRole.objects.get(user=user, organisation=organisation)
    assert (role.kind, role.state) == ("signatory", "active")
    assert StateLog.objects.for_(role).count() == 1
    assert organisation.activities.get().resident_members == 30


def test_an_invalid_org_number_is_refused_with_a_clear_message(client):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("organizations:register"), _register_data(municipality, org_number="802012-3450")
    )
    assert "är inte ett giltigt organisationsnummer" in response.content.decode()
    assert Organisation.objects.count() == 0


def test_a_duplicate_org_number_is_refused_and_points_to_asking_for_access(client):
    municipality = MunicipalityFactory()
    existing = OrganisationFactory(name="Redan Registrerad")
    client.force_login(UserFactory())
    response = client.post(
        reverse("organizations:register"), _register_data(municipality, org_number=existing.org_number)
    )
    body = response.content.decode()
    assert "Redan Registrerad" in body and "redan registrerad i Bidra" in body
    assert reverse("organizations:join") in body
    assert Organisation.objects.count() == 1


def test_an_unverified_user_cannot_register_an_organisation(client):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory(email_verified_at=None))
    response = client.post(
        reverse("organizations:register"), _register_data(municipality, org_number="802012-3454")
    )
    assert "Bekräfta din e-postadress" in response.content.decode()
    assert Organisation.objects.count() == 0


def test_a_join_request_is_approved_by_the_signatory_and_both_are_told_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Trygg Vardag")
    signatory = UserFactory(email="ordf@trygg.example")
    active_role(signatory, organisation)
    joiner = UserFactory(email="kassor@trygg.example", full_name="Nina Kassör")
    client.force_login(joiner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organizations:join"), {"org_number": organisation.org_number, "message": "Ny kassör"}
        )
    assert [m.to for m in mailoutbox] == [["ordf@trygg.example"]]
    role = OrganisationRole.objects.get(user=joiner)
    client.force_login(signatory)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organizations:role_transition", kwargs={"pk": role.pk, "name": "approve"}))
        client.post(reverse("organizations:role_transition", kwargs={"pk": role.pk, "name": "approve"}))
    role.refresh_from_db()
    assert role.state == "active"
    assert [m.to for m in mailoutbox] == [["ordf@trygg.example"], ["kassor@trygg.example"]]
    assert StateLog.objects.for_(role).count() == 1
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == 2


def test_asking_twice_to_join_is_refused(client):
    organisation = OrganisationFactory()
    joiner = UserFactory()
    client.force_login(joiner)
    client.post(reverse("organizations:join"), {"org_number": organisation.org_number})
    response = client.post(reverse("organizations:join"), {"org_number": organisation.org_number})
    assert "redan bett" in response.content.decode()
    assert OrganisationRole.objects.filter(user=joiner).count() == 1
