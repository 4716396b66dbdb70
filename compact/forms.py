"""The compact's forms: its text and principles, the decisions, the action plan, conferences,
the evaluation, and joining or leaving."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import uploads
from workflows.fields import DateInput, ModelChoiceField, date_field

from .models import Commitment, Compact, Principle


class CompactForm(forms.Form):
    """The compact's text and the local wording of its six principles (while it is a draft)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text of the compact"), widget=forms.Textarea(attrs={"rows": 8}))
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=10, initial=4)
    renewal_rule = forms.ChoiceField(
        label=_("Renewal"), choices=Compact.RenewalRule.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in Principle.Key.choices:
            self.fields[f"principle_{key}"] = forms.CharField(
                label=_("Principle: %(name)s") % {"name": label},
                help_text=_("How your municipality and its organisations word this principle."),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @property
    def principle_fields(self):
        return [self[f"principle_{key}"] for key in Principle.Key.values]

    @property
    def compact_fields(self):
        return [self[name] for name in ("title", "text", "term_years", "renewal_rule")]

    def principles(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"principle_{key}"] for key in Principle.Key.values}


class AdoptForm(forms.Form):
    adopted_on = date_field(_("Adopted on"))
    reference = forms.CharField(label=_("Adopting decision (reference)"), max_length=300)
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=10, initial=4)


class RenewalDecisionForm(forms.Form):
    renew = forms.TypedChoiceField(
        label=_("Decision on renewal"),
        choices=[("yes", _("Renew for a new term")), ("no", _("Do not renew: end at the end of the term"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    decided_on = date_field(_("Decided on"), initial=timezone.localdate)
    reference = forms.CharField(label=_("Reference"), max_length=300)


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["side", "text", "owner", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)


class ConferenceForm(forms.Form):
    held_on = date_field(_("Held on"))
    municipality_report = forms.CharField(
        label=_("What the municipality reported"), widget=forms.Textarea(attrs={"rows": 3})
    )
    organisations_report = forms.CharField(
        label=_("What the organisations reported"), widget=forms.Textarea(attrs={"rows": 3})
    )
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompactEvaluationForm(forms.Form):
    evaluated_on = date_field(_("Evaluated on"), initial=timezone.localdate)
    findings = forms.CharField(
        label=_("What the evaluation found"),
        help_text=_("What the compact has achieved, for the municipality and for the organisations."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_steps = forms.CharField(
        label=_("Decided next steps"),
        help_text=_("For example: renew with a changed action plan, or let the compact end."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    document = forms.FileField(label=_("The evaluation report"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = uploads.help_text()


class JoinCompactForm(forms.Form):
    organisation = ModelChoiceField(label=_("Organisation"), queryset=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk
