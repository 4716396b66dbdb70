from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import uploads
from workflows.fields import DateInput, ModelChoiceField, date_field
from workflows.text import NameFormField

from .models import (
    AgreementVersion,
    Commitment,
    Compact,
    Contribution,
    Evaluation,
    GroupMember,
    Partnership,
    Party,
    Principle,
    Screening,
)
from .services import INITIATIVE_FIELDS

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class InitiativeForm(forms.ModelForm):
    organisation = ModelChoiceField(label=_("Organisation"), queryset=None)
    committee = ModelChoiceField(label=_("Committee"), queryset=None)

    class Meta:
        model = Partnership
        fields = INITIATIVE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in INITIATIVE_FIELDS if name != "title"}

    def __init__(self, *args, organisations, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["committee"].queryset = committees
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.order_fields(["organisation", "committee", *INITIATIVE_FIELDS])


class InitiativeEditForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = INITIATIVE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in INITIATIVE_FIELDS if name != "title"}


class ScreeningForm(forms.Form):
    state_aid_criterion = forms.ChoiceField(
        label=_("State aid: which criterion is not met"),
        choices=Screening.StateAidCriterion.choices,
        required=False,
    )
    de_minimis_amount = forms.DecimalField(
        label=_("De minimis aid used over three years (kr)"), required=False, min_value=0, decimal_places=0
    )

    def __init__(self, *args, instance: Screening | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            for name, _q in Screening.POINTS:
                value = getattr(instance, name)
                initial[name] = "" if value is None else ("yes" if value else "no")
                initial[f"{name}_motivation"] = getattr(instance, f"{name}_motivation")
            initial["state_aid_criterion"] = instance.state_aid_criterion
            initial["de_minimis_amount"] = instance.de_minimis_amount
        super().__init__(*args, initial=initial, **kwargs)
        extra = dict(self.fields)
        self.fields = {}
        for name, question in Screening.POINTS:
            self.fields[name] = forms.ChoiceField(label=question, choices=YES_NO, widget=forms.RadioSelect)
            self.fields[f"{name}_motivation"] = forms.CharField(
                label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields.update(extra)

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        for name, _q in Screening.POINTS:
            data[name] = data[name] == "yes"
        data["de_minimis_amount"] = data.get("de_minimis_amount")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class AgreementForm(forms.ModelForm):
    class Meta:
        model = AgreementVersion
        fields = [
            *AgreementVersion.SECTIONS[:7],
            "start_date",
            "end_date",
            "notice_months",
            *AgreementVersion.SECTIONS[7:],
            "note",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 4}) for name in AgreementVersion.SECTIONS},
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The term must end after it starts."))
        return data


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["year", "party", "kind", "description", "hours", "value"]


class IndicatorForm(forms.Form):
    goal = forms.CharField(label=_("Goal"), max_length=300)
    name = forms.CharField(label=_("Indicator"), max_length=300)
    target = forms.DecimalField(label=_("Planned per year"), decimal_places=0, min_value=0)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)


class MemberForm(forms.ModelForm):
    class Meta:
        model = GroupMember
        fields = ["group", "party", "name", "role"]
        field_classes = {"name": NameFormField}


ContributionFormSet = forms.formset_factory(ContributionForm, extra=2, can_delete=True)
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1, can_delete=True)
MemberFormSet = forms.formset_factory(MemberForm, extra=2, can_delete=True)


def rows_of(formset) -> list[dict]:
    """The rows to keep: every row of the earlier version not marked for deletion, changed or not,
    and the empty rows at the end only where something was filled in."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        if form.cleaned_data.get("DELETE") or not data:
            continue
        if index >= formset.initial_form_count() and not form.has_changed():
            continue
        rows.append(data)
    return rows


class DelegatedDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Do not approve"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class SignForm(forms.Form):
    signatory = forms.CharField(label=_("Name of the person who signed"), max_length=200)
    signed_on = date_field(_("Signed on"), initial=timezone.localdate)


class SteeringMeetingForm(forms.Form):
    held_on = date_field(_("Held on"), initial=timezone.localdate)
    attendees = forms.CharField(label=_("Present"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 5}))


class FollowUpForm(forms.Form):
    contributions_made = forms.CharField(
        label=_("Contributions made by each party"), widget=forms.Textarea(attrs={"rows": 4})
    )
    joint_assessment = forms.CharField(label=_("Joint assessment"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"achieved_{indicator.pk}"] = forms.DecimalField(
                label=_("%(name)s: achieved (planned %(target)s %(unit)s)")
                % {"name": indicator.name, "target": indicator.target, "unit": indicator.unit},
                decimal_places=0,
                min_value=0,
            )
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=_("%(name)s: comment") % {"name": indicator.name}, required=False, max_length=300
            )

    def results(self) -> dict:
        return {
            i.pk: (self.cleaned_data[f"achieved_{i.pk}"], self.cleaned_data.get(f"comment_{i.pk}", ""))
            for i in self.indicators
        }


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["summary", "lessons", "proposal"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "lessons": forms.Textarea(attrs={"rows": 3})}


class PaymentForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=60, help_text=_("For example: 2026 first half"))
    amount = forms.DecimalField(label=_("Amount (kr)"), decimal_places=0, min_value=1)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + list(Partnership.State.choices)
    )


# -- the compact -----------------------------------------------------------------------------------------


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


__all__ = ["Compact", "Party"]
