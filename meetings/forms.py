from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from meetings.models import Appeal, Attendance, Decision
from workflows.amounts import AmountField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("For example 2027-06-10 13:00."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, initial="Sammanträdesrummet, kommunhuset")


class AttendanceForm(forms.Form):
    present = forms.BooleanField(label=_("Present"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Attendance.Role.choices)
    party = forms.CharField(label=_("Party"), max_length=20, required=False)
    adjuster = forms.BooleanField(label=_("Adjuster"), required=False)


class AgendaAddForm(forms.Form):
    cases = forms.MultipleChoiceField(
        label=_("Cases to put on the agenda"), widget=forms.CheckboxSelectMultiple, choices=[]
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(c.key, c.title) for _group, cs in candidates for c in cs]


class GroupDecisionForm(forms.Form):
    """What applies to every grant of the group."""

    period_start = forms.DateField(label=_("Grant period from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Grant period until"), required=False, widget=DateInput())
    report_due = forms.DateField(label=_("Report due"), required=False, widget=DateInput())
    conditions = forms.CharField(
        label=_("Conditions for every grant"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The grant period ends before it starts."))
        return data


class ItemDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices)
    amount = AmountField(label=_("Amount (kr)"), required=False)
    conditions = forms.CharField(
        label=_("Conditions for this case"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, item=None, adapter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:  # the outcomes as the case type reads them (a reclaim is "reclaimed")
            outcomes = adapter.outcomes if adapter is not None else Decision.Outcome.values
            self.fields["outcome"].choices = [
                (value, capfirst(item.outcome_label(value))) for value in outcomes
            ]
        if adapter is not None:
            self.fields["amount"].label = adapter.amount_label()
            if not adapter.grant_terms:
                self.fields["conditions"].label = _("Conditions")

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome in ("granted", "partly_granted") and not data.get("amount"):
            self.add_error("amount", _("A grant needs an amount above 0 kr."))
        if outcome in ("rejected", "noted") and data.get("amount"):
            self.add_error("amount", _("Only a grant has an amount."))
        return data


class RecusalForm(forms.Form):
    user = forms.ChoiceField(label=_("Who has the conflict of interest"), choices=[])
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: is on the board of the applicant organisation."),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(str(u.pk), u.full_name) for u in people]
        if len(self.fields["user"].choices) <= 1:
            self.fields["user"].widget = forms.HiddenInput()


class PostForm(forms.Form):
    posted_on = forms.DateField(label=_("Posted on the notice board on"), widget=DateInput())
    kept_at = forms.CharField(
        label=_("Where the minutes are kept"),
        max_length=200,
        required=False,
        help_text=_("Stated in the posting certificate (anslagsbevis)."),
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of appeal"), choices=Appeal.Kind.choices)
    appellant = forms.CharField(label=_("Appellant"), max_length=200)
    lodged_on = forms.DateField(label=_("Lodged on"), widget=DateInput())


class AppealResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in Appeal.Outcome.choices if c[0] != Appeal.Outcome.PENDING]
    )
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
