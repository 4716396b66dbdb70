"""Award pages: fixed query counts for lists, the start-page panel, and the program administrator's settings."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.models import AwardSettings

from ..factories import OrganisationFactory
from .factories import award_round, candidate_in, nomination_data

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _nominate_more(world, n):
    round = award_round(world)
    for i in range(n):
        organisation = OrganisationFactory(name=f"Förening {i} Exempelö", active_in=[world.municipality])
        nomination = services.nomination_submit(
            round=round,
            data=nomination_data(nominee_name="", nominee_org_number=organisation.org_number),
            by=AnonymousUser(),
        )
        if i % 2:
            services.candidate_screen(candidate=nomination.candidate, by=world.users["caseworker"])


@pytest.mark.parametrize("page", ["candidates", "index", "public"])
def test_list_pages_cost_the_same_number_of_queries_for_more_rows(world, client, page):
    round = award_round(world)
    candidate_in(world, "announced")
    client.force_login(world.users["caseworker"])
    url = {
        "candidates": reverse("awards:round_candidates", args=[round.pk]),
        "index": reverse("awards:index"),
        "public": reverse("awards:public", args=[world.municipality.slug]),
    }[page]
    few = _queries(client, url)
    _nominate_more(world, 6)
    assert _queries(client, url) == few


def test_the_start_page_tells_the_caseworker_and_the_jury_what_waits(world, client):
    candidate_in(world, "received")
    client.force_login(world.users["caseworker"])
    assert "väntar på prövning" in client.get(reverse("home")).content.decode()
    services.candidate_screen(candidate=candidate_in(world, "received"), by=world.users["caseworker"])
    client.force_login(world.users["member"])
    page = client.get(reverse("home")).content.decode()
    assert "väntar på dina poäng" in page and "väntar på prövning" not in page
    client.force_login(world.users["applicant"])
    assert "Priskandidater" not in client.get(reverse("home")).content.decode()


def test_the_program_administrator_sets_who_may_nominate(world, client):
    round = award_round(world)
    client.force_login(world.users["program_admin"])
    url = reverse("awards:settings", args=[round.program_id])
    refused = client.post(url, {"amount": "0", "recipients": "1", "nominators": "members"})
    assert refused.status_code == 200 and AwardSettings.objects.get().amount == 10000
    response = client.post(
        url, {"amount": "15000", "recipients": "2", "nominators": "members", "require_registered": "on"}
    )
    assert response.status_code == 302
    settings = AwardSettings.objects.get()
    assert (settings.amount, settings.recipients, settings.nominators) == (15000, 2, "members")
    client.logout()
    assert "/logga-in/" in client.get(reverse("awards:nominate", args=[round.pk])).url


def test_the_recipient_is_told_once_and_finds_its_award_letter_and_diploma(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    world.organisation.email = "styrelsen@trygg.example.se"
    world.organisation.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        candidate = candidate_in(world, "awarded")
    with django_capture_on_commit_callbacks(execute=True):  # made again unchanged: kept once, told once
        services.award_documents_make(candidate=candidate, by=world.users["caseworker"])
    told = [m for m in mailoutbox if m.to == ["styrelsen@trygg.example.se"] and "går till" in m.subject]
    assert len(told) == 1
    assert reverse("portal:my_letters") in told[0].body

    client.force_login(world.users["applicant"])
    page = client.get(reverse("portal:my_letters")).content.decode()
    assert "Prisbrev" in page and "Diplom" in page
    letter = reverse("awards:candidate_document", kwargs={"pk": candidate.pk, "kind": "award_letter"})
    response = client.get(letter)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    client.force_login(world.users["other_applicant"])
    assert "Prisbrev" not in client.get(reverse("portal:my_letters")).content.decode()
    assert client.get(letter).status_code == 404


def test_a_closed_award_offers_neither_apply_nor_nominate(world, client):
    """An award is decided among those in time: once closed, no page offers to apply or nominate,
    even when the round's rule would take late grant applications."""
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from grants import services as grant_services

    round = award_round(world)
    client.force_login(world.users["applicant"])
    assert f"{round.program.name} – {round.name}" in client.get(reverse("grants:rounds")).content.decode()
    round.closes_at = timezone.now() - timedelta(days=1)
    round.late_rule = "accept"
    round.save(update_fields=["closes_at", "late_rule"])

    rounds_page = client.get(reverse("grants:rounds")).content.decode()
    assert f"{round.program.name} – {round.name}" not in rounds_page
    with pytest.raises(ValidationError):
        grant_services.application_start(
            round=round, organisation=world.organisation, by=world.users["applicant"]
        )
    client.logout()
    nominate = client.get(reverse("awards:nominate", args=[round.pk])).content.decode()
    assert "Skicka nomineringen" not in nominate and "inte öppen" in nominate
    for page in (
        reverse("awards:public", args=[world.municipality.slug]),
        reverse("portal:start", args=[world.municipality.slug]),
    ):
        assert reverse("awards:nominate", args=[round.pk]) not in client.get(page).content.decode()
