"""Forms of awards: the public nomination, the jury's scores (shared with grants), the proposal, the settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.forms import AssessmentForm  # noqa: F401 - the jury scores with the same form as grant assessors
from workflows.text import NameFormField

from .models import AwardSettings, Candidate, NomineeKind


class NominationForm(forms.Form):
    """The public nomination form.  ``website`` is a honeypot: people never see it, robots fill it in."""

    kind = forms.ChoiceField(
        label=_("Who do you nominate?"), choices=NomineeKind.choices, widget=forms.RadioSelect
    )
    nominee_name = NameFormField(
        label=_("Name of the nominee"),
        max_length=200,
        required=False,
        help_text=_("The association, network or person you nominate."),
    )
    nominee_org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=13,
        required=False,
        help_text=_("If you know it, e.g. 802012-3454. Not for a private person."),
    )
    motivation = forms.CharField(
        label=_("Why do they deserve the award?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What have they done for people who need support in their everyday life?"),
    )
    nominator_name = NameFormField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    nominator_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We tell you when the award is decided. Your details are not published."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    nominator_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = NomineeKind.ORGANISATION

    @property
    def is_spam(self) -> bool:
        return bool(str(self.data.get("website", "")).strip())

    def clean(self):
        data = super().clean()
        if (
            not (data.get("nominee_name") or "").strip()
            and not (data.get("nominee_org_number") or "").strip()
        ):
            self.add_error("nominee_name", _("Write the name of the one you nominate."))
        return data


class ProposalForm(forms.Form):
    proposal = forms.ChoiceField(
        label=_("Proposal to the committee"), choices=Candidate.Proposal.choices, widget=forms.RadioSelect
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For an award, this becomes the motivation on the diploma and the public page."),
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Declare a conflict of interest for this candidate"), max_length=300)


class AwardSettingsForm(forms.ModelForm):
    class Meta:
        model = AwardSettings
        fields = [
            "amount",
            "recipients",
            "nominators",
            "require_registered",
            "allow_informal",
            "allow_individuals",
        ]
        widgets = {"nominators": forms.RadioSelect}
