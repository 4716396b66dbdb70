"""Pages of follow-up reports and reclaims: thin, each calls one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants.forms import SECTIONS
from grants.models import Program, Round
from organizations.permissions import active_org_roles
from workflows.models import StoredDocument
from workflows.services import TransitionRefused, transitions_for
from workflows.shortcuts import get_permitted_or_404, paginate, show_refusal
from workflows.storage import file_download

from . import forms, selectors, services
from .models import FollowUpReport, Reclaim

R = FollowUpReport.State


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---- staff lists ----


@login_required
def index(request):
    """The caseworker's lists: upcoming, due, overdue, submitted … per program and round."""
    if not request.user.has_perm("grants.view_reports"):
        raise PermissionDenied
    list_name = request.GET.get("list", "")
    if list_name not in selectors.REPORT_LISTS:
        list_name = ""
    program_id, round_id = _int(request.GET.get("program")), _int(request.GET.get("round"))
    programs = list(
        Program.objects.filter(pk__in=selectors.programs_visible_to_staff(user=request.user)).order_by("name")
    )
    rounds = list(
        Round.objects.filter(program__in=programs).select_related("program").order_by("-year", "name")
    )
    reports = selectors.reports_for_staff(
        user=request.user, list_name=list_name, program_id=program_id, round_id=round_id
    )
    query = "&".join(
        f"{k}={v}" for k, v in (("list", list_name), ("program", program_id), ("round", round_id)) if v
    )
    return render(
        request,
        "reporting/index.html",
        {
            "page": paginate(request, reports),
            "counts": selectors.report_list_counts(
                user=request.user, program_id=program_id, round_id=round_id
            ),
            "lists": [
                (name, FollowUpReport.State(states[0]).label)
                for name, states in selectors.REPORT_LISTS.items()
            ],
            "list_name": list_name,
            "programs": programs,
            "rounds": rounds,
            "program_id": program_id,
            "round_id": round_id,
            "query_string": query,
            "today": timezone.localdate(),
        },
    )


@login_required
def statistics(request):
    if not request.user.has_perm("grants.view_reports"):
        raise PermissionDenied
    year = _int(request.GET.get("year")) or timezone.localdate().year - 1
    programs = list(
        Program.objects.filter(pk__in=selectors.programs_visible_to_staff(user=request.user)).order_by("name")
    )
    stats = selectors.program_year_statistics(program_ids=[p.pk for p in programs], year=year)
    rows = []
    for program in programs:
        row = stats[program.pk]
        due = row["on_time"] + row["late"] + row["missing"]
        rows.append(
            {
                "program": program,
                **row,
                "on_time_share": round(100 * row["on_time"] / due) if due else None,
                "late_share": round(100 * row["late"] / due) if due else None,
                "missing_share": round(100 * row["missing"] / due) if due else None,
            }
        )
    return render(request, "reporting/statistics.html", {"rows": rows, "year": year})


# ---- the applicant ----


@login_required
def my_reports(request):
    if not active_org_roles(request.user):
        raise PermissionDenied
    return render(
        request,
        "reporting/my_reports.html",
        {
            "page": paginate(request, selectors.reports_of_applicant(user=request.user)),
            "reclaims": list(selectors.reclaims_of_applicant(user=request.user)[:20]),
            "today": timezone.localdate(),
        },
    )


# ---- one report ----


