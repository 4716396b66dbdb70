"""Names of organisations and people read as they were entered: normalised (NFKC), and refused
with a Swedish message when they hold control or format characters (a right-to-left override,
a zero-width space, a line break) that would make a name look like another one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.models import Organisation, Person, User
from workflows.text import NameSerializerField, name_clean

from ..factories import MunicipalityFactory, UserFactory
from ..organizations.test_self_service import _register_data

INVISIBLE = {
    "right-to-left override": "Föreningen \u202eegnalsrev",
    "zero-width space": "Förening\u200bKlubben",
    "zero-width joiner": "Förening\u200dKlubben",
    "byte order mark": "\ufeffFöreningen",
    "line break inside": "Föreningen\nKlubben",
    "null": "Förening\x00",
    "bell": "Förening\x07",
}


def test_a_name_is_normalised_to_its_ordinary_letters():
    assert name_clean("  Ｆöreningen Ｋlubben ") == "Föreningen Klubben"  # full-width letters
    assert name_clean("Fiske\u00a0och\u2003ﬂuga") == "Fiske och fluga"  # ligatures and spaces


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_name_with_an_invisible_or_control_character_is_refused_in_swedish(name):
    with pytest.raises(ValidationError) as refused:
        name_clean(name)
    assert refused.value.messages[0].startswith("Namnet innehåller ett osynligt tecken eller styrtecken")


@pytest.mark.django_db
def test_signing_up_refuses_a_disguised_name_and_keeps_a_normalised_one(client):
    refused = client.post(
        reverse("organizations:signup"),
        {
            "full_name": "Siv\u202e Sökande",
            "email": "siv@forening.example",
            "password": "ett-bra-losenord-2026",
        },
    )
    assert refused.status_code == 200 and "osynligt tecken" in refused.content.decode()
    assert not User.objects.exists()
    client.post(
        reverse("organizations:signup"),
        {"full_name": "Ｓiv Sökande", "email": "siv@forening.example", "password": "ett-bra-losenord-2026"},
    )
    assert User.objects.get(email="siv@forening.example").full_name == "Siv Sökande"


@pytest.mark.django_db
def test_registering_an_organisation_refuses_a_disguised_name_and_keeps_a_normalised_one(client):
    municipality = MunicipalityFactory()
    client.force_login(UserFactory())
    refused = client.post(
        reverse("organizations:register"), _register_data(municipality, name="Föreningen\u200b Ny Gemenskap")
    )
    assert refused.status_code == 200 and "osynligt tecken" in refused.content.decode()
    assert not Organisation.objects.exists()
    client.post(
        reverse("organizations:register"), _register_data(municipality, name="Föreningen Ｎy Gemenskap")
    )
    assert Organisation.objects.get().name == "Föreningen Ny Gemenskap"


@pytest.mark.django_db
def test_a_name_saved_any_other_way_is_stored_normalised(world):
    person = Person.objects.create(organisation=world.organisation, kind="board", name=" Ａda Ordförande ")
    person.refresh_from_db()
    assert person.name == "Ada Ordförande"
    with pytest.raises(ValidationError):
        Person(organisation=world.organisation, kind="board", name="Ada\u202e").full_clean()


def test_the_api_field_for_a_name_cleans_it_the_same_way():
    field = NameSerializerField()
    assert field.run_validation("Ｆöreningen") == "Föreningen"
    from rest_framework.exceptions import ValidationError as ApiValidationError

    with pytest.raises(ApiValidationError, match="osynligt tecken"):
        field.run_validation("Förening\u200b")
