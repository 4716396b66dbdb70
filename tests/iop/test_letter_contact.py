"""A partnership's letters name whom to contact: the partnership's responsible caseworker (who
screened the initiative), else the caseworker who proposed the agreement to the committee."""

import datetime as dt

import pytest
from django.utils import timezone

from iop import services
from organizations.models import User
from workflows.models import StoredDocument

from ..grants.decisions import second_caseworker
from ..pdf import pdf_text
from .factories import committee_decision, in_state, screened_as_procurement

pytestmark = pytest.mark.django_db


def _words(document) -> str:
    return " ".join(pdf_text(document.file.read()).replace("\xa0", " ").split())


def _decision_letter(world, partnership) -> str:
    decision = committee_decision(world, partnership, day=timezone.localdate() - dt.timedelta(days=10))
    services.partnership_decide(partnership=partnership, decision=decision, by=world.users["secretary"])
    return _words(
        services.decision_letter_make(partnership=partnership, decision=decision, by=world.users["secretary"])
    )


def test_a_partnership_decision_letter_names_its_responsible_caseworker(world):
    caseworker = world.users["caseworker"]
    User.objects.filter(pk=caseworker.pk).update(phone="0123-456 730")

    text = _decision_letter(world, in_state(world, "proposed"))

    assert f"Kontaktperson: {caseworker.full_name}, e-post {caseworker.email}, telefon 0123-456 730" in text
    assert world.users["secretary"].email not in text


def test_when_the_responsible_caseworker_has_left_the_letter_names_who_proposed_the_agreement(world):
    partnership = in_state(world, "drafting")
    colleague = second_caseworker(world)
    services.partnership_transition(partnership=partnership, name="propose", by=colleague)
    User.objects.filter(pk=world.users["caseworker"].pk).update(is_active=False)

    text = _decision_letter(world, partnership)

    assert f"Kontaktperson: {colleague.full_name}, e-post {colleague.email}" in text


def test_a_letter_that_an_initiative_is_not_suitable_names_the_caseworker_who_screened_it(world):
    caseworker = world.users["caseworker"]
    partnership = screened_as_procurement(world)
    services.partnership_screen(
        partnership=partnership, suitable=False, by=caseworker, reason="Tjänsten ska upphandlas enligt LOU."
    )

    text = _words(StoredDocument.objects.get(kind="not_suitable_letter", object_id=partnership.pk))

    assert f"Kontaktperson: {caseworker.full_name}, e-post {caseworker.email}" in text
