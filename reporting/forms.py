"""Forms of follow-up reports and reclaims: they check shape; the services check meaning."""

from __future__ import annotations

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from grants.forms import ReadableBlankFormMixin
from grants.models import FormField

from .models import CommitmentTemplate, Reclaim, ReportField, ReportingRequirement

DATE = {"type": "date"}


class RequirementForm(forms.ModelForm):
    class Meta:
        model = ReportingRequirement
        fields = [
            "enabled",
            "instructions",
            "due_rule",
            "due_month",
            "due_day",
            "days_after",
            "reminder_days",
        ]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}

    def clean_reminder_days(self):
        value = self.cleaned_data["reminder_days"]
        parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
        if any(not p.isdigit() or not 0 < int(p) <= 365 for p in parts):
            raise forms.ValidationError(_("Write whole numbers of days between 1 and 365, e.g. 30,7."))
        return ",".join(parts)


class _ReportFieldForm(ReadableBlankFormMixin, forms.ModelForm):
    pass


ReportFieldFormSet = modelformset_factory(
    ReportField,
    form=_ReportFieldForm,
    fields=["kind", "label", "help_text", "required", "order", "choices"],
    extra=1,
    can_delete=True,
)
CommitmentTemplateFormSet = modelformset_factory(
    CommitmentTemplate, fields=["label", "unit", "planned", "order"], extra=1, can_delete=True
)


class ReportForm(forms.Form):
    """The report form built from the report's snapshot, plus planned-against-achieved per commitment."""

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.commitment_rows = []
        for field in report.snapshot.get("fields", []):
            self.fields[field["key"]] = self._field(field, report.answers.get(field["key"]))
        for commitment in report.commitments.all():
            unit = f" ({commitment.unit})" if commitment.unit else ""
            figure = f"commitment:{commitment.pk}"
            comment = f"commitment_comment:{commitment.pk}"
            self.fields[figure] = forms.DecimalField(
                label=_("Achieved: %(label)s%(unit)s – planned %(planned)s")
                % {"label": commitment.label, "unit": unit, "planned": commitment.planned},
                required=False,
                min_value=0,
                decimal_places=0,
                max_digits=12,
                initial=commitment.achieved,
            )
            self.fields[comment] = forms.CharField(
                label=_("Comment on: %(label)s") % {"label": commitment.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=commitment.comment,
            )
            self.commitment_rows.append((commitment, figure, comment))

    def _field(self, field: dict, initial):
        kind = field["kind"]
        common = {"label": field["label"], "help_text": field["help_text"], "required": False}
        if kind == FormField.Kind.LONG_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), initial=initial, **common)
        if kind in (FormField.Kind.NUMBER, FormField.Kind.AMOUNT):
            return forms.DecimalField(initial=initial, **common)
        if kind == FormField.Kind.DATE:
            return forms.DateField(widget=forms.DateInput(attrs=DATE), initial=initial, **common)
        if kind == FormField.Kind.CHOICE:
            choices = [("", "–"), *[(c, c) for c in field["choices"]]]
            return forms.ChoiceField(choices=choices, initial=initial, **common)
        if kind == FormField.Kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in field["choices"]],
                widget=forms.CheckboxSelectMultiple,
                initial=initial,
                **common,
            )
        if kind == FormField.Kind.YES_NO:
            return forms.ChoiceField(
                choices=[("", "–"), ("yes", _("yes")), ("no", _("no"))], initial=initial, **common
            )
        if kind == FormField.Kind.FILE:
            return forms.FileField(**common)
        return forms.CharField(initial=initial, **common)

    def parts(self) -> tuple[dict, dict, dict]:
        """(answers, achieved, uploads) for ``report_save``."""
        data = self.cleaned_data
        answers, uploads = {}, {}
        for field in self.report.snapshot.get("fields", []):
            value = data.get(field["key"])
            if field["kind"] == FormField.Kind.FILE:
                if value:
                    uploads[field["key"]] = value
            else:
                answers[field["key"]] = value
        achieved = {
            c.pk: (data.get(figure), data.get(comment, "")) for c, figure, comment in self.commitment_rows
        }
        return answers, achieved, uploads


class MessageForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to the organisation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Review notes (staff only)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class CommitmentForm(forms.Form):
    label = forms.CharField(label=_("Commitment"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    planned = forms.DecimalField(label=_("Planned"), min_value=0, decimal_places=0, max_digits=12)


class ReclaimForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to reclaim (kr)"), min_value=1, decimal_places=0, max_digits=12
    )
    grounds = forms.ChoiceField(label=_("Grounds"), choices=Reclaim.Grounds.choices)
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 4}))


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid back on"), widget=forms.DateInput(attrs=DATE))
