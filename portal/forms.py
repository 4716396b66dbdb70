from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iop.services import INITIATIVE_FIELDS
from organizations.models import Organisation
from workflows.fields import DateInput, ModelChoiceField, date_field
from workflows.text import NameFormField

from .models import (
    BarrierReport,
    BoardPost,
    BoardResponse,
    GuidingContact,
    Listing,
    ProgramGuide,
    Purpose,
    Size,
)

PUBLIC_CONTACT_WARNING = _(
    "Everything you write here is public. Give the organisation's shared e-mail address or phone, "
    "not a private person's, unless that person has agreed to it."
)


class GuideForm(forms.Form):
    """The plain-language guide: four optional questions, sent with GET."""

    kind = forms.ChoiceField(
        label=_("What kind of organisation are you?"),
        required=False,
        choices=[("", _("Any kind")), *Organisation.Kind.choices],
    )
    purpose = forms.ChoiceField(
        label=_("What is your activity for?"), required=False, choices=[("", _("Anything")), *Purpose.choices]
    )
    size = forms.ChoiceField(
        label=_("How many members live in the municipality?"),
        required=False,
        choices=[("", _("Does not matter")), *Size.choices],
    )
    amount = forms.DecimalField(
        label=_("About how much money do you need (kr)?"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=0,
        help_text=_("Leave empty if you do not know yet."),
    )


class GuidingContactForm(forms.ModelForm):
    remove = forms.BooleanField(label=_("Remove this contact"), required=False)

    class Meta:
        model = GuidingContact
        fields = ["title", "name", "email", "phone", "hours", "order"]
        field_classes = {"name": NameFormField}


class ProgramGuideForm(forms.ModelForm):
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"),
        required=False,
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the program supports any purpose."),
    )

    class Meta:
        model = ProgramGuide
        fields = ["purposes", "target_groups", "min_amount", "max_amount", "max_members"]


class ListingForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    purposes = forms.MultipleChoiceField(
        label=_("What the organisation works with"),
        required=False,
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Listing
        fields = ["listed", "description", "purposes", "public_email", "public_phone", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "public_email": PUBLIC_CONTACT_WARNING,
            "description": _("Shown to everyone. Write what you do, for whom and how to take part."),
        }


class PostForm(forms.ModelForm):
    organisation = ModelChoiceField(label=_("Post for"), queryset=None, required=False)

    class Meta:
        model = BoardPost
        fields = ["kind", "title", "body", "area", "target_group", "contact", "expires_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 6}),
            "contact": forms.Textarea(attrs={"rows": 3}),
            "expires_on": DateInput(),
        }
        help_texts = {"contact": PUBLIC_CONTACT_WARNING}
        labels = {"kind": _("What do you want to post?")}

    def __init__(self, *args, organisations, as_staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (BoardPost.Kind.NEED, _("A need: we are looking for an organisation that can help")),
            (BoardPost.Kind.INITIATIVE, _("An initiative: we can offer an activity")),
        ]
        self.fields["organisation"].queryset = organisations
        if as_staff:
            self.fields["organisation"].empty_label = _("The municipality")
        else:
            self.fields["organisation"].required = True
            self.fields["organisation"].empty_label = None
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)
        self.order_fields(["organisation", "kind"])


class ResponseForm(forms.ModelForm):
    organisation = ModelChoiceField(label=_("On behalf of"), queryset=None, required=False)

    class Meta:
        model = BoardResponse
        fields = ["message", "contact"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"contact": _("Only the poster and the municipality's staff see your answer.")}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = _("Myself")
        self.order_fields(["organisation", "message", "contact"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferForm(forms.Form):
    committee = ModelChoiceField(label=_("Committee"), queryset=None)
    title = forms.CharField(label=_("Name of the partnership"), max_length=200)
    social_need = forms.CharField(label=_("The social need"), widget=forms.Textarea(attrs={"rows": 3}))
    proposed_solution = forms.CharField(
        label=_("The proposed solution"), widget=forms.Textarea(attrs={"rows": 3})
    )
    target_group = forms.CharField(label=_("Target group"), widget=forms.Textarea(attrs={"rows": 2}))
    organisation_brings = forms.CharField(
        label=_("What the organisation brings"), widget=forms.Textarea(attrs={"rows": 3})
    )
    municipality_asked = forms.CharField(
        label=_("What the organisation asks of the municipality"), widget=forms.Textarea(attrs={"rows": 3})
    )
    political_goal = forms.CharField(
        label=_("The political goal or plan it serves"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        assert set(INITIATIVE_FIELDS) <= set(self.fields)


class PointForm(forms.Form):
    program = ModelChoiceField(label=_("Suggested program"), queryset=None, required=False)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].empty_label = _("No suggestion")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Needs and initiatives")),
            (BoardPost.Kind.NEED, _("Needs")),
            (BoardPost.Kind.INITIATIVE, _("Initiatives")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


# -- the notice board ------------------------------------------------------------------------------


class NoticeForm(forms.Form):
    """An other notice on the board (the minutes get theirs when they are posted)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text of the notice"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Everything you write here is public on the municipality's notice board."),
    )
    posted_on = date_field(_("Posted on"))
    taken_down_on = date_field(
        _("Taken down on"), help_text=_("The notice is shown up to the day before this day.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["posted_on"].initial = today
        self.fields["taken_down_on"].initial = today + timedelta(days=22)


# -- the accessibility statement -------------------------------------------------------------------


class BarrierReportForm(forms.ModelForm):
    class Meta:
        model = BarrierReport
        fields = ["page_url", "description", "name", "email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "page_url": _("Which page or document? (address or name)"),
            "description": _("What did not work for you?"),
            "name": _("Your name (optional)"),
            "email": _("Your e-mail (optional)"),
        }
        help_texts = {
            "email": _("Give it if you want an answer. We use it only to answer you."),
        }


class BarrierAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent by e-mail to the person who reported, when they gave an address."),
    )
