"""The contact block every decision letter ends with: a person when one can be named, otherwise the
committee's registry or the committee, and never the system or someone who has left."""

import pytest
from django.template.loader import render_to_string

from meetings.contacts import letter_contact
from workflows.services import system_user

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _block(contact) -> str:
    return " ".join(render_to_string("documents/_contact.html", {"contact": contact}).split())


def test_a_contact_given_by_e_mail_only_is_the_committees_mailbox_not_a_person(world):
    contact = letter_contact(committee=world.committee, email="bidrag@exemplo.se")

    assert "<strong>Kontakt:</strong> Socialnämnden, e-post" in _block(contact)
    assert "bidrag@exemplo.se" in _block(contact)


def test_the_system_and_people_who_have_left_are_never_named(world):
    world.committee.registry_email = "registrator@exemplo.se"
    world.committee.save()
    left = UserFactory(email="slutat@exemplo.se", full_name="Sture Slutat", is_active=False)

    for prepared_by in (system_user(), left):
        contact = letter_contact(committee=world.committee, prepared_by=prepared_by)
        assert (contact.name, contact.email, contact.registry) == (
            "Socialnämnden",
            "registrator@exemplo.se",
            True,
        )
        assert "Kontakt:</strong> Socialnämnden (registratur)" in _block(contact)
