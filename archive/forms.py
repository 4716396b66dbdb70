from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=None, label=_("Committee"), empty_label=None)
    year = forms.IntegerField(
        label=_("Year the cases were opened"),
        min_value=2000,
        max_value=2100,
        help_text=_(
            "An application belongs to the year it was submitted, a partnership to the year it was "
            "registered and a meeting to the year it was held."
        ),
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["year"].initial = timezone.localdate().year - 1
