"""Every step a person can see on a case is one the registry knows: its service and its input,
for the page and the API alike (``workflows.registry``)."""

from django.apps import apps
from django.urls import get_resolver
from django_fsm import FSMField

from workflows import registry
from workflows.views import transition

#: steps a person sees that are not asked for by name, and why
NOT_BY_NAME = {
    ("organizations.StaffRole", "grant"): "a role is granted by a form that names the person",
}


def _case_models():
    for model in apps.get_models():
        if model._meta.app_config.name.startswith("tests."):
            continue  # the test apps' case types
        field = next((f for f in model._meta.fields if f.name == "state"), None)
        if isinstance(field, FSMField):
            yield model, field


def test_every_transition_a_person_can_see_is_in_the_registry():
    missing = []
    for model, field in _case_models():
        for t in field.get_all_transitions(model):
            if t.custom.get("hidden") or (model._meta.label, t.name) in NOT_BY_NAME:
                continue
            if t.permission is None:
                continue  # no person's step: a worker's or a recorded ruling's, through its service
            if registry.lookup(model, t.name) is None:
                missing.append(f"{model._meta.label}.{t.name}")
    assert missing == []


def test_every_registered_step_is_a_transition_of_its_model_with_a_form():
    for model, steps in registry.registered().items():
        declared = {t.name for t in model._meta.get_field("state").get_all_transitions(model)}
        for name, step in steps.items():
            assert name in declared, f"{model._meta.label}.{name}"
            assert step.input in step.form.base_fields or step.input == "reason", (
                f"{model._meta.label}.{name}"
            )


def _routes(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns)
        elif pattern.callback is transition:
            yield pattern


def test_every_page_of_a_step_finds_its_case_and_goes_back_to_it():
    routes = list(_routes(get_resolver().url_patterns))
    assert len(routes) >= 10
    for route in routes:
        model = apps.get_model(route.default_args["case_model"])
        kind = registry.case_type(model)
        assert kind is not None and kind.get is not None and kind.page is not None, route.name
