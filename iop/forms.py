from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.fields import DateInput, ModelChoiceField, date_field
from workflows.text import NameFormField

from .models import (
    AgreementVersion,
    Contribution,
    Evaluation,
    GroupMember,
    Partnership,
    Party,
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


__all__ = ["Party"]
