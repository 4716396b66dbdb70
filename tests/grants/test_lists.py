"""List pages cost a fixed number of queries; exports hold what the list shows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from grants import services

from ..factories import OrganisationFactory, UserFactory, active_role
from .factories import draft_application, open_round

pytestmark = pytest.mark.django_db


def _submit_more(world, n):
    for i in range(n):
        organisation = OrganisationFactory(name=f"Förening {i} Exempelö", active_in=[world.municipality])
        user = UserFactory(email=f"kassor{i}-{organisation.pk}@example.se")
        active_role(user, organisation)
        application = draft_application(world, organisation=organisation, user=user)
        services.application_submit(application=application, by=user)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["inbox", "round"])
def test_list_pages_cost_the_same_number_of_queries_for_more_rows(world, client, page):
    round = open_round(world)
    client.force_login(world.users["caseworker"])
    url = (
        reverse("grants:inbox") if page == "inbox" else reverse("grants:round_applications", args=[round.pk])
    )
    _submit_more(world, 1)
    few = _queries(client, url)
    _submit_more(world, 4)
    assert _queries(client, url) == few


def test_the_round_list_searches_and_exports(world, client):
    round = open_round(world)
    _submit_more(world, 3)
    client.force_login(world.users["caseworker"])
    url = reverse("grants:round_applications", args=[round.pk])
    page = client.get(url, {"q": "Förening 1"}).content.decode()
    assert "Förening 1 Exempelö" in page and "Förening 2 Exempelö" not in page
    csv = client.get(reverse("grants:round_export", args=[round.pk, "csv"])).content.decode("utf-8-sig")
    assert csv.count("\n") == 4 and "Diarienummer" in csv
    xlsx = client.get(reverse("grants:round_export", args=[round.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4
    assert xlsx["Content-Disposition"].startswith("attachment")
