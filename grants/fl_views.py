"""Pages of förvaltningslagen 11 § and 12 §: the notice of delay (with a page that shows it as the
applicant will read it), the request for a decision, its refusal and the refusal's letter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.shortcuts import get_permitted_or_404
from workflows.storage import file_download

from . import services
from .fl_forms import DecisionRequestForm, DecisionRequestRefusalForm, DelayNoticeForm
from .fl_selectors import application_fl
from .models import Application, DecisionRequest


def _application(request, pk):
    queryset = Application.objects.select_related(
        "round__program__municipality", "round__program__committee", "organisation", "created_by"
    )
    return get_permitted_or_404(queryset, "grants.view_application", request.user, pk=pk)


def _back(application):
    return redirect("grants:application_detail", pk=application.pk)


def _refused(request, application, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)
    return _back(application)


@login_required
def delay_notice(request, pk):
    """Tell the applicant that the case is delayed (förvaltningslagen 11 §): the form, then the
    notice as the applicant will read it, then send."""
    application = _application(request, pk)
    if not request.user.has_perm("grants.handle_application", application):
        raise PermissionDenied
    facts = application_fl(application=application, user=request.user)
    if not facts["can_notify_delay"]:
        messages.error(request, _("A notice of delay is given only while the application is being handled."))
        return _back(application)
    form = DelayNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        reason, expected_by = form.cleaned_data["reason"], form.cleaned_data["expected_by"]
        if "confirm" in request.POST:
            try:
                services.application_delay_notify(
                    application=application, by=request.user, reason=reason, expected_by=expected_by
                )
            except ValidationError as exc:
                return _refused(request, application, exc)
            messages.success(request, _("The notice of delay is sent to the applicant."))
            return _back(application)
        message = services.delay_notice_message(
            application=application, reason=reason, expected_by=expected_by, by=request.user
        )
        return render(
            request,
            "grants/fl/delay_notice_confirm.html",
            {
                "application": application,
                "form": form,
                "message": message,
                "recipients": _recipients(application),
            },
        )
    return render(
        request,
        "grants/fl/delay_notice.html",
        {"application": application, "form": form, "facts": facts, "today": timezone.localdate()},
    )


def _recipients(application) -> list[str]:
    return sorted({application.created_by.email, application.organisation.email} - {""})


@login_required
def decision_request(request, pk):
    """The organisation asks that its case be decided (förvaltningslagen 12 §)."""
    application = _application(request, pk)
    if not request.user.has_perm("grants.request_decision", application):
        raise PermissionDenied
    facts = application_fl(application=application, user=request.user)
    form = DecisionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.decision_request_make(
                application=application, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your request is sent. The case is to be decided, or the request answered, by %(date)s.")
                % {"date": made.due.isoformat()},
            )
            return _back(application)
    return render(
        request,
        "grants/fl/decision_request.html",
        {"application": application, "form": form, "facts": facts, "weeks": services.DECISION_REQUEST_WEEKS},
    )


@login_required
def decision_request_refuse(request, pk):
    """Refuse the open request for a decision by a decision of its own: the reason, then what the
    applicant gets, then the decision."""
    application = _application(request, pk)
    if not request.user.has_perm("grants.handle_application", application):
        raise PermissionDenied
    facts = application_fl(application=application, user=request.user)
    open_request = facts["open_request"]
    if open_request is None:
        messages.error(request, _("There is no open request for a decision on this application."))
        return _back(application)
    form = DecisionRequestRefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        if "confirm" in request.POST:
            try:
                services.decision_request_refuse(
                    request=open_request, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                return _refused(request, application, exc)
            messages.success(
                request, _("The request is refused. The decision letter is sent to the applicant.")
            )
            return _back(application)
        return render(
            request,
            "grants/fl/refusal_confirm.html",
            {
                "application": application,
                "form": form,
                "request_": open_request,
                "program": application.round.program,
                "recipients": _recipients(application),
            },
        )
    return render(
        request,
        "grants/fl/refusal.html",
        {"application": application, "form": form, "request_": open_request, "facts": facts},
    )


@login_required
def decision_request_letter(request, pk):
    """The decision letter of a refused request for a decision, for both sides of the case."""
    made = get_object_or_404(
        DecisionRequest.objects.select_related(
            "letter", "application__round__program", "application__organisation"
        ),
        pk=pk,
    )
    if not request.user.has_perm("grants.view_application", made.application) or made.letter is None:
        raise Http404
    number = made.application.case_number.replace(" ", "-").replace("/", "-")
    return file_download(made.letter.file, filename=f"beslut-begaran-om-avgorande-{number}.pdf")
