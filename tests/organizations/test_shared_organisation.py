"""An organisation active in two municipalities belongs to neither: the caseworker of one cannot
redirect the other's payments, take the organisation's users away, or hide it from the other
municipality.  Each municipality changes only its own record of the organisation."""

import pytest
from django.urls import reverse

from organizations.models import AccountChange, OrganisationActivity, OrganisationRole
from organizations.services import account_change_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    return world.shared_organisation


def _snapshot(organisation):
    organisation.refresh_from_db()
    return (
        organisation.name,
        organisation.account_type,
        organisation.account_number,
        sorted(organisation.activities.values_list("municipality__name", "resident_members", "note")),
        sorted(organisation.roles.values_list("user__email", "kind", "state")),
        AccountChange.objects.filter(organisation=organisation).count(),
    )


def test_the_neighbouring_caseworker_sees_the_organisation_but_changes_nothing_of_it(client, world, shared):
    before = _snapshot(shared)
    client.force_login(world.users["other_caseworker"])
    assert client.get(reverse("organizations:detail", kwargs={"pk": shared.pk})).status_code == 200

    # The bank account: the page is the signatory's alone.
    bank = reverse("organizations:bank_account", kwargs={"pk": shared.pk})
    assert client.get(bank).status_code == 403
    assert client.post(bank, {"account_type": "bankgiro", "account_number": "5050-1055"}).status_code == 403

    # The signatory's role: staff neither revoke nor approve roles.
    role = world.users["applicant"].org_roles.get(organisation=shared)
    revoke = reverse("organizations:role_transition", kwargs={"pk": role.pk, "name": "revoke"})
    assert client.post(revoke).status_code == 403

    # The activity in Exempelö: the register's edit page is the organisation's, and Exempelö's own
    # record is Exempelö's.
    edit = reverse("organizations:edit", kwargs={"pk": shared.pk})
    assert client.get(edit).status_code == 403
    assert (
        client.post(
            edit,
            {
                "name": "Kapad",
                "kind": shared.kind,
                "member_count": 1,
                "activities-TOTAL_FORMS": "1",
                "activities-INITIAL_FORMS": "0",
                "activities-MIN_NUM_FORMS": "0",
                "activities-MAX_NUM_FORMS": "1000",
                "activities-0-municipality": world.other_municipality.pk,
                "activities-0-resident_members": "1",
            },
        ).status_code
        == 403
    )
    exemplo = OrganisationActivity.objects.get(organisation=shared, municipality=world.municipality)
    activity = reverse("organizations:activity_edit", kwargs={"pk": exemplo.pk})
    assert client.get(activity).status_code == 403
    assert client.post(activity, {"resident_members": 0, "note": "Ej aktiv här"}).status_code == 403

    # The board, the documents and the people: the organisation's own.
    people = reverse("organizations:people", kwargs={"pk": shared.pk})
    assert client.post(people, {"people-TOTAL_FORMS": "0", "people-INITIAL_FORMS": "0"}).status_code == 403
    assert client.post(reverse("organizations:documents", kwargs={"pk": shared.pk}), {}).status_code == 403

    assert _snapshot(shared) == before


def test_the_neighbouring_caseworker_cannot_verify_for_the_other_municipality(client, world, shared):
    change = account_change_request(
        organisation=shared, by=world.users["applicant"], account_type="bankgiro", account_number="5050-1055"
    )
    exemplo = change.verifications.get(municipality=world.municipality)
    client.force_login(world.users["other_caseworker"])
    url = reverse("organizations:account_verify", kwargs={"pk": exemplo.pk})
    assert client.post(url, {f"verify-{exemplo.pk}-checked": "on"}).status_code == 403
    page = client.get(reverse("organizations:account_change", kwargs={"pk": change.pk})).content.decode()
    assert "Verifiera för Grannby kommun" in page and "Verifiera för Exempelö kommun" not in page
    exemplo.refresh_from_db()
    assert exemplo.state == "pending"


def test_the_api_refuses_the_same_attacks(client, world, shared):
    before = _snapshot(shared)
    client.force_login(world.users["other_caseworker"])
    response = client.post(
        "/api/v1/account-changes/",
        {"organisation": shared.pk, "account_type": "bankgiro", "account_number": "5050-1055"},
        content_type="application/json",
    )
    assert response.status_code == 403
    change = account_change_request(
        organisation=shared, by=world.users["applicant"], account_type="bankgiro", account_number="5050-1055"
    )
    exemplo = change.verifications.get(municipality=world.municipality)
    assert client.post(f"/api/v1/account-verifications/{exemplo.pk}/transitions/verify/").status_code == 403
    # The organisation resource is read-only for everyone.
    detail = f"/api/v1/organizations/{shared.pk}/"
    assert client.patch(detail, {"name": "Kapad"}, content_type="application/json").status_code == 405
    assert client.delete(detail).status_code == 405
    # Someone with no part in the organisation does not even find the change.
    client.force_login(world.users["other_applicant"])
    assert client.get(f"/api/v1/account-changes/{change.pk}/").status_code == 404
    shared.refresh_from_db()
    assert _snapshot(shared)[:5] == before[:5]


def test_each_municipality_keeps_its_own_record_and_note(client, world, shared):
    grannby = OrganisationActivity.objects.get(organisation=shared, municipality=world.other_municipality)
    client.force_login(world.users["other_caseworker"])
    response = client.post(
        reverse("organizations:activity_edit", kwargs={"pk": grannby.pk}),
        {"resident_members": 12, "note": "Hyr Grannby sporthall på tisdagar."},
    )
    assert response.status_code == 302
    grannby.refresh_from_db()
    assert (grannby.resident_members, grannby.note) == (12, "Hyr Grannby sporthall på tisdagar.")
    detail = reverse("organizations:detail", kwargs={"pk": shared.pk})
    assert "Hyr Grannby sporthall" in client.get(detail).content.decode()
    # Exempelö's staff and the organisation itself do not read Grannby's note.
    for role in ("caseworker", "applicant"):
        client.force_login(world.users[role])
        page = client.get(detail).content.decode()
        assert "Hyr Grannby sporthall" not in page and "12 medlemmar bor där" in page


def test_staff_of_the_organisation_s_own_municipality_no_longer_manage_its_users(client, world):
    joiner = OrganisationRole.objects.create(
        user=world.users["other_applicant"], organisation=world.organisation
    )
    client.force_login(world.users["caseworker"])
    for name in ("approve", "reject"):
        url = reverse("organizations:role_transition", kwargs={"pk": joiner.pk, "name": name})
        assert client.post(url).status_code == 403
    page = client.get(reverse("organizations:members", kwargs={"pk": world.organisation.pk})).content.decode()
    assert "Godkänn" not in page
    joiner.refresh_from_db()
    assert joiner.state == "requested"
