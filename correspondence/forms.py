from django import forms
from django.utils.translation import gettext_lazy as _


class MessageForm(forms.Form):
    """The shape of the panel's form; the service says what is wrong with its content."""

    body = forms.CharField(label=_("Message"), required=False, strip=True)
    internal = forms.BooleanField(required=False)
