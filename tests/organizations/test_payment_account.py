"""The payment account belongs to the organisation: its signatory asks for a new one, and it takes
effect only when a caseworker of every municipality where the organisation is active has verified
it (four eyes).  Until then every payment goes to the account in effect."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_fsm_log.models import StateLog

from organizations import services
from organizations.models import AccountChange, OrganisationRole, StaffRole
from workflows.models import OutboxMessage
from workflows.services import TransitionRefused

from ..factories import StaffRoleFactory, UserFactory, active_role

pytestmark = pytest.mark.django_db


def _ask(client, world, organisation, number="5050-1055", kind="bankgiro"):
    client.force_login(world.users["applicant"])
    return client.post(
        reverse("organizations:bank_account", kwargs={"pk": organisation.pk}),
        {"account_type": kind, "account_number": number},
    )


def _verify(client, user, verification, checked=True):
    client.force_login(user)
    data = {f"verify-{verification.pk}-checked": "on"} if checked else {}
    return client.post(reverse("organizations:account_verify", kwargs={"pk": verification.pk}), data)


def test_the_signatory_asks_for_a_new_account_which_waits_and_the_users_are_told(
    client, world, django_capture_on_commit_callbacks
):
    organisation = world.shared_organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, world, organisation)
    change = AccountChange.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "organizations:account_change", kwargs={"pk": change.pk}
    )
    assert change.state == "pending"
    assert sorted(v.municipality.name for v in change.verifications.all()) == [
        "Exempelö kommun",
        "Grannby kommun",
    ]
    organisation.refresh_from_db()
    assert organisation.account_display == "Bankgiro 5678-1230"  # still the account in effect
    mail = OutboxMessage.objects.get(to=world.users["applicant"].email)
    assert "väntar på verifiering" in mail.subject and "5050-1055" in mail.body
    assert [e.transition for e in StateLog.objects.for_(change)] == ["submit"]
    page = client.get(response["Location"]).content.decode()
    assert "Väntar på verifiering" in page or "väntar på verifiering" in page
    assert "Verifiera kontot" not in page  # those who act for the organisation never verify


def test_a_member_user_and_staff_cannot_ask_for_a_new_account(client, world):
    organisation = world.organisation
    member = UserFactory(email="medlem@trygg.example")
    active_role(member, organisation, kind=OrganisationRole.Kind.MEMBER)
    url = reverse("organizations:bank_account", kwargs={"pk": organisation.pk})
    for user in (member, world.users["caseworker"], world.users["program_admin"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"account_type": "bankgiro", "account_number": "5050-1055"}).status_code == 403
        )
    assert not AccountChange.objects.exists()
    client.force_login(world.users["caseworker"])
    page = client.get(reverse("organizations:detail", kwargs={"pk": organisation.pk})).content.decode()
    assert url not in page


def test_account_numbers_are_checked_and_the_same_account_is_not_asked_for_twice(client, world):
    organisation = world.shared_organisation
    response = _ask(client, world, organisation, number="5050-1056")
    assert "inte ett giltigt bankgironummer" in response.content.decode()
    response = _ask(client, world, organisation, number="5678-1230")
    assert "redan föreningens utbetalningskonto" in response.content.decode()
    _ask(client, world, organisation, number="4 12 34-6", kind="plusgiro")
    assert AccountChange.objects.get().account_display == "Plusgiro 4 12 34-6"
    response = _ask(client, world, organisation, number="41234-6", kind="plusgiro")
    assert "väntar redan på verifiering" in response.content.decode()
    # A different account replaces the one waiting; the first is withdrawn, with its log row.
    _ask(client, world, organisation, number="5050-1055")
    first, second = AccountChange.objects.order_by("pk")
    assert (first.state, second.state) == ("withdrawn", "pending")
    assert StateLog.objects.for_(first).last().description == "Ersatt av ett nytt konto"


def test_the_account_takes_effect_only_when_every_municipality_has_verified_it(
    client, world, django_capture_on_commit_callbacks
):
    organisation = world.shared_organisation
    _ask(client, world, organisation)
    change = AccountChange.objects.get()
    exemplo = change.verifications.get(municipality=world.municipality)
    grannby = change.verifications.get(municipality=world.other_municipality)

    # The caseworker finds it on the start page and the organisation's page.
    client.force_login(world.users["caseworker"])
    home = client.get(reverse("home")).content.decode()
    assert "Utbetalningskonton att verifiera" in home and "Föreningen Gränslös" in home
    detail = client.get(reverse("organizations:detail", kwargs={"pk": organisation.pk})).content.decode()
    assert "Ett nytt utbetalningskonto väntar på din verifiering" in detail

    # Verifying needs the confirmation that the account was checked with the organisation.
    response = _verify(client, world.users["caseworker"], exemplo, checked=False)
    assert "Bekräfta att du har kontrollerat kontot" in response.content.decode()
    exemplo.refresh_from_db()
    assert exemplo.state == "pending"

    response = _verify(client, world.users["caseworker"], exemplo)
    assert response.status_code == 302
    change.refresh_from_db()
    organisation.refresh_from_db()
    assert change.state == "pending"
    assert organisation.account_display == "Bankgiro 5678-1230"
    assert "Utbetalningskonton att verifiera" not in client.get(reverse("home")).content.decode()

    # Grannby's caseworker verifies Grannby's part: now it is in effect, and the users are told.
    with django_capture_on_commit_callbacks(execute=True):
        _verify(client, world.users["other_caseworker"], grannby)
    change.refresh_from_db()
    organisation.refresh_from_db()
    assert change.state == "in_effect"
    assert organisation.account_display == "Bankgiro 5050-1055"
    assert organisation.account_changed_at == change.decided_at
    assert OutboxMessage.objects.filter(
        to=world.users["applicant"].email, subject__contains="gäller nu"
    ).exists()
    log = [(e.transition, e.by) for e in StateLog.objects.for_(change)]
    assert log == [("submit", world.users["applicant"]), ("take_effect", world.users["other_caseworker"])]
    assert [(e.transition, e.by) for e in StateLog.objects.for_(exemplo)] == [
        ("verify", world.users["caseworker"])
    ]


def test_four_eyes_no_one_who_acts_for_the_organisation_verifies_its_account(client, world):
    organisation = world.organisation
    # A caseworker of Exempelö who is also a member user of the association.
    colleague = UserFactory(email="kollega@exemplo.se")
    StaffRoleFactory(user=colleague, municipality=world.municipality, role=StaffRole.Role.CASEWORKER)
    active_role(colleague, organisation, kind=OrganisationRole.Kind.MEMBER)
    change = services.account_change_request(
        organisation=organisation,
        by=world.users["applicant"],
        account_type="bankgiro",
        account_number="5050-1055",
    )
    verification = change.verifications.get()
    assert _verify(client, colleague, verification).status_code == 403
    with pytest.raises(PermissionDenied):
        services.account_verification_verify(verification=verification, by=colleague)
    # Nor does the superuser's flag stand in for a caseworker of the municipality.
    root = UserFactory(email="root@bidra.example", is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        services.account_verification_verify(verification=verification, by=root)
    verification.refresh_from_db()
    assert verification.state == "pending"


def test_a_caseworker_rejects_the_account_with_a_reason_the_organisation_is_told(
    client, world, django_capture_on_commit_callbacks
):
    organisation = world.shared_organisation
    _ask(client, world, organisation)
    change = AccountChange.objects.get()
    url = reverse("organizations:account_change_transition", kwargs={"pk": change.pk, "name": "reject"})
    client.force_login(world.users["other_caseworker"])
    response = client.post(url, {"reason": ""})
    assert "Skriv varför kontot avvisas" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Banken känner inte till kontot."})
    change.refresh_from_db()
    organisation.refresh_from_db()
    assert change.state == "rejected"
    assert organisation.account_display == "Bankgiro 5678-1230"
    mail = OutboxMessage.objects.get(to=world.users["applicant"].email, subject__contains="verifierades inte")
    assert "Banken känner inte till kontot." in mail.body
    with pytest.raises(TransitionRefused):
        services.account_verification_verify(
            verification=change.verifications.get(municipality=world.municipality),
            by=world.users["caseworker"],
        )


def test_the_organisation_withdraws_a_waiting_change(client, world):
    _ask(client, world, world.organisation)
    change = AccountChange.objects.get()
    client.post(
        reverse("organizations:account_change_transition", kwargs={"pk": change.pk, "name": "withdraw"})
    )
    change.refresh_from_db()
    assert change.state == "withdrawn"


def test_changing_where_the_organisation_is_active_withdraws_the_waiting_change(client, world):
    organisation = world.organisation
    _ask(client, world, organisation)
    response = client.post(
        reverse("organizations:edit", kwargs={"pk": organisation.pk}),
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "member_count": 50,
            "activities-TOTAL_FORMS": "2",
            "activities-INITIAL_FORMS": "1",
            "activities-MIN_NUM_FORMS": "0",
            "activities-MAX_NUM_FORMS": "1000",
            "activities-0-id": organisation.activities.get().pk,
            "activities-0-municipality": world.municipality.pk,
            "activities-0-resident_members": "40",
            "activities-1-municipality": world.other_municipality.pk,
            "activities-1-resident_members": "3",
        },
        follow=True,
    )
    assert "Det nya utbetalningskontot återkallades" in response.content.decode()
    assert AccountChange.objects.get().state == "withdrawn"
    assert organisation.activities.count() == 2


def test_an_organisation_active_nowhere_is_asked_to_say_where_first(client, world):
    world.organisation.activities.all().delete()
    response = _ask(client, world, world.organisation)
    assert "Registrera först var föreningen är verksam" in response.content.decode()
    assert not AccountChange.objects.exists()


def test_the_api_asks_and_verifies_with_the_same_rules(client, world):
    organisation = world.shared_organisation
    client.force_login(world.users["applicant"])
    response = client.post(
        "/api/v1/account-changes/",
        {"organisation": organisation.pk, "account_type": "bankgiro", "account_number": "5050-1055"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "pending" and body["account"] == "Bankgiro 5050-1055"
    ids = {v["municipality"]: v["id"] for v in body["verifications"]}
    client.force_login(world.users["other_caseworker"])
    assert (
        client.post(f"/api/v1/account-verifications/{ids['Exempelö kommun']}/transitions/verify/").status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/account-verifications/{ids['Grannby kommun']}/transitions/verify/").status_code
        == 200
    )
    client.force_login(world.users["caseworker"])
    assert (
        client.post(f"/api/v1/account-verifications/{ids['Exempelö kommun']}/transitions/verify/").status_code
        == 200
    )
    organisation.refresh_from_db()
    assert organisation.account_display == "Bankgiro 5050-1055"


# ---- the support procedure, when an organisation has lost its signatory (SECURITY.md) ----


def test_support_gives_a_new_signatory_with_the_grounds_logged_and_the_users_told(world):
    support = UserFactory(email="support@bidra.example", is_staff=True)
    successor = UserFactory(email="ny.ordf@trygg.example", full_name="Nils Ny")
    out = StringIO()
    call_command(
        "give_signatory_role",
        world.organisation.org_number,
        "ny.ordf@trygg.example",
        operator="support@bidra.example",
        grounds="Årsmötesprotokoll 2026-03-02, ärende SN 2026/14",
        stdout=out,
    )
    role = OrganisationRole.objects.get(user=successor)
    assert (role.state, role.kind) == ("active", "signatory")
    entry = StateLog.objects.for_(role).get()
    assert (entry.transition, entry.by, entry.description) == (
        "support_make_signatory",
        support,
        "Årsmötesprotokoll 2026-03-02, ärende SN 2026/14",
    )
    assert OutboxMessage.objects.filter(
        to=world.users["applicant"].email, subject__contains="Nils Ny"
    ).exists()
    # The new signatory manages the users on the organisation's pages from now on.
    old = world.users["applicant"].org_roles.get()
    services.role_revoke(role=old, by=successor, reason="Avgått")
    old.refresh_from_db()
    assert old.state == "revoked"


def test_only_support_staff_run_the_procedure_and_only_with_grounds(world):
    UserFactory(email="ny.ordf@trygg.example")
    with pytest.raises(CommandError, match="support"):
        call_command(
            "give_signatory_role",
            world.organisation.org_number,
            "ny.ordf@trygg.example",
            operator=world.users["caseworker"].email,
            grounds="Protokoll",
        )
    UserFactory(email="support@bidra.example", is_staff=True)
    with pytest.raises(CommandError, match="grunden"):
        call_command(
            "give_signatory_role",
            world.organisation.org_number,
            "ny.ordf@trygg.example",
            operator="support@bidra.example",
            grounds=" ",
        )
    assert not OrganisationRole.objects.filter(user__email="ny.ordf@trygg.example").exists()
