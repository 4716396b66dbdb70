"""The steps a person may ask a case for by name, each defined once.

Per case model, a transition name maps to the service that takes the step and the form of
what it needs (a reason, a date, an amount…).  The page (``workflows.views.transition``,
under each app's own URL name) and the API (``POST …/transitions/{name}/`` of
``workflows.api.CaseTransitionsMixin``) both look the step up here, bind the same form to
what was sent, and call the same service, so a default or a check cannot differ between them.

Apps register their steps in a ``transitions`` module imported by their ``AppConfig.ready``::

    registry.case(Application, get=_visible_application, page=lambda a: reverse(...))
    registry.step(Application, "withdraw", lambda case, by, data: services.application_withdraw(
        application=case, by=by, reason=data["reason"]), form=registry.REASON)

The service checks permission and conditions (through ``perform_transition``) as always; the
form only turns what was sent into values (a blank field gets its default).  A transition
that is not registered cannot be asked for by name: it is taken by a timer, a meeting's
decision or a page of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    """One transition a page or the API may ask for: ``run(case, by, data)`` calls its service
    with ``data``, the form's cleaned values; ``input`` names the field that takes the API's
    generic ``reason`` when that field itself is not sent."""

    model: type
    name: str
    run: Callable
    form: type[forms.Form]
    input: str = "reason"

    def bind(self, data) -> forms.Form:
        """The step's form bound to ``data`` (a QueryDict from a page or a dict from the API)."""
        values = {key: data[key] for key in data}
        if self.input != "reason" and self.input not in values and "reason" in values:
            values[self.input] = values["reason"]
        return self.form(data=values)


@dataclass(frozen=True)
class Case:
    """How the page finds a case type's case for the signed-in user and where it goes back to.

    ``get(request, **url_kwargs)``: the case, or Http404 when the user may not see it;
    ``page(case, **url_kwargs)``: the case page's URL; ``done(case, name)``: the message after a
    step (default: the state the case is now in); ``invalid(request, case, name, form)``: a
    response for input that does not pass the form (default: the errors as messages, back to
    the page); ``refused_status``: how the API answers a service's ValidationError (400, or 409
    where the service's checks are conditions of the case rather than of the input).
    """

    model: type
    get: Callable | None = None
    page: Callable | None = None
    done: Callable | None = None
    invalid: Callable | None = None
    refused_status: int = 400
    steps: dict = field(default_factory=dict)


_CASES: dict[type, Case] = {}


def case(model, *, get=None, page=None, done=None, invalid=None, refused_status: int = 400) -> Case:
    """Register how ``model``'s cases are found and answered (before its steps)."""
    steps = _CASES[model].steps if model in _CASES else {}
    entry = _CASES[model] = Case(model, get, page, done, invalid, refused_status, steps)
    return entry


def step(
    model, name: str, run: Callable, *, form: type[forms.Form] | None = None, input: str = "reason"
) -> Step:
    """Register ``name`` of ``model``: ``run(case, by, data)`` with ``form``'s cleaned ``data``."""
    model._meta.get_field("state")  # a case model
    entry = Step(model, name, run, form or REASON, input)
    _CASES.setdefault(model, Case(model)).steps[name] = entry
    return entry


def lookup(model, name: str) -> Step | None:
    """The registered step ``name`` of ``model`` (None: it cannot be asked for by name)."""
    entry = _CASES.get(model)
    return entry.steps.get(name) if entry else None


def case_type(model) -> Case | None:
    return _CASES.get(model)


def registered() -> dict[type, dict[str, Step]]:
    """Every registered step, per case model."""
    return {model: dict(entry.steps) for model, entry in _CASES.items()}


def inputs(name: str, **fields) -> type[forms.Form]:
    """A form class with ``fields``: the input of one or more steps."""
    return type(name, (forms.Form,), dict(fields))


def text(label, *, required: bool = False, max_length: int | None = None, rows: int = 3):
    """A free text; blank passes here (the service says what it needs, in its own words)."""
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class DefaultIntegerField(forms.IntegerField):
    """A whole number that is its ``initial`` when left blank."""

    def clean(self, value):
        cleaned = super().clean(value)
        return self.initial if cleaned is None else cleaned


#: the input of most steps: an optional reason, kept in the case's history
REASON = inputs("ReasonInput", reason=text(_("Reason")))
#: no input at all (anything sent besides is ignored)
NOTHING = inputs("NoInput")


def errors(form: forms.Form) -> list[str]:
    """The form's errors as sentences, each with its field's label."""
    out = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [f"{label}: {m}" if label else str(m) for m in messages]
    return out
