"""A reclaim letter names whom to contact about the decision: the grant program's contact person,
else the official who decided the reclaim by delegation, else the caseworker who proposed it."""

import pytest

from grants.models import Program
from workflows.models import StoredDocument

from ..pdf import pdf_text
from .factories import reclaim_in

pytestmark = pytest.mark.django_db


def _letter(reclaim) -> str:
    document = StoredDocument.objects.get(object_id=reclaim.pk, kind="reclaim_letter")
    return " ".join(pdf_text(document.file.read()).replace("\xa0", " ").split())


def test_a_reclaim_letter_names_the_grant_programs_contact_person(world):
    reclaim = reclaim_in(world, "decided")
    Program.objects.filter(pk=reclaim.program_id).update(
        contact_name="Anna Bidragsson",
        contact_email="anna.bidragsson@exemplo.se",
        contact_phone="0123-456 789",
    )
    from reporting import services

    services.reclaim_invoice(reclaim=reclaim, by=world.users["caseworker"])
    text = _letter(reclaim)

    assert "Kontaktperson: Anna Bidragsson, e-post anna.bidragsson@exemplo.se, telefon 0123-456 789" in text
    assert "Kan ni inte betala i tid? Kontakta Anna Bidragsson innan dagen för betalning" in text


def test_without_a_contact_person_a_reclaim_letter_names_the_official_who_decided_it(world):
    caseworker = world.users["caseworker"]

    text = _letter(reclaim_in(world, "invoiced"))

    assert f"Kontaktperson: {caseworker.full_name}, e-post {caseworker.email}" in text
