from django import forms
from django.utils.translation import gettext_lazy as _


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        help_text=_("Six digits. A new code is shown every 30 seconds."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the six digits the app shows."), code="format")
        return code


class LoginLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={"invalid": _("Enter an e-mail address like namn@example.se.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PersonalDataSearchForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's e-mail address"),
        error_messages={"invalid": _("Enter an e-mail address like namn@example.se.")},
    )


class ErasureForm(forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why the data is erased"),
        max_length=500,
        help_text=_("For example the date and reference of the person's request. Kept in the log."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked that the law allows erasing this person's data"),
    )