def _report(request, pk) -> FollowUpReport:
    return get_permitted_or_404(selectors.report_detail_queryset(), "grants.view_report", request.user, pk=pk)


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    user = request.user
    is_grantee = user.has_perm("grants.act_for_report", report)
    can_handle = user.has_perm("grants.handle_report", report)
    options = [
        o for o in transitions_for(report, by=user) if o.permitted and o.name not in ("submit", "resubmit")
    ]
    for option in options:
        option.url = reverse("reporting:report_transition", kwargs={"pk": report.pk, "name": option.name})
    # one primary action; "do not approve" comes last, secondary, behind a step of its own
    primary = next((o for o in options if o.allowed and not o.custom.get("danger")), None)
    for option in options:
        option.primary = option is primary
    options.sort(key=lambda o: bool(o.custom.get("danger")))
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "program": report.program,
            "answers": selectors.report_answers_display(report=report),
            "commitments": selectors.report_commitments(report=report),
            "is_grantee": is_grantee,
            "can_edit": is_grantee and report.state in FollowUpReport.EDITABLE_STATES,
            "can_handle": can_handle,
            "options": options,
            "message_form": forms.MessageForm(),
            "notes_form": forms.NotesForm(initial={"notes": report.review_notes}),
            "commitment_form": forms.CommitmentForm(),
            "reclaims": list(
                report.reclaims.exclude(state=Reclaim.State.PROPOSED)
                if not can_handle
                else report.reclaims.all()
            ),
            "can_propose_reclaim": user.has_perm("grants.propose_reclaim", report),
            "missing": services.report_missing_answers(report)
            if report.state in FollowUpReport.EDITABLE_STATES
            else [],
            "decision": report.decision,
        },
    )


@login_required
def report_edit(request, pk):
    """The grantee fills in the report; "save" keeps it, "submit" also sends it."""
    report = _report(request, pk)
    if not request.user.has_perm("grants.act_for_report", report):
        raise PermissionDenied
    if report.state not in FollowUpReport.EDITABLE_STATES:
        messages.error(request, _("The report can no longer be changed."))
        return redirect("reporting:report_detail", pk=report.pk)
    form = forms.ReportForm(request.POST or None, request.FILES or None, report=report)
    if request.method == "POST" and form.is_valid():
        answers, achieved, uploads = form.parts()
        try:
            with transaction.atomic():
                services.report_save(
                    report=report, by=request.user, answers=answers, achieved=achieved, uploads=uploads
                )
                if "submit" in request.POST:
                    services.report_submit(report=report, by=request.user)
        except (ValidationError, TransitionRefused) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else exc.reasons:
                form.add_error(None, message)
        else:
            if "submit" in request.POST:
                messages.success(request, _("The report is submitted. The caseworker reviews it."))
                return redirect("reporting:report_detail", pk=report.pk)
            messages.success(request, _("Saved. Submit the report when it is complete."))
            return redirect("reporting:report_edit", pk=report.pk)
    return render(request, "reporting/report_edit.html", {"report": report, "form": form})


@login_required
@require_POST
def report_notes(request, pk):
    report = _report(request, pk)
    if not request.user.has_perm("grants.handle_report", report):
        raise PermissionDenied
    form = forms.NotesForm(request.POST)
    if form.is_valid():
        services.report_notes_save(report=report, by=request.user, notes=form.cleaned_data["notes"])
        messages.success(request, _("The notes are saved."))
    return redirect("reporting:report_detail", pk=report.pk)


@login_required
@require_POST
def report_commitment(request, pk):
    report = _report(request, pk)
    if not request.user.has_perm("grants.handle_report", report):
        raise PermissionDenied
    form = forms.CommitmentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("reporting:report_detail", pk=report.pk)
    try:
        services.report_commitment_add(report=report, by=request.user, **form.cleaned_data)
    except (TransitionRefused, ValidationError) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The commitment is added to the grant."))
    return redirect("reporting:report_detail", pk=report.pk)


@login_required
def report_file(request, pk, file_pk):
    report = _report(request, pk)
    attachment = get_object_or_404(report.files, pk=file_pk)
    return file_download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


# ---- reclaims ----


