from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations import uploads
from organizations.models import Organisation, OrganisationDocument
from workflows.amounts import AmountField
from workflows.fields import ModelChoiceField
from workflows.templatetags.bidra import kr

from .models import (
    DEFAULT_ANSWER_LENGTH,
    Application,
    BudgetCommitment,
    Criterion,
    EligibilityRule,
    FormField,
    Program,
    ProgramBudget,
    RequiredAttachment,
    Round,
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ApplicationForm(forms.Form):
    """The program's own form, built from the round's snapshot."""

    title = forms.CharField(label=_("Title of the application"), max_length=200)
    requested_amount = AmountField(label=_("Amount applied for (kr)"), required=False)

    def __init__(self, *args, application: Application, attachments=(), outstanding=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.field_keys = {}
        #: form field name -> the attachment's key, for the files sent with the form
        self.file_keys = {}
        #: what the attachments as a whole lack (shown at the list of attachments)
        self.attachment_errors: list[str] = []
        for field in application.snapshot.get("fields", []):
            if field["kind"] == FormField.Kind.FILE:
                continue
            name = f"f{field['id']}"
            self.field_keys[name] = field["key"]
            # Required is checked on submission, so a draft can be saved half done.
            common = {"label": field["label"], "help_text": field["help_text"], "required": False}
            kind = field["kind"]
            limit = field.get("max_length") or DEFAULT_ANSWER_LENGTH
            if kind == FormField.Kind.LONG_TEXT:
                form_field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 5}), max_length=limit, **common
                )
            elif kind == FormField.Kind.AMOUNT:
                form_field = AmountField(decimals=2, **common)
            elif kind == FormField.Kind.NUMBER:
                form_field = forms.DecimalField(min_value=0, **common)
            elif kind == FormField.Kind.DATE:
                form_field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
            elif kind == FormField.Kind.CHOICE:
                form_field = forms.ChoiceField(
                    choices=[("", "–")] + [(c, c) for c in field["choices"]], **common
                )
            elif kind == FormField.Kind.MULTIPLE_CHOICE:
                form_field = forms.MultipleChoiceField(
                    choices=[(c, c) for c in field["choices"]], widget=forms.CheckboxSelectMultiple, **common
                )
            elif kind == FormField.Kind.YES_NO:
                form_field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
            else:
                form_field = forms.CharField(max_length=limit, **common)
            if field["required"]:
                form_field.widget.attrs["aria-required"] = "true"
                form_field.label = f"{field['label']} *"
            self.fields[name] = form_field
            self.initial.setdefault(name, application.answers.get(field["key"]))
        if any(r["kind"] == "democracy_declaration" for r in application.snapshot.get("rules", [])):
            self.fields["democracy_declaration"] = forms.BooleanField(
                label=_("We declare that the organisation respects the democracy conditions"),
                help_text=_("The organisation respects democracy, human rights and equality."),
                required=False,
            )
            self.initial.setdefault("democracy_declaration", application.democracy_declaration)
        self.initial.setdefault("title", application.title)
        if application.round.program.kind == Program.Kind.AWARD:
            # an award is given for what the organisation does: no amount is applied for
            del self.fields["requested_amount"]
        else:
            self.initial.setdefault("requested_amount", application.requested_amount)
            self._amount_range(application.snapshot.get("program", {}), application.round.program)
        for key, label in attachments:
            name = "file_" + key.replace(":", "_")
            self.file_keys[name] = key
            self.fields[name] = forms.FileField(label=label, help_text=uploads.help_text(), required=False)
        if "democracy_declaration" in self.fields:
            self.fields["democracy_declaration"] = self.fields.pop("democracy_declaration")  # last
        if outstanding:
            self.offer_confirmation()

    def _amount_range(self, taken: dict, program) -> None:
        """The program's amount range, said before it is checked at submission."""
        low = taken.get("min_amount", program.min_amount)
        high = taken.get("max_amount", program.max_amount)
        field = self.fields["requested_amount"]
        if low is None and high is None:
            return
        field.label = _("Amount applied for (kr) *")
        field.widget.attrs["aria-required"] = "true"
        if low is not None and high is not None:
            field.help_text = _("Between %(low)s and %(high)s.") % {"low": kr(low), "high": kr(high)}
        elif low is not None:
            field.help_text = _("At least %(low)s.") % {"low": kr(low)}
        else:
            field.help_text = _("At most %(high)s.") % {"high": kr(high)}

    def offer_confirmation(self) -> None:
        """The box with which the applicant sends an application that will stop at screening."""
        if "confirm_outstanding" not in self.fields:
            self.fields["confirm_outstanding"] = forms.BooleanField(
                label=_("I have read this and want to send the application anyway"), required=False
            )

    def attachment_status(self, status: dict[str, str]) -> None:
        """Say under each file's field what the application has for it now."""
        for name, key in self.file_keys.items():
            if status.get(key):
                self.fields[name].help_text = status[key]

    #: where a refusal of the service is shown: the service's name of the place -> the form's field
    def field_for(self, where: str) -> str | None:
        if where in self.fields:
            return where
        for name, key in {**self.field_keys, **self.file_keys}.items():
            if key == where:
                return name
        return None

    def summary(self) -> list[tuple[str, str]]:
        """The errors for the summary above the form, each with the id of its field (or "")."""
        rows = [("", str(error)) for error in self.non_field_errors()]

        def of(fields):
            for field in fields:
                label = str(field.label).removesuffix(" *")
                for error in field.errors:
                    text = error if error.startswith(label) else f"{label}: {error}"
                    rows.append((field.id_for_label, text))

        of(self.answer_fields())  # in the order of the page
        rows += [("attachments", error) for error in self.attachment_errors]
        of(self.file_fields())
        of(self.closing_fields())
        return rows

    def answer_fields(self):
        return [
            self[name]
            for name in self.fields
            if name not in self.file_keys and name not in ("democracy_declaration", "confirm_outstanding")
        ]

    def file_fields(self):
        return [self[name] for name in self.file_keys]

    def closing_fields(self):
        return [
            self[name] for name in ("democracy_declaration", "confirm_outstanding") if name in self.fields
        ]

    def answers(self) -> dict:
        return {key: self.cleaned_data.get(name) for name, key in self.field_keys.items()}

    def files_sent(self) -> dict:
        """The attachment's key -> the file sent with the form for it."""
        return {
            key: self.cleaned_data[name]
            for name, key in self.file_keys.items()
            if self.cleaned_data.get(name)
        }


