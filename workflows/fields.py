"""Form fields every app's forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _


class _OptionsInOneQuery(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # The queryset itself, not ``.iterator()``: on PostgreSQL outside a transaction that opens
        # a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE), three round trips and a
        # materialised cursor for a select's handful of options.
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field, whose options are read with one plain query."""

    iterator = _OptionsInOneQuery

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Choose …"))
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    """The browser's date picker, with the value written as 2026-06-15."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, **kwargs) -> forms.DateField:
    """A date field with the browser's date picker."""
    return forms.DateField(label=label, widget=DateInput(), **kwargs)