@login_required
def reclaim_propose(request, pk):
    report = _report(request, pk)
    if not request.user.has_perm("grants.propose_reclaim", report):
        raise PermissionDenied
    application = report.application
    form = forms.ReclaimForm(
        request.POST or None,
        initial={"amount": application.granted_amount, "grounds": _default_grounds(report)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reclaim = services.reclaim_propose(
                application=application, report=report, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The reclaim is proposed; put it on the agenda of the committee's next meeting."),
            )
            return redirect("reporting:reclaim_detail", pk=reclaim.pk)
    return render(request, "reporting/reclaim_propose.html", {"report": report, "form": form})


def _default_grounds(report) -> str:
    if report.state in (R.OVERDUE, R.NOT_APPROVED):
        return Reclaim.Grounds.REPORT_MISSING
    return ""


@login_required
def reclaims(request):
    if not request.user.has_perm("grants.view_reports"):
        raise PermissionDenied
    state = request.GET.get("state", "")
    if state not in Reclaim.State.values:
        state = ""
    return render(
        request,
        "reporting/reclaims.html",
        {
            "page": paginate(request, selectors.reclaims_for_staff(user=request.user, state=state)),
            "state": state,
            "states": Reclaim.State.choices,
            "query_string": f"state={state}" if state else "",
        },
    )


def _reclaim(request, pk) -> Reclaim:
    return get_permitted_or_404(
        selectors.reclaim_detail_queryset(), "grants.view_reclaim", request.user, pk=pk
    )


def _letter(reclaim):
    return (
        StoredDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Reclaim),
            object_id=reclaim.pk,
            kind=services.LETTER_KIND,
        )
        .order_by("-version")
        .first()
    )


@login_required
def reclaim_detail(request, pk):
    from grants.services import decision_state

    reclaim = _reclaim(request, pk)
    user = request.user
    can_handle = user.has_perm("grants.handle_reclaim", reclaim)
    if reclaim.state == Reclaim.State.PROPOSED and not user.has_perm("grants.view_reports"):
        raise Http404  # a proposal is internal until it is decided
    options = [o for o in transitions_for(reclaim, by=user) if o.permitted]
    for option in options:
        option.url = reverse("reporting:reclaim_transition", kwargs={"pk": reclaim.pk, "name": option.name})
    # one primary action; writing off comes last, secondary, behind a step of its own
    primary = next((o for o in options if o.allowed and not o.custom.get("danger")), None)
    for option in options:
        option.primary = option is primary
    options.sort(key=lambda o: bool(o.custom.get("danger")))
    return render(
        request,
        "reporting/reclaim_detail.html",
        {
            "reclaim": reclaim,
            "program": reclaim.program,
            "options": options,
            "can_handle": can_handle,
            "letter": _letter(reclaim),
            "paid_form": forms.PaidForm(initial={"paid_on": timezone.localdate()}),
            "decision_info": decision_state(reclaim.decision) if reclaim.decision_id else None,
        },
    )


@login_required
def reclaim_letter(request, pk):
    reclaim = _reclaim(request, pk)
    document = _letter(reclaim)
    if document is None:
        raise Http404
    return file_download(
        document.file,
        filename=f"aterkrav-{reclaim.case_number.replace(' ', '-').replace('/', '-')}.pdf",
        as_attachment=False,
    )


# ---- the program's reporting requirement ----


@login_required
def requirement(request, pk):
    program = get_permitted_or_404(Program, "grants.view_program", request.user, pk=pk)
    if not request.user.has_perm("grants.manage_reporting", program):
        raise PermissionDenied
    data = request.POST or None
    form = forms.RequirementForm(data, instance=services.requirement_of(program), prefix="requirement")
    fields = forms.ReportFieldFormSet(data, queryset=program.report_fields.all(), prefix="fields")
    commitments = forms.CommitmentTemplateFormSet(
        data, queryset=program.commitment_templates.all(), prefix="commitments"
    )
    if request.method == "POST" and form.is_valid() and fields.is_valid() and commitments.is_valid():
        with transaction.atomic():
            services.requirement_save(
                program=program, by=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields}
            )
            for formset in (fields, commitments):
                for instance in formset.save(commit=False):
                    instance.program = program
                    instance.save()
                for instance in formset.deleted_objects:
                    instance.delete()
        messages.success(request, _("Saved. Reports already created keep the form they were created with."))
        return redirect("reporting:requirement", pk=program.pk)
    return render(
        request,
        "reporting/requirement.html",
        {
            "program": program,
            "form": form,
            "fields_formset": fields,
            "commitments_formset": commitments,
            "sections": SECTIONS,
            "section": "reporting",
        },
    )
