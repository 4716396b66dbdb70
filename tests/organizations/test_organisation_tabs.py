"""The tabs of an organisation's pages lead somewhere for whoever sees them: a tab that would
answer 404 (the secretary and committee members may not read the organisation's users) is not shown."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["secretary", "member", "caseworker", "program_admin", "applicant"])
def test_every_tab_of_an_organisation_opens_for_whoever_sees_it(world, client, role):
    client.force_login(world.users[role])
    page = client.get(reverse("organizations:detail", args=[world.organisation.pk])).content.decode()
    tabs = re.search(r'<nav aria-label="[^"]*" class="subnav">(.*?)</nav>', page, re.S).group(1)
    links = re.findall(r'href="([^"]+)"', tabs)
    assert len(links) >= 2
    for link in links:
        assert client.get(link).status_code == 200, f"{role}: {link}"


def test_the_secretary_sees_no_users_tab_but_the_caseworker_does(world, client):
    users_tab = reverse("organizations:members", args=[world.organisation.pk])
    client.force_login(world.users["secretary"])
    assert (
        users_tab
        not in client.get(reverse("organizations:detail", args=[world.organisation.pk])).content.decode()
    )
    client.force_login(world.users["caseworker"])
    assert (
        users_tab
        in client.get(reverse("organizations:detail", args=[world.organisation.pk])).content.decode()
    )
