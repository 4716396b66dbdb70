"""The steps of a committee meeting that its page or the API may ask for by name (see
``workflows.registry``).  The minutes are approved by each adjuster on their own page."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import Meeting
from workflows import registry
from workflows.services import TransitionRefused
from workflows.shortcuts import get_permitted_or_404

from . import services


def _meeting(request, pk):
    meeting = get_permitted_or_404(
        Meeting.objects.select_related("committee__municipality"),
        "meetings.view_meeting",
        request.user,
        pk=pk,
    )
    if not request.user.has_perm("meetings.manage_meeting", meeting):
        raise PermissionDenied
    return meeting


def _post(meeting, by, data):
    if data["posted_on"] is None:
        raise TransitionRefused([_("Enter the day the minutes are posted, like 2026-06-15.")])
    services.meeting_post(meeting=meeting, posted_on=data["posted_on"], by=by)


registry.case(
    Meeting,
    get=_meeting,
    page=lambda meeting, **kw: reverse("meetings:meeting_detail", kwargs={"pk": meeting.pk}),
    done=lambda meeting, name: _("The meeting is now “%(state)s”.") % {"state": meeting.get_state_display()},
    refused_status=409,
)
for _name in ("publish_agenda", "hold"):
    registry.step(
        Meeting,
        _name,
        lambda m, by, data, n=_name: services.meeting_transition(
            meeting=m, name=n, by=by, reason=data["reason"]
        ),
    )
registry.step(
    Meeting,
    "post",
    _post,
    form=registry.inputs(
        "PostInput", posted_on=forms.DateField(label=gettext_lazy("Posted on"), required=False)
    ),
)
