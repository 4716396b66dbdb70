"""The public nomination form: who may use it, and how it stands up to robots and floods."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.ratelimit import hit
from awards.models import Candidate, Nomination

from .factories import award_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _form(n=1, **extra):
    return {
        "kind": "organisation",
        "nominee_name": f"Förening nummer {n}",
        "nominee_org_number": "",
        "motivation": "De gör vardagen lättare för många.",
        "nominator_name": "Åsa Nominerare",
        "nominator_email": f"asa{n}@example.se",
        "nominator_phone": "",
        "website": "",
        **extra,
    }


def test_a_flood_from_one_address_is_throttled_and_what_came_before_is_kept(world, settings):
    settings.AWARD_NOMINATIONS_PER_IP = 3
    round = award_round(world)
    url = reverse("awards:nominate", args=[round.pk])
    flooder = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(1, 4):
        assert flooder.post(url, _form(n)).status_code == 302
    refused = flooder.post(url, _form(4))
    assert refused.status_code == 429
    assert "För många nomineringar" in refused.content.decode()
    assert "De nomineringar du skickat tidigare finns kvar" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert Nomination.objects.count() == 3 and Candidate.objects.count() == 3
    assert not Nomination.objects.filter(nominee_name="Förening nummer 4").exists()
    # Someone else, from another address, is not affected.
    assert Client(REMOTE_ADDR="198.51.100.2").post(url, _form(5)).status_code == 302
    assert Nomination.objects.count() == 4


def test_the_window_slides(world):
    key = "test:window"
    assert all(hit(key, limit=2, window=100, now=1000.0 + i) for i in range(2))
    assert not hit(key, limit=2, window=100, now=1050.0)
    assert hit(key, limit=2, window=100, now=1125.0)  # the first two have left the window


def test_a_robot_that_fills_in_the_hidden_field_is_thanked_and_nothing_is_kept(world, client):
    round = award_round(world)
    page = client.get(reverse("awards:nominate", args=[round.pk])).content.decode()
    assert 'name="website"' in page and "<div hidden>" in page
    response = client.post(
        reverse("awards:nominate", args=[round.pk]), _form(website="https://cheap-pills.example")
    )
    assert response.status_code == 302 and response.url == reverse("awards:thanks", args=[round.pk])
    assert Nomination.objects.count() == 0 and Candidate.objects.count() == 0


def test_bad_input_gets_a_swedish_message_and_changes_nothing(world, client):
    round = award_round(world)
    url = reverse("awards:nominate", args=[round.pk])
    response = client.post(url, _form(nominee_name="", nominee_org_number="802012-3450"))
    assert response.status_code == 200
    assert "802012-3450 är inte ett giltigt organisationsnummer" in response.content.decode()
    response = client.post(url, _form(nominee_name="", motivation=""))
    text = response.content.decode()
    assert "Skriv namnet på den du nominerar" in text and 'class="error-summary"' in text
    assert Nomination.objects.count() == 0 and Candidate.objects.count() == 0


def test_a_closed_round_takes_no_nominations(world, client):
    from datetime import timedelta

    from django.utils import timezone

    round = award_round(world)
    round.closes_at = timezone.now() - timedelta(days=1)
    round.opens_at = timezone.now() - timedelta(days=30)
    round.save()
    url = reverse("awards:nominate", args=[round.pk])
    assert "inte öppen nu" in client.get(url).content.decode()
    response = client.post(url, _form())
    assert response.status_code == 200 and "inte öppen nu" in response.content.decode()
    assert Nomination.objects.count() == 0


@pytest.mark.parametrize(
    "nominators, role, expected",
    [
        ("public", "anonymous", 302),
        ("users", "anonymous", "login"),
        ("users", "applicant", 302),
        ("members", "applicant", 403),
        ("members", "caseworker", 403),
        ("members", "member", 302),
        ("members", "anonymous", "login"),
    ],
)
def test_who_may_nominate_is_the_awards_setting(world, client, nominators, role, expected):
    round = award_round(world, nominators=nominators)
    if world.user(role):
        client.force_login(world.user(role))
    response = client.post(reverse("awards:nominate", args=[round.pk]), _form())
    if expected == "login":
        assert response.status_code == 302 and "/logga-in/" in response.url
        assert Nomination.objects.count() == 0
    else:
        assert response.status_code == expected
        assert Nomination.objects.count() == (1 if expected == 302 else 0)
    if expected == 302 and world.user(role):
        assert Nomination.objects.get().nominated_by == world.user(role)


def test_a_nomination_of_a_candidate_already_found_not_eligible_is_kept_and_its_nominator_told(
    world, client, django_capture_on_commit_callbacks, mailoutbox
):
    round = award_round(world)
    url = reverse("awards:nominate", args=[round.pk])
    network = {"kind": "informal", "nominee_name": "Grannstödet"}
    client.post(url, _form(1, **network))
    from awards.services import candidate_screen

    candidate_screen(candidate=Candidate.objects.get(), by=world.users["caseworker"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(2, **network))
    assert Candidate.objects.get().nominations.count() == 2
    assert [m.to for m in mailoutbox] == [["asa2@example.se"]]
    assert "informellt nätverk" in mailoutbox[0].body
