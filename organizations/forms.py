from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from workflows.fields import ModelChoiceField
from workflows.services import outbox_enqueue
from workflows.text import NameFormField

from . import uploads, validators
from .models import (
    Committee,
    Delegation,
    Municipality,
    Organisation,
    OrganisationActivity,
    OrganisationDocument,
    Person,
    StaffRole,
    User,
)


class SignupForm(forms.Form):
    full_name = NameFormField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={"invalid": _("Enter an e-mail address like namn@example.se.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits and not a common password."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("There is already an account with this e-mail address. Sign in, or reset your password."),
                code="exists",
            )
        return email

    def clean(self):
        data = super().clean()
        if data.get("password"):
            user = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password"], user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset e-mails go through the outbox like every other message."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from django.template.loader import render_to_string

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        outbox_enqueue(
            key=f"password-reset:{context['uid']}:{context['token']}",
            to=to_email,
            subject=subject,
            template=email_template_name,
            context=context,
        )


class OrgNumberField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return validators.org_number_compact(value) if value else value


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "purpose",
            "street_address",
            "postal_code",
            "city",
            "email",
            "phone",
            "website",
            "member_count",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}


class OrganisationRegisterForm(OrganisationForm):
    org_number = OrgNumberField(label=_("Organisation number"), help_text=_("Ten digits, e.g. 802012-3454."))
    municipality = ModelChoiceField(
        label=_("Municipality where you are active"), queryset=Municipality.objects.all()
    )
    resident_members = forms.IntegerField(
        label=_("Members living in that municipality"), min_value=0, initial=0
    )

    class Meta(OrganisationForm.Meta):
        fields = ["name", "org_number", *OrganisationForm.Meta.fields[1:]]

    def validate_unique(self):
        """A taken org number is answered by the service, which points to asking for access."""


class ActivityForm(forms.ModelForm):
    class Meta:
        model = OrganisationActivity
        fields = ["municipality", "resident_members"]


ActivityFormSet = forms.inlineformset_factory(
    Organisation, OrganisationActivity, form=ActivityForm, extra=1, can_delete=True, min_num=0
)

PersonFormSet = forms.inlineformset_factory(
    Organisation, Person, fields=["kind", "name", "position", "email", "phone"], extra=1, can_delete=True
)


class BankAccountForm(forms.Form):
    account_type = forms.ChoiceField(label=_("Account type"), choices=Organisation.AccountType.choices)
    account_number = forms.CharField(label=_("Account number"), max_length=20)

    def clean(self):
        data = super().clean()
        kind, number = data.get("account_type"), data.get("account_number")
        if kind and number:
            try:
                if kind == Organisation.AccountType.BANKGIRO:
                    validators.bankgiro_compact(number)
                else:
                    validators.plusgiro_compact(number)
            except forms.ValidationError as exc:
                self.add_error("account_number", exc)
        return data


class ActivityNoteForm(forms.ModelForm):
    """A municipality's own record of an organisation active there."""

    class Meta:
        model = OrganisationActivity
        fields = ["resident_members", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}


class AccountVerifyForm(forms.Form):
    checked = forms.BooleanField(
        label=_("I have checked with the organisation that the new account is its own"),
        help_text=_(
            "For example with a certificate from the bank or a call to the signatory at a number "
            "the municipality already has. Payments of the municipality go to this account."
        ),
        error_messages={"required": _("Confirm that you have checked the account before you verify it.")},
    )


class AccountRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the account is rejected"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation's users are told."),
        error_messages={"required": _("Say why the account is rejected: the organisation is told.")},
    )


class DocumentUploadForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=OrganisationDocument.Type.choices)
    year = forms.IntegerField(label=_("Valid for year"), min_value=1900, max_value=2100)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = uploads.help_text()


class JoinForm(forms.Form):
    org_number = OrgNumberField(label=_("Organisation number"))
    message = forms.CharField(
        label=_("Message to the signatory"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or organisation number"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organisation.Kind.choices]
    )


# ---- the municipality's set-up ----


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["name", "code", "registry_email"]
        labels = {
            "name": _("Name of the committee"),
            "code": _("Code in case numbers"),
            "registry_email": _("Registry e-mail"),
        }
        help_texts = {"code": _("A few capital letters, e.g. KFN: case numbers read “KFN 2026/12”.")}


class StaffRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={"invalid": _("Enter an e-mail address like namn@example.se.")},
        help_text=_("Someone without an account in Bidra gets an e-mail to choose a password."),
    )
    full_name = NameFormField(
        label=_("Name"), max_length=200, required=False, help_text=_("Needed for someone new to Bidra.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices, widget=forms.RadioSelect)
    committee = ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.none(),
        required=False,
        empty_label=_("Every committee of the municipality"),
        help_text=_("A member, secretary or caseworker usually serves one committee."),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = municipality.committees.order_by("name")

    def clean(self):
        data = super().clean()
        email = (data.get("email") or "").lower()
        if email and not data.get("full_name") and not User.objects.filter(email__iexact=email).exists():
            self.add_error(
                "full_name", _("Give the name of the person: there is no account for this address yet.")
            )
        return data


class DelegationForm(forms.Form):
    user = ModelChoiceField(label=_("Official"), queryset=User.objects.none())
    committee = ModelChoiceField(label=_("For the committee"), queryset=Committee.objects.none())
    matter = forms.ChoiceField(
        label=_("Matters"), choices=Delegation.Matter.choices, widget=forms.RadioSelect
    )
    max_amount = forms.DecimalField(
        label=_("Up to amount (kr)"),
        min_value=1,
        max_digits=12,
        decimal_places=0,
        help_text=_("The highest amount the official may decide alone; larger matters go to the committee."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Last valid day (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = municipality.committees.order_by("name")
        self.fields["user"].queryset = (
            User.objects.filter(
                staff_roles__municipality=municipality,
                staff_roles__state=StaffRole.State.ACTIVE,
                staff_roles__role__in=[
                    r for r in StaffRole.Role.values if r != StaffRole.Role.MUNICIPALITY_ADMIN
                ],
            )
            .distinct()
            .order_by("full_name")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.email})"

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The last day cannot be before the first."))
        return data
