"""The forms of förvaltningslagen 11 § and 12 §: a notice of delay, a request for a decision and
its refusal.  The service checks the meaning; these forms turn what was sent into values and put
the service's words next to the field they concern."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services.fl import decision_request_refusal_clean, delay_notice_clean


class DelayNoticeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the case is delayed"),
        help_text=_("The applicant reads this. Say what the delay depends on, in plain words."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    expected_by = forms.DateField(
        label=_("A decision can be expected by"),
        help_text=_("A day after today, written as 2026-06-15."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
        error_messages={"invalid": _("Write the day as 2026-06-15.")},
    )

    def clean(self):
        data = super().clean()
        if "expected_by" in self.errors:
            return data
        try:
            data["reason"], data["expected_by"] = delay_notice_clean(
                reason=data.get("reason", ""), expected_by=data.get("expected_by")
            )
        except ValidationError as exc:
            self.add_error("expected_by" if exc.code == "expected_by" else "reason", exc)
        return data


class DecisionRequestForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the committee (optional)"),
        help_text=_("For example why a decision is urgent for you."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class DecisionRequestRefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the request is refused"),
        help_text=_(
            "The reason is in the decision letter. Say why the case cannot be decided now and what it waits for."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )

    def clean_reason(self):
        return decision_request_refusal_clean(reason=self.cleaned_data.get("reason", ""))
