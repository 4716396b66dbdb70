"""The directory lists only organisations that chose to be, and never shows anyone's personal data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import OrganisationRole
from portal.models import Listing
from portal.received import received_section

from ..factories import OrganisationFactory, PersonFactory, UserFactory, active_role
from .factories import listed

pytestmark = pytest.mark.django_db


def _directory(client, **query):
    return client.get(reverse("portal:directory", kwargs={"slug": "exemplo"}), query)


def test_an_organisation_is_not_listed_until_its_signatory_chooses_it(client, world):
    assert world.organisation.name not in _directory(client).content.decode()
    page = reverse("portal:organisation", kwargs={"slug": "exemplo", "pk": world.organisation.pk})
    assert client.get(page).status_code == 404

    signatory = world.users["applicant"]
    client.force_login(signatory)
    edit = reverse("portal:listing_edit", kwargs={"pk": world.organisation.pk})
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "listed": "on",
            "description": "Stöd och gemenskap för äldre som bor ensamma.",
            "purposes": ["elderly"],
            "public_email": "info@tryggvardag.example",
            "public_phone": "",
            "website": "tryggvardag.example",
        },
    )
    assert response.status_code == 302
    client.logout()
    html = _directory(client).content.decode()
    assert world.organisation.name in html and "Stöd och gemenskap" in html
    html = client.get(page).content.decode()
    assert "info@tryggvardag.example" in html and "https://tryggvardag.example" in html

    Listing.objects.filter(organisation=world.organisation).update(listed=False)
    assert world.organisation.name not in _directory(client).content.decode()
    assert client.get(page).status_code == 404


def test_only_the_authorised_signatory_decides_the_listing(client, world):
    member = UserFactory(email="medlem@example.se")
    active_role(member, world.organisation, kind=OrganisationRole.Kind.MEMBER)
    client.force_login(member)
    edit = reverse("portal:listing_edit", kwargs={"pk": world.organisation.pk})
    assert client.post(edit, {"listed": "on", "description": "x"}).status_code == 403
    assert not Listing.objects.filter(organisation=world.organisation).exists()


def test_no_personal_data_of_board_members_users_or_the_bank_account_is_shown(client, world):
    organisation = world.organisation
    organisation.email = "register@tryggvardag.example"
    organisation.account_type = "bankgiro"
    organisation.account_number = "56781234"
    organisation.save()
    PersonFactory(
        organisation=organisation,
        name="Birgitta Styrelsesson",
        email="birgitta@privat.example",
        phone="070-1234567",
    )
    listed(world)
    pages = [
        _directory(client).content.decode(),
        _directory(client, q="Trygg").content.decode(),
        client.get(
            reverse("portal:organisation", kwargs={"slug": "exemplo", "pk": organisation.pk})
        ).content.decode(),
    ]
    for html in pages:
        assert organisation.name in html
        for private in (
            "Birgitta Styrelsesson",
            "birgitta@privat.example",
            "070-1234567",
            world.users["applicant"].email,
            world.users["applicant"].full_name,
            "5678-1234",
            "56781234",
            "register@tryggvardag.example",
            organisation.org_number,
        ):
            assert private not in html, private


def test_search_finds_by_name_or_description_and_only_in_the_municipality(client, world):
    listed(world)
    grannby = OrganisationFactory(name="Grannby Trygghetsförening", active_in=[world.other_municipality])
    Listing.objects.create(organisation=grannby, listed=True, description="Trygghet i Grannby")
    assert world.organisation.name in _directory(client, q="ensamma").content.decode()
    assert world.organisation.name not in _directory(client, q="fotboll").content.decode()
    assert "Grannby Trygghetsförening" not in _directory(client, q="Trygg").content.decode()


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_directory_costs_the_same_queries_with_many_organisations(client, world):
    url = reverse("portal:directory", kwargs={"slug": "exemplo"})

    def add(n):
        for _ in range(n):
            organisation = OrganisationFactory(active_in=[world.municipality, world.other_municipality])
            Listing.objects.create(organisation=organisation, listed=True, description="Vi gör saker.")

    add(3)
    few = _count(client, url)
    add(30)
    assert _count(client, url) == few


def test_the_directory_page_shows_what_the_organisation_received_from_the_public_register(client, world):
    from insight.selectors import received_by_organisation

    from ..insight.factories import CONTACT_EMAIL, CONTACT_NAME, scenario

    listed(world)
    scenario(world)
    rows = received_by_organisation(world.organisation, municipality=world.municipality)
    assert rows, "the scenario grants the world's organisation something posted"
    section = received_section(organisation=world.organisation, municipality=world.municipality)
    assert section["rows"] == rows[:10]

    html = client.get(
        reverse("portal:organisation", kwargs={"slug": "exemplo", "pk": world.organisation.pk})
    ).content.decode()
    assert 'id="received"' in html
    assert html.count("<tr><td>") == len(section["rows"])  # one row per posted decision, no others
    assert reverse("insight:organisation", kwargs={"slug": "exemplo", "pk": world.organisation.pk}) in html
    assert CONTACT_NAME not in html and CONTACT_EMAIL not in html
