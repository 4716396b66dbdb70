"""Forms of the payment pages: filtering, preparing a run, the day paid, the bookkeeping period."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Payment

DATE = {"type": "date"}


class PaymentFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    due_until = forms.DateField(label=_("Due by"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All"))] + list(Payment.State.choices)


class PaymentExportForm(forms.Form):
    due_until = forms.DateField(
        label=_("Export the planned payments due by"), widget=forms.DateInput(attrs=DATE)
    )


class BookkeepingPeriodForm(forms.Form):
    """The period of a bookkeeping file (SIE): both days included, at most a few years."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "sie_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days > 5 * 366:
                raise forms.ValidationError(_("Choose a period of at most five years."))
        return data


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs=DATE))
