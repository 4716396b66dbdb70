"""The journey harness itself: a real sign-in with the second factor, and its checks bite."""

import pytest

from ..conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_sign_in_with_the_code_of_their_app_and_reach_their_inbox(journey):
    world = build_world()
    caseworker = journey.person(world.user("caseworker")).sign_in()
    caseworker.open("/handlaggning/").sees("Inkorg")
    assert caseworker.user.totpdevice_set.filter(confirmed=True).exists()
    caseworker.sign_out().sign_in()  # the second time with the app connected the first time


def test_the_harness_notices_developer_text_on_a_page(journey):
    person = journey.person()
    person.open("/logga-in/")
    person.page.evaluate("document.querySelector('main').append('{# a comment #}')")
    with pytest.raises(AssertionError, match="developer text"):
        person.check("a page with a template comment")
