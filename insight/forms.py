from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import Kind


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Organisation, purpose or case number"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + list(Kind.choices))
    committee = forms.TypedChoiceField(label=_("Committee"), required=False, coerce=int, empty_value=None)
    program = forms.TypedChoiceField(label=_("Program"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, committees, programs, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].choices = [("", _("All"))] + committees
        self.fields["program"].choices = [("", _("All"))] + programs
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in years]


class DashboardForm(forms.Form):
    ar = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ar"].choices = [(y, str(y)) for y in years]
        if municipalities and len(municipalities) > 1:
            self.fields["kommun"] = forms.ChoiceField(
                label=_("Municipality"), choices=[(m.slug, m.name) for m in municipalities]
            )
