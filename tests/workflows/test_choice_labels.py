"""A choice field's label reads in the language of the request (Django's own
``get_<field>_display()``), on every model of Bidra with choices."""

import pytest
from django.apps import apps
from django.utils import translation

BIDRA_APPS = {
    "accounts",
    "organizations",
    "workflows",
    "meetings",
    "grants",
    "awards",
    "reporting",
    "iop",
    "compact",
    "portal",
    "insight",
}
MODELS = sorted(
    (
        m
        for m in apps.get_models()
        if m._meta.app_label in BIDRA_APPS and any(f.choices for f in m._meta.concrete_fields)
    ),
    key=lambda m: m._meta.label,
)


def test_the_list_pages_models_are_among_them():
    labels = {m._meta.label for m in MODELS}
    assert {
        "grants.Application",
        "grants.Program",
        "grants.Round",
        "organizations.Organisation",
        "meetings.AgendaItem",
        "meetings.Decision",
        "meetings.Meeting",
        "iop.Partnership",
    } <= labels


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_label_reads_in_the_requests_language(model):
    for field in (f for f in model._meta.concrete_fields if f.choices):
        for value, label in field.flatchoices:
            instance = model(**{field.attname: value})
            # Swedish, English and Swedish again: a label is not kept in the language it was first read in
            for language in ("sv", "en", "sv"):
                with translation.override(language):
                    shown = getattr(instance, f"get_{field.name}_display")()
                    assert shown == str(label)
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
