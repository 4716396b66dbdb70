"""The steps of an application that a page or the API may ask for by name:
their services and inputs, registered once (see ``workflows.registry``)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import registry
from workflows.shortcuts import get_permitted_or_404

from . import services
from .models import Application

CompletionInput = registry.inputs(
    "CompletionInput",
    message=registry.text(gettext_lazy("What needs to be completed")),
    working_days=registry.DefaultIntegerField(
        label=gettext_lazy("Working days to answer"),
        required=False,
        initial=services.DEFAULT_COMPLETION_DAYS,
        help_text=gettext_lazy("Weekends and public holidays are not counted."),
    ),
)
ProposalInput = registry.inputs(
    "ProposalInput",
    # the amount is checked by the service (the program's ceiling, whole kronor), in its words
    amount=forms.CharField(label=gettext_lazy("Proposed amount (kr)"), required=False),
    motivation=registry.text(gettext_lazy("Motivation")),
)


def _application(request, pk):
    queryset = Application.objects.select_related(
        "round__program__municipality", "round__program__committee", "organisation"
    )
    return get_permitted_or_404(queryset, "grants.view_application", request.user, pk=pk)


def _done(application, name):
    if name == "submit":
        return _("The application is submitted.")
    return _("Done: the application is now “%(state)s”.") % {"state": application.get_state_display()}


registry.case(
    Application,
    get=_application,
    page=lambda application, **kw: reverse("grants:application_detail", kwargs={"pk": application.pk}),
    done=_done,
)
step = registry.step
step(
    Application,
    "submit",
    lambda a, by, data: services.application_submit(
        application=a, by=by, confirmed=data["confirm_outstanding"]
    ),
    form=registry.inputs("SubmitInput", confirm_outstanding=forms.BooleanField(required=False)),
)
for _name, _service in (
    ("withdraw", services.application_withdraw),
    ("accept", services.application_accept),
    ("dismiss", services.application_dismiss),
):
    step(Application, _name, lambda a, by, data, s=_service: s(application=a, by=by, reason=data["reason"]))
step(
    Application,
    "request_completion",
    lambda a, by, data: services.application_request_completion(
        application=a, by=by, message=data["message"], working_days=data["working_days"]
    ),
    form=CompletionInput,
    input="message",
)
step(
    Application,
    "answer_completion",
    lambda a, by, data: services.application_answer_completion(application=a, by=by, answer=data["answer"]),
    form=registry.inputs("AnswerInput", answer=registry.text(gettext_lazy("Your answer"))),
    input="answer",
)
step(
    Application,
    "finish_assessment",
    lambda a, by, data: services.application_finish_assessment(application=a, by=by),
    form=registry.NOTHING,
)
step(
    Application,
    "reopen_assessment",
    lambda a, by, data: services.application_reopen_assessment(application=a, by=by),
    form=registry.NOTHING,
)
step(
    Application,
    "propose",
    lambda a, by, data: services.application_propose(
        application=a, by=by, amount=data["amount"], motivation=data["motivation"]
    ),
    form=ProposalInput,
    input="motivation",
)
