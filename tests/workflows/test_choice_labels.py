"""A choice field's label reads as Django's own ``get_<field>_display()`` would answer, in the
language of the request, from the table ``ChoiceLabels`` makes once per field."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from workflows.models import ChoiceLabels

MODELS = sorted((m for m in apps.get_models() if issubclass(m, ChoiceLabels)), key=lambda m: m._meta.label)


def test_the_list_pages_models_use_the_table():
    labels = {m._meta.label for m in MODELS}
    assert {
        "grants.Application",
        "grants.Program",
        "grants.Round",
        "organizations.Organisation",
        "workflows.AgendaItem",
        "workflows.Decision",
        "workflows.Meeting",
        "iop.Partnership",
    } <= labels


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_label_reads_as_djangos_in_the_requests_language(model):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields or model._meta.label == "tests.Matter"
    for field in fields:
        for value, label in field.flatchoices:
            instance = model(**{field.attname: value})
            # Swedish, English and Swedish again: a label is not kept in the language it was first read in
            for language in ("sv", "en", "sv"):
                with translation.override(language):
                    shown = getattr(instance, f"get_{field.name}_display")()
                    assert shown == str(label) == models.Model._get_FIELD_display(instance, field)
                    assert isinstance(shown, str)


def test_a_value_outside_the_choices_reads_as_itself():
    Application = apps.get_model("grants", "Application")
    assert Application(state="no_such_state").get_state_display() == "no_such_state"


def test_the_swedish_label_differs_from_the_english():
    Application = apps.get_model("grants", "Application")
    application = Application(state=Application.State.IN_ASSESSMENT)
    with translation.override("sv"):
        swedish = application.get_state_display()
    with translation.override("en"):
        english = application.get_state_display()
    assert (swedish, english) == ("under bedömning", "in assessment")