class AttachmentForm(forms.Form):
    key = forms.ChoiceField(label=_("Which attachment"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, keys: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = uploads.help_text()
        self.fields["key"].choices = list(keys.items())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))


class ProposalForm(forms.Form):
    amount = AmountField(label=_("Proposed amount (kr)"))
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 4}))


class OverrideForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"))
    reason = forms.CharField(label=_("Why the rule is set aside"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rules: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(r.kind, r.label) for r in rules]


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("What the conflict of interest is"), max_length=300)


class AssessmentForm(forms.Form):
    comment = forms.CharField(
        label=_("Overall comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    complete = forms.BooleanField(label=_("My assessment is finished"), required=False)

    def __init__(self, *args, criteria: list, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = assessment.scores if assessment else {}
        self.groups = []
        for criterion in criteria:
            cid = criterion["id"]
            entry = scores.get(str(cid), {})
            choices = [("", "–")] + [
                (str(n), str(n)) for n in range(criterion["scale_min"], criterion["scale_max"] + 1)
            ]
            self.fields[f"score_{cid}"] = forms.ChoiceField(
                label=_("Score for %(name)s") % {"name": criterion["name"]},
                choices=choices,
                required=False,
                help_text=criterion["guidance"],
                initial="" if entry.get("score") is None else str(entry.get("score")),
            )
            names = [f"score_{cid}"]
            if criterion["allow_na"]:
                self.fields[f"na_{cid}"] = forms.BooleanField(
                    label=_("Not applicable: %(name)s") % {"name": criterion["name"]},
                    required=False,
                    initial=entry.get("na", False),
                )
                names.append(f"na_{cid}")
            self.fields[f"comment_{cid}"] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": criterion["name"]},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=entry.get("comment", ""),
            )
            names.append(f"comment_{cid}")
            self.groups.append((criterion, names))
        if assessment:
            self.initial.setdefault("comment", assessment.comment)
            self.initial.setdefault("complete", assessment.completed_at is not None)

    def clean(self):
        data = super().clean()
        if data.get("complete"):
            # each criterion left without a score is named at its own field
            for criterion in self.criteria:
                cid = criterion["id"]
                if not data.get(f"score_{cid}") and not data.get(f"na_{cid}"):
                    self.add_error(
                        f"score_{cid}",
                        _("Give a score, or mark it not applicable, before the assessment is finished.")
                        if criterion["allow_na"]
                        else _("Give a score before the assessment is finished."),
                    )
        return data

    def scores(self) -> dict:
        return {
            str(c["id"]): {
                "score": self.cleaned_data.get(f"score_{c['id']}") or None,
                "na": bool(self.cleaned_data.get(f"na_{c['id']}")),
                "comment": self.cleaned_data.get(f"comment_{c['id']}", ""),
            }
            for c in self.criteria
        }

    def grouped(self):
        return [(criterion, [self[n] for n in names]) for criterion, names in self.groups]


class InboxFilterForm(forms.Form):
    program = ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, empty_label=_("All")
    )
    round = ModelChoiceField(
        label=_("Round"), queryset=Round.objects.none(), required=False, empty_label=_("All")
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + list(Application.State.choices)
    )
    mine = forms.BooleanField(label=_("Only my tasks"), required=False)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        from .selectors import inbox_rounds

        self.fields["round"].queryset = inbox_rounds(programs=programs)


class RoundFilterForm(forms.Form):
    q = forms.CharField(label=_("Organisation or case number"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + list(Application.State.choices)
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-submitted", _("Latest submitted")),
            ("submitted", _("First submitted")),
            ("case_number", _("Case number")),
            ("organisation", _("Organisation")),
            ("-amount", _("Largest amount")),
            ("-score", _("Highest score")),
            ("state", _("State")),
        ],
    )


class AssignForm(forms.Form):
    to = ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = users


class ProgramForm(forms.ModelForm):
    rules_url = forms.URLField(label=_("link to the rules"), required=False, assume_scheme="https")

    class Meta:
        model = Program
        fields = [
            "committee",
            "kind",
            "name",
            "rules_reference",
            "rules_url",
            "rules_text",
            "description",
            "easy_read",
            "who_may_apply",
            "delegation_limit",
            "min_amount",
            "max_amount",
            "several_per_round",
            "normal_handling_days",
            "contact_name",
            "contact_email",
            "contact_phone",
            "reporting_requirement",
            "instalments",
            "appeal_kind",
            "appeal_court",
            "ledger_account",
            "cost_centre",
            "ledger_project",
            "is_active",
        ]

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"] = ModelChoiceField(label=_("Committee"), queryset=committees)
        _readable_blank(self)


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "name",
            "year",
            "opens_at",
            "closes_at",
            "decision_date",
            "decision_reference",
            "late_rule",
            "late_deduction_percent",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The round must close after it opens."))
        return data


class RuleForm(forms.ModelForm):
    """A rule with its parameters as fields a person fills in (stored as the rule's params)."""

    kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds allowed"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For the rule “organisation kinds allowed”."),
    )
    min_members = forms.IntegerField(
        label=_("Minimum number of members living in the municipality"),
        min_value=0,
        required=False,
        help_text=_("For the rule “minimum number of members living there”."),
    )
    doc_types = forms.MultipleChoiceField(
        label=_("Register documents that must be current"),
        choices=OrganisationDocument.Type.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For the rule “register documents current”; none ticked means every document."),
    )

    class Meta:
        model = EligibilityRule
        fields = ["kind", "enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        params = self.instance.params or {}
        self.fields["kinds"].initial = params.get("kinds") or []
        self.fields["min_members"].initial = params.get("min")
        self.fields["doc_types"].initial = params.get("doc_types") or []

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == EligibilityRule.Kind.ORG_KINDS and not data.get("kinds"):
            self.add_error("kinds", _("Tick the kinds of organisation that may apply."))
        if kind == EligibilityRule.Kind.MIN_RESIDENT_MEMBERS and data.get("min_members") is None:
            self.add_error("min_members", _("Give the number of members."))
        return data

    def save(self, commit=True):
        rule = super().save(commit=False)
        data = self.cleaned_data
        rule.params = {
            EligibilityRule.Kind.ORG_KINDS: {"kinds": data.get("kinds") or []},
            EligibilityRule.Kind.MIN_RESIDENT_MEMBERS: {"min": data.get("min_members") or 0},
            EligibilityRule.Kind.DOCUMENTS_CURRENT: {"doc_types": data.get("doc_types") or []},
        }.get(rule.kind, {})
        if commit:
            rule.save()
        return rule


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = BudgetCommitment
        fields = ["budget", "description", "amount"]


#: the program's settings, one formset per section: (model, form or fields, label)
SECTIONS = {
    "fields": (
        FormField,
        ["kind", "label", "help_text", "required", "order", "choices", "max_length"],
        _("Application form"),
    ),
    "attachments": (
        RequiredAttachment,
        ["label", "doc_type", "help_text", "required", "order"],
        _("Attachments"),
    ),
    "rules": (EligibilityRule, RuleForm, _("Eligibility rules")),
    "criteria": (
        Criterion,
        ["name", "guidance", "weight", "scale_min", "scale_max", "allow_not_applicable", "order"],
        _("Assessment criteria"),
    ),
    "rounds": (Round, RoundForm, _("Rounds")),
    "budgets": (ProgramBudget, ["year", "amount"], _("Budget")),
    "commitments": (BudgetCommitment, CommitmentForm, _("Earmarked commitments")),
}


def _readable_blank(form) -> None:
    """A select's empty choice reads "Choose …" (or "None" where it may stay empty), not Django's dashes."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = _("Choose …") if field.required else _("(none)")
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "":
                field.choices = [("", _("Choose …") if field.required else _("(none)")), *choices[1:]]


class ReadableBlankFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _readable_blank(self)


def section_formset(section: str):
    model, form_or_fields, _label = SECTIONS[section]
    kwargs = {"extra": 1, "can_delete": section not in ("rounds",)}
    if isinstance(form_or_fields, list):
        kwargs["fields"] = form_or_fields
        kwargs["form"] = type("SectionForm", (ReadableBlankFormMixin, forms.ModelForm), {})
    else:
        kwargs["form"] = type(form_or_fields.__name__, (ReadableBlankFormMixin, form_or_fields), {})
    return modelformset_factory(model, **kwargs)


# ---- decisions, letters, payments ----

DATE = {"type": "date"}


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text of the letter"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Separate paragraphs with an empty line. Placeholders are replaced in each letter."),
    )


class DelegatedDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("granted", pgettext_lazy("decision", "Grant")),
            ("partly_granted", _("Grant in part")),
            ("rejected", _("Reject")),
        ],
    )
    amount = AmountField(label=_("Amount (kr)"), required=False)
    conditions = forms.CharField(
        label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    period_start = forms.DateField(
        label=_("Grant period from"), widget=forms.DateInput(attrs=DATE), required=False
    )
    period_end = forms.DateField(
        label=_("Grant period until"), widget=forms.DateInput(attrs=DATE), required=False
    )
    report_due = forms.DateField(label=_("Report due"), widget=forms.DateInput(attrs=DATE), required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
