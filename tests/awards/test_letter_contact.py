"""An award's decision letter names whom to contact: the award's own contact person (an award is a
program), else the caseworker who prepared the decision (who shortlisted and proposed it)."""

import pytest

from awards.services import award_documents_make
from grants.models import Program
from workflows.models import StoredDocument

from ..pdf import pdf_text
from .factories import award_round, candidate_in

pytestmark = pytest.mark.django_db


def _letter(world) -> str:
    candidate = candidate_in(world, "awarded")  # decided at a meeting whose minutes are posted
    award_documents_make(candidate=candidate, by=world.users["secretary"])
    document = StoredDocument.objects.filter(object_id=candidate.pk, kind="award_letter").latest("version")
    return " ".join(pdf_text(document.file.read()).replace("\xa0", " ").split())


def test_an_award_letter_names_the_awards_contact_person(world):
    Program.objects.filter(pk=award_round(world).program_id).update(
        contact_name="Petra Prisansvarig", contact_email="petra@exemplo.se", contact_phone="0123-456 720"
    )

    text = _letter(world)

    assert "Kontaktperson: Petra Prisansvarig, e-post petra@exemplo.se, telefon 0123-456 720" in text


def test_without_a_contact_person_an_award_letter_names_the_caseworker_who_proposed_it(world):
    caseworker, secretary = world.users["caseworker"], world.users["secretary"]

    text = _letter(world)

    assert f"Kontaktperson: {caseworker.full_name}, e-post {caseworker.email}" in text
    assert secretary.email not in text  # she recorded the committee's decision
