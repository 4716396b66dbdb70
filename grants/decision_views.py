"""Pages after the decision: delegated decisions, decision letters, letter templates.

Thin edges like ``grants.views``: find what the user may see (404 otherwise), refuse what they
may not do (403), call one service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.agenda import BudgetExceeded
from meetings.models import Meeting
from meetings.services import DecisionData
from workflows.services import TransitionRefused
from workflows.shortcuts import get_permitted_or_404, show_refusal
from workflows.storage import file_download

from . import forms, services
from .letters import PLACEHOLDERS, example_values, letter_text, template_for
from .models import Application, DecisionLetter, LetterJob, LetterTemplate, Program
from .selectors import meeting_letter_rows
from .views import _application


def _must(request, perm, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


# ---- a delegated decision ----


@login_required
def application_decide(request, pk):
    """A caseworker holding the grant delegation decides a proposed application below the limits."""
    application = _application(request, pk)
    _must(request, "grants.handle_application", application)
    if application.state != Application.State.PROPOSED:
        raise PermissionDenied
    initial = {
        "outcome": "granted" if application.proposed_amount else "rejected",
        "amount": application.proposed_amount or None,
        "reasons": application.proposal_motivation,
    }
    form = forms.DelegatedDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grant = data["outcome"] != "rejected"
        try:
            services.application_decide_by_delegation(
                application=application,
                data=DecisionData(
                    outcome=data["outcome"],
                    amount=data["amount"] if grant else None,
                    conditions=data["conditions"] if grant else "",
                    period_start=data["period_start"] if grant else None,
                    period_end=data["period_end"] if grant else None,
                    report_due=data["report_due"] if grant else None,
                    reasons=data["reasons"],
                ),
                by=request.user,
            )
        except (ValidationError, TransitionRefused, BudgetExceeded) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The decision is recorded and will be reported to the committee's next meeting."),
            )
            return redirect("grants:application_detail", pk=application.pk)
    return render(
        request,
        "grants/application_decide.html",
        {"application": application, "form": form, "program": application.round.program},
    )


# ---- decision letters ----


def _meeting(request, pk) -> Meeting:
    return get_permitted_or_404(
        Meeting.objects.select_related("committee__municipality"),
        "meetings.view_meeting",
        request.user,
        pk=pk,
    )


@login_required
def meeting_letters(request, pk):
    """The meeting's decision letters and the progress of the job that makes them (polled by htmx)."""
    meeting = _meeting(request, pk)
    job = LetterJob.objects.filter(meeting=meeting).order_by("-created_at", "-pk").first()
    context = {
        "meeting": meeting,
        "job": job,
        # made when the minutes are posted: the button is for letters still missing (a failed run)
        "can_start": request.user.has_perm("meetings.manage_meeting", meeting)
        and meeting.posted_on is not None
        and (job is None or job.finished)
        and services.letters_ready_count(meeting) < services.meeting_grant_items(meeting).count(),
        "posted": meeting.posted_on is not None,
    }
    if request.htmx:
        return render(request, "grants/_letter_progress.html", context)
    context["rows"] = meeting_letter_rows(meeting=meeting)
    return render(request, "grants/meeting_letters.html", context)


@login_required
@require_POST
def meeting_letters_start(request, pk):
    meeting = _meeting(request, pk)
    _must(request, "meetings.manage_meeting", meeting)
    try:
        services.letter_job_start(meeting=meeting, by=request.user)
    except TransitionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The decision letters are being made. Follow the progress below."))
    return redirect("grants:meeting_letters", pk=meeting.pk)


@login_required
def letter_download(request, pk):
    letter = get_permitted_or_404(
        DecisionLetter.objects.select_related(
            "application__round__program", "application__organisation", "document"
        ),
        "grants.view_letter",
        request.user,
        pk=pk,
    )
    return _pdf_response(letter)


def _pdf_response(letter: DecisionLetter):
    number = letter.application.case_number.replace(" ", "-").replace("/", "-")
    return file_download(
        letter.document.file, filename=f"beslutsbrev-{number}-v{letter.document.version}.pdf"
    )


# ---- letter templates ----


def _program(request, pk) -> Program:
    program = get_permitted_or_404(
        Program.objects.select_related("municipality", "committee"),
        "grants.view_program",
        request.user,
        pk=pk,
    )
    _must(request, "grants.manage_letter_templates", program)
    return program


def _outcome(outcome: str) -> str:
    if outcome not in LetterTemplate.Outcome.values:
        raise Http404
    return outcome


@login_required
def letter_templates(request, pk):
    program = _program(request, pk)
    saved = {t.outcome: t for t in program.letter_templates.select_related("updated_by")}
    rows = [
        {"outcome": value, "label": label, "template": saved.get(value) or template_for(program, value)}
        for value, label in LetterTemplate.Outcome.choices
    ]
    return render(request, "grants/letter_templates.html", {"program": program, "rows": rows})


@login_required
def letter_template_edit(request, pk, outcome):
    program = _program(request, pk)
    outcome = _outcome(outcome)
    template = template_for(program, outcome)
    form = forms.LetterTemplateForm(
        request.POST or None, initial={"subject": template.subject, "body": template.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_template_save(
                program=program,
                outcome=outcome,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The letter text is saved. New letters use it."))
            return redirect("grants:letter_template_preview", pk=program.pk, outcome=outcome)
    return render(
        request,
        "grants/letter_template_edit.html",
        {
            "program": program,
            "outcome": outcome,
            "label": LetterTemplate.Outcome(outcome).label,
            "form": form,
            "placeholders": PLACEHOLDERS,
        },
    )


@login_required
def letter_template_preview(request, pk, outcome):
    program = _program(request, pk)
    outcome = _outcome(outcome)
    text = letter_text(template_for(program, outcome), example_values(program))
    return render(
        request,
        "grants/letter_template_preview.html",
        {
            "program": program,
            "outcome": outcome,
            "label": LetterTemplate.Outcome(outcome).label,
            "text": text,
            "values": example_values(program),
        },
    )
