"""Pages of grants: thin edges that parse input, call one service or selector and render."""

from __future__ import annotations

import copy
import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task

from correspondence.selectors import unread_cases, unread_total
from organizations.models import Committee, Organisation
from payments.forms import PaidForm
from workflows import registry
from workflows.services import TransitionRefused, transitions_for
from workflows.shortcuts import get_permitted_or_404, paginate, query_without_page, show_refusal
from workflows.storage import file_download

from . import forms, services
from .fl_selectors import (
    INBOX_LIMIT,
    application_fl,
    applications_at_risk,
    at_risk_rows,
    decision_requests_open,
)
from .graph import state_graph
from .models import Application, ApplicationAttachment, FormField, Program, Round
from .selectors import (
    application_answers_display,
    application_decision,
    application_eligibility,
    application_letters,
    application_payments,
    application_timeline,
    applications_for_round,
    applications_of_applicant,
    attach_applications,
    caseworkers_for,
    inbox_tasks,
    program_detail_queryset,
    programs_list,
    programs_visible,
    round_overview,
    rounds_open_for_applicant,
)

S = Application.State


def _application(request, pk, perm="grants.view_application"):
    """The application with its round, program, municipality, committee and organisation: what
    every page of an application reads, in one query."""
    queryset = Application.objects.select_related(
        "round__program__municipality", "round__program__committee", "organisation"
    )
    return get_permitted_or_404(queryset, perm, request.user, pk=pk)


# ---- rounds and programs ----


@login_required
def rounds(request):
    """Open rounds for the applicant's organisations, each with a pre-check of eligibility."""
    return render(
        request,
        "grants/rounds.html",
        {
            "rounds": rounds_open_for_applicant(user=request.user),
            "programs": programs_list(user=request.user),
        },
    )


@login_required
def programs(request):
    return render(
        request,
        "grants/programs.html",
        {
            "programs": programs_list(user=request.user),
            "can_create": request.user.has_perm("grants.create_program"),
        },
    )


@login_required
def program_detail(request, pk):
    program = get_permitted_or_404(program_detail_queryset(), "grants.view_program", request.user, pk=pk)
    from .models import budget_free

    budgets = [{"budget": b, "money": budget_free(b)} for b in program.budgets.all()]
    return render(
        request,
        "grants/program_detail.html",
        {
            "program": program,
            "budgets": budgets,
            "graph": state_graph(),
            "can_manage": request.user.has_perm("grants.manage_program", program),
            "is_staff_of": request.user.has_perm("grants.view_round_applications", program),
            "sections": forms.SECTIONS,
        },
    )


def _committees(user):
    from organizations.permissions import staff_municipality_ids

    from .permissions import PROGRAM_ADMIN

    return Committee.objects.filter(municipality_id__in=staff_municipality_ids(user, (PROGRAM_ADMIN,)))


@login_required
def program_edit(request, pk=None):
    if pk is None:
        if not request.user.has_perm("grants.create_program"):
            raise PermissionDenied
        program = Program()
    else:
        program = get_permitted_or_404(Program, "grants.view_program", request.user, pk=pk)
        if not request.user.has_perm("grants.manage_program", program):
            raise PermissionDenied
    form = forms.ProgramForm(request.POST or None, instance=program, committees=_committees(request.user))
    if request.method == "POST" and form.is_valid():
        program = form.save(commit=False)
        program.municipality_id = program.committee.municipality_id
        try:
            services.program_save(program=program, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The program is saved."))
            return redirect("grants:program_detail", pk=program.pk)
    return render(request, "grants/program_edit.html", {"form": form, "program": program})


@login_required
def program_section(request, pk, section):
    if section not in forms.SECTIONS:
        raise Http404
    program = get_permitted_or_404(Program, "grants.view_program", request.user, pk=pk)
    if not request.user.has_perm("grants.manage_program", program):
        raise PermissionDenied
    model, _fields, label = forms.SECTIONS[section]
    FormSet = forms.section_formset(section)
    if section == "commitments":
        queryset = model.objects.filter(budget__program=program)
    else:
        queryset = model.objects.filter(program=program)
    formset = FormSet(request.POST or None, queryset=queryset, prefix=section)
    if section == "commitments":
        for form in formset.forms:
            form.fields["budget"].queryset = program.budgets.all()
    if request.method == "POST" and formset.is_valid():
        saved = formset.save(commit=False)
        services.program_settings_save(
            program=program, saved=saved, deleted=list(formset.deleted_objects), by=request.user
        )
        messages.success(request, _("Saved. Rounds that have opened keep the settings they opened with."))
        return redirect("grants:program_section", pk=program.pk, section=section)
    return render(
        request,
        "grants/program_section.html",
        {
            "program": program,
            "formset": formset,
            "label": label,
            "section": section,
            "sections": forms.SECTIONS,
        },
    )


# ---- the applicant ----


@login_required
@require_POST
def apply(request, pk):
    round = get_object_or_404(Round.objects.select_related("program"), pk=pk)
    if not request.user.has_perm("grants.view_program", round.program):
        raise Http404
    organisation = Organisation.objects.filter(pk=request.POST.get("organisation") or 0).first()
    if organisation is None or not request.user.has_perm("grants.apply", organisation):
        raise PermissionDenied(_("You can only apply for an organisation you act for."))
    try:
        application = services.application_start(round=round, organisation=organisation, by=request.user)
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect("grants:rounds")
    return redirect("grants:application_edit", pk=application.pk)


@login_required
def my_applications(request):
    page = paginate(request, applications_of_applicant(user=request.user))
    return render(
        request, "grants/my_applications.html", {"page": page, "query_string": query_without_page(request)}
    )


@login_required
def application_edit(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("grants.act_for_application", application):
        raise PermissionDenied
    if application.state != S.DRAFT:
        if "submit" in request.POST:  # sent again (a retry, a second click): it went in the first time
            messages.info(request, _("The application has already been submitted."))
        return redirect("grants:application_detail", pk=application.pk)
    # A form sent is checked by the service: the pre-check and the attachments' state are read
    # only for the page (a submission reads them once, under the row lock).
    form = forms.ApplicationForm(
        request.POST or None,
        request.FILES or None,
        application=application,
        attachments=_attachment_choices(application),
        outstanding="confirm_outstanding" in request.POST,
    )
    if request.method == "POST":
        if form.is_valid():
            done = _application_post(request, application, form)
            if done is not None:
                return done
        elif "submit" in request.POST:
            _submission_problems_too(application, form)
    eligibility = application_eligibility(application=application)
    outstanding = services.outstanding(eligibility)
    if outstanding:
        form.offer_confirmation()
    rows = _attachment_rows(application)
    form.attachment_status(_attachment_status(rows))
    return render(
        request,
        "grants/application_edit.html",
        {
            "application": application,
            "form": form,
            "files": application.files.select_related("register_document"),
            "attachments": rows,
            "eligibility": eligibility,
            "outstanding": outstanding,
            "late": services.lateness(application.round),
        },
    )


def _application_post(request, application, form):
    """Attach the files sent, save the draft, and submit it when asked; a redirect when done, or
    ``None`` with the errors on the form (each next to its field)."""

    def show(where: str, message: str) -> None:
        if where == "confirm_outstanding":
            form.offer_confirmation()
        if where == "attachments":
            form.attachment_errors.append(message)
        else:
            form.add_error(form.field_for(where), message)

    for key, upload in form.files_sent().items():
        try:
            services.application_attach(application=application, by=request.user, key=key, upload=upload)
        except ValidationError as exc:
            for message in exc.messages:
                show(key, message)
    changes = {
        "title": form.cleaned_data["title"],
        "requested_amount": form.cleaned_data.get("requested_amount"),
        "answers": form.answers(),
        "democracy_declaration": form.cleaned_data.get("democracy_declaration"),
    }
    submit = "submit" in request.POST and not form.errors
    try:
        if submit:
            # one transaction; a refused submission leaves the draft saved
            application = services.application_save_and_submit(
                application=application,
                by=request.user,
                confirmed=bool(form.cleaned_data.get("confirm_outstanding")),
                **changes,
            )
        else:
            application = services.application_save(application=application, by=request.user, **changes)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for where, messages_ in exc.message_dict.items():
                for message in messages_:
                    show(where, message)
        else:
            for message in exc.messages:
                show("", message)
        return None
    except services.SubmissionRefused as exc:
        for where, messages_ in exc.errors.items():
            for message in messages_:
                show(where, message)
        return None
    except TransitionRefused as exc:
        for reason in exc.reasons:
            show("", reason)
        return None
    if form.errors:
        return None
    if not submit:
        messages.success(request, _("The draft is saved. You can come back and continue later."))
        return redirect("grants:application_edit", pk=application.pk)
    messages.success(
        request,
        _("The application is submitted with case number %(number)s. A receipt is on its way.")
        % {"number": application.case_number},
    )
    return redirect("grants:application_detail", pk=application.pk)


def _submission_problems_too(application, form) -> None:
    """A form with errors of its own also shows what the submission would refuse, all at once:
    the rules checked on the draft with the values that were valid."""
    preview = copy.copy(application)
    data = form.cleaned_data
    for name in ("title", "requested_amount", "democracy_declaration"):
        if name in data and data[name] is not None:
            setattr(preview, name, data[name])
    preview.answers = {
        **application.answers,
        **{key: data[name] for name, key in form.field_keys.items() if data.get(name) not in (None, "")},
    }
    problems = services.submission_problems(preview, confirmed=bool(data.get("confirm_outstanding")))
    for where, messages_ in problems.items():
        name = form.field_for(where)
        if name in form.errors:
            continue
        for message in messages_:
            if where == "attachments":
                form.attachment_errors.append(message)
            else:
                if where == "confirm_outstanding":
                    form.offer_confirmation()
                    name = "confirm_outstanding"
                form.add_error(name, message)


def _attachment_choices(application):
    """The files the form takes: (key, label), the required ones marked with *."""
    required = {a["key"]: a["required"] for a in application.snapshot.get("attachments", [])}
    required.update(
        {
            f["key"]: f["required"]
            for f in application.snapshot.get("fields", [])
            if f["kind"] == FormField.Kind.FILE
        }
    )
    return [
        (key, f"{label} *" if required.get(key) else label)
        for key, label in services.attachment_keys(application).items()
    ]


def _attachment_status(rows) -> dict[str, str]:
    """What the application has now for each attachment, said under its file field."""
    status = {}
    for row in rows:
        if row["uploaded"]:
            status[row["item"]["key"]] = _("Added: %(name)s.") % {"name": row["uploaded"].original_name}
        elif row["register"]:
            status[row["item"]["key"]] = _(
                "Taken from the organisation register (%(year)s); add a file only to send another."
            ) % {"year": row["register"].year}
    return status


def _attachment_rows(application):
    register = services._current_register_documents(application.organisation)
    uploaded = {}
    for f in application.files.all():
        uploaded.setdefault(f.key, f)
    rows = []
    for item in application.snapshot.get("attachments", []):
        rows.append(
            {
                "item": item,
                "uploaded": uploaded.get(item["key"]),
                "register": register.get(item["doc_type"]) if item["doc_type"] else None,
            }
        )
    return rows


@login_required
@require_POST
def attachment_upload(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("grants.act_for_application", application):
        raise PermissionDenied
    form = forms.AttachmentForm(request.POST, request.FILES, keys=services.attachment_keys(application))
    if form.is_valid():
        try:
            services.application_attach(
                application=application,
                by=request.user,
                key=form.cleaned_data["key"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The file is added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    target = "grants:application_edit" if application.state == S.DRAFT else "grants:application_detail"
    return redirect(target, pk=application.pk)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(
        ApplicationAttachment.objects.select_related(
            "application__round__program", "application__organisation", "register_document"
        ),
        pk=pk,
    )
    if not request.user.has_perm("grants.view_application", attachment.application):
        raise Http404
    source = attachment.register_document.file if attachment.register_document_id else attachment.file
    return file_download(source, filename=attachment.original_name, content_type=attachment.content_type)


@login_required
def application_pdf(request, pk):
    application = _application(request, pk)
    if not application.case_number:
        raise Http404
    document = services.application_document(application=application, by=request.user)
    return file_download(
        document.file, filename=f"ansokan-{application.case_number.replace(' ', '-').replace('/', '-')}.pdf"
    )


@login_required
def application_detail(request, pk):
    application = _application(request, pk)
    user = request.user
    options = transitions_for(application, by=user)
    for option in options:
        option.url = reverse(
            "grants:application_transition", kwargs={"pk": application.pk, "name": option.name}
        )
    can_handle = user.has_perm("grants.handle_application", application)
    eligibility = application_eligibility(application=application)
    tasks = []
    if can_handle:
        tasks = list(
            Task.objects.filter(
                process__artifact_object_id=application.pk,
                process__artifact_content_type__model="application",
                process__artifact_content_type__app_label="grants",
                flow_task_type="HUMAN",
                status__in=["NEW", "ASSIGNED", "STARTED"],
            ).select_related("owner")
        )
    decision = application_decision(application=application)
    payments = application_payments(application=application)
    for payment in payments:
        payment.options = [o for o in transitions_for(payment, by=user) if o.permitted and o.allowed]
    organisation = application.organisation
    options = [o for o in options if o.permitted]
    # one primary action: the first the person can take that undoes nothing; destructive ones
    # (dismiss, withdraw) come last, secondary, through a page that asks to confirm
    primary = next((o for o in options if o.allowed and not o.custom.get("danger")), None)
    for option in options:
        option.primary = option is primary
        if option.custom.get("danger"):
            option.url = reverse(
                "grants:application_confirm", kwargs={"pk": application.pk, "name": option.name}
            )
    options.sort(key=lambda o: bool(o.custom.get("danger")))
    screening = can_handle and application.state in (S.SUBMITTED, S.COMPLETION_REQUESTED)
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "decision": decision,
            "letters": application_letters(application=application),
            "payments": payments,
            "no_account": application.state in Application.GRANTED_STATES
            and not payments
            and not (organisation.account_type and organisation.account_number),
            "can_decide_by_delegation": can_handle
            and application.state == S.PROPOSED
            and application.round.program.delegation_limit is not None,
            "can_make_letters": decision is not None
            and decision["meeting"] is not None
            and user.has_perm("meetings.manage_meeting", decision["meeting"]),
            "paid_form": PaidForm(initial={"paid_on": timezone.localdate()}),
            "answers": application_answers_display(application=application),
            "files": application.files.select_related("register_document").order_by("key", "pk"),
            "timeline": application_timeline(application=application, staff=can_handle),
            "fl": application_fl(application=application, user=user),
            "options": options,
            "has_primary": primary is not None,
            "screening": screening,
            "dismissal_letter": services.dismissal_letter(application)
            if application.state == S.DISMISSED
            else None,
            "can_handle": can_handle,
            "can_handle_candidate": user.has_perm("grants.handle_award_candidate", application.round),
            "can_act": user.has_perm("grants.act_for_application", application),
            "eligibility": eligibility,
            "failing_rules": [r for r in eligibility if not r.ok],
            "blocking_rules": [r for r in eligibility if not r.passes],
            "completion_requests": application.completion_requests.select_related("requested_by"),
            "assessments": application.assessments.select_related("assessor"),
            "tasks": tasks,
            "reason_form": forms.ReasonForm(),
            "completion_form": registry.lookup(Application, "request_completion").form(),
            "answer_form": forms.AnswerForm(),
            "proposal_form": forms.ProposalForm(
                initial={"amount": application.proposed_amount or application.amount_after_deduction}
            ),
            "override_form": forms.OverrideForm(rules=[r for r in eligibility if not r.ok]),
            "conflict_form": forms.ConflictForm(),
            "upload_form": forms.AttachmentForm(keys=services.attachment_keys(application)),
            "assign_form": forms.AssignForm(users=caseworkers_for(application=application))
            if can_handle
            else None,
        },
    )


#: what the confirmation page of a destructive step says, per transition
CONFIRMATIONS = {
    "dismiss": {
        "title": gettext_lazy("Dismiss the application %(number)s?"),
        "text": gettext_lazy(
            "A dismissed application is not tried on its merits and the case is closed. The "
            "organisation gets a decision letter with your reasons and how to appeal."
        ),
        "field": "reason",
        "label": gettext_lazy("Why the application is dismissed"),
        "help": gettext_lazy("This is the reason in the decision letter: name the rule or the deadline."),
        "button": gettext_lazy("Dismiss the application"),
    },
    "withdraw": {
        "title": gettext_lazy("Withdraw the application %(number)s?"),
        "text": gettext_lazy(
            "A withdrawn application is not handled any further and cannot be taken back. You "
            "can apply again while the round is open."
        ),
        "field": "reason",
        "label": gettext_lazy("Why you withdraw it (optional)"),
        "help": "",
        "button": gettext_lazy("Withdraw the application"),
    },
}


@login_required
def application_confirm(request, pk, name):
    """Confirm a step that cannot be undone (dismiss, withdraw): a page, so it works without JavaScript."""
    application = _application(request, pk)
    confirmation = CONFIRMATIONS.get(name)
    if confirmation is None:
        raise Http404
    option = next((o for o in transitions_for(application, by=request.user) if o.name == name), None)
    if option is None or not option.permitted:
        raise PermissionDenied
    error = ""
    value = ""
    if request.method == "POST":
        value = request.POST.get(confirmation["field"], "")
        step = registry.lookup(Application, name)
        form = step.bind(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(registry.errors(form))
            step.run(application, request.user, form.cleaned_data)
        except TransitionRefused as exc:
            error = " ".join(str(r) for r in exc.reasons)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            application.refresh_from_db()
            messages.success(
                request,
                _("Done: the application is now “%(state)s”.") % {"state": application.get_state_display()},
            )
            return redirect("grants:application_detail", pk=application.pk)
    return render(
        request,
        "grants/application_confirm.html",
        {
            "application": application,
            "option": option,
            "confirmation": confirmation,
            "title": confirmation["title"] % {"number": application.case_number or application.title},
            "error": error,
            "value": value,
        },
    )


@login_required
def dismissal_letter_download(request, pk):
    application = _application(request, pk)
    document = services.dismissal_letter(application) if application.state == S.DISMISSED else None
    if document is None:
        raise Http404
    number = application.case_number.replace(" ", "-").replace("/", "-")
    return file_download(document.file, filename=f"avvisningsbeslut-{number}.pdf")


# ---- the caseworker ----


@login_required
@require_POST
def eligibility_recheck(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("grants.handle_application", application):
        raise PermissionDenied
    try:
        results = services.eligibility_recheck(application=application, by=request.user)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        if all(r.passes for r in results):
            messages.success(request, _("The rules are checked again now: every rule is met."))
        else:
            messages.warning(
                request, _("The rules are checked again now: some are still not met. See why below.")
            )
    return redirect("grants:application_detail", pk=application.pk)


@login_required
@require_POST
def eligibility_override(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("grants.handle_application", application):
        raise PermissionDenied
    form = forms.OverrideForm(request.POST, rules=application_eligibility(application=application))
    if form.is_valid():
        try:
            services.eligibility_override(
                application=application,
                by=request.user,
                rule=form.cleaned_data["rule"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The rule is set aside; the reason is recorded."))
    else:
        messages.error(request, _("Choose the rule and write why it is set aside."))
    return redirect("grants:application_detail", pk=application.pk)


@login_required
@require_POST
def conflict_declare(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("grants.handle_application", application):
        raise PermissionDenied
    form = forms.ConflictForm(request.POST)
    if form.is_valid():
        services.conflict_declare(
            organisation=application.organisation, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Your conflict of interest is recorded; your assessment does not count."))
    else:
        messages.error(request, _("Write what the conflict of interest is."))
    return redirect("grants:application_detail", pk=application.pk)


@login_required
def assess(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("grants.handle_application", application):
        raise PermissionDenied
    assessment = application.assessments.filter(assessor=request.user).first()
    criteria = application.snapshot.get("criteria", [])
    form = forms.AssessmentForm(request.POST or None, criteria=criteria, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(
                application=application,
                by=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                complete=form.cleaned_data["complete"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your assessment is saved."))
            return redirect("grants:application_detail", pk=application.pk)
    return render(
        request,
        "grants/assess.html",
        {
            "application": application,
            "form": form,
            "answers": application_answers_display(application=application),
            "conflicted": application.organisation.conflicts.filter(user=request.user).exists(),
        },
    )


@login_required
def inbox(request):
    if not request.user.has_perm("grants.use_inbox"):
        raise PermissionDenied
    # an award's own applications are handled as candidates, on the award's pages
    programs = programs_visible(user=request.user).exclude(kind=Program.Kind.AWARD).order_by("name")
    form = forms.InboxFilterForm(request.GET or None, programs=programs)
    data = form.cleaned_data if form.is_valid() else {}
    tasks = inbox_tasks(
        user=request.user,
        program_id=data.get("program").pk if data.get("program") else None,
        round_id=data.get("round").pk if data.get("round") else None,
        state=data.get("state", ""),
        mine=data.get("mine", False),
    )
    page = paginate(request, tasks)
    program_id = data.get("program").pk if data.get("program") else None
    round_id = data.get("round").pk if data.get("round") else None
    at_risk = applications_at_risk(user=request.user, program_id=program_id, round_id=round_id)
    requests = decision_requests_open(user=request.user, program_id=program_id, round_id=round_id)
    today = timezone.localdate()
    unread = unread_cases(user=request.user)
    return render(
        request,
        "grants/inbox.html",
        {
            "at_risk": at_risk_rows(at_risk[:INBOX_LIMIT], today=today),
            "at_risk_count": at_risk.count(),
            "decision_requests": [
                {"request": r, "days": (r.due - today).days, "overdue": (today - r.due).days}
                for r in requests[:INBOX_LIMIT]
            ],
            "decision_requests_count": requests.count(),
            "inbox_limit": INBOX_LIMIT,
            "form": form,
            "page": page,
            "rows": attach_applications(page.object_list),
            "query_string": query_without_page(request),
            "today": timezone.localdate(),
            "unread": unread,
            "unread_total": unread_total(unread),
        },
    )


def _task(request, pk):
    task = get_object_or_404(Task.objects.select_related("process", "owner"), pk=pk, flow_task_type="HUMAN")
    application = (
        Application.objects.filter(pk=task.process.artifact_object_id)
        .select_related("round__program")
        .first()
    )
    if application is None or not request.user.has_perm("grants.view_application", application):
        raise Http404
    if not request.user.has_perm("grants.handle_application", application):
        raise PermissionDenied
    return task, application


@login_required
@require_POST
def task_claim(request, pk):
    task, application = _task(request, pk)
    try:
        services.task_claim(task=task, by=request.user)
    except TransitionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("The task is yours."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("grants:inbox")
    return redirect(back)


@login_required
@require_POST
def task_assign(request, pk):
    task, application = _task(request, pk)
    form = forms.AssignForm(request.POST, users=caseworkers_for(application=application))
    if form.is_valid():
        try:
            services.task_assign(task=task, by=request.user, to=form.cleaned_data["to"])
        except (TransitionRefused, ValidationError) as exc:
            show_refusal(request, exc)
        else:
            messages.success(
                request, _("The task is assigned to %(name)s.") % {"name": form.cleaned_data["to"].full_name}
            )
    else:
        messages.error(request, _("Choose a caseworker."))
    return redirect("grants:application_detail", pk=application.pk)


def _round(request, pk):
    round = get_object_or_404(Round.objects.select_related("program__municipality"), pk=pk)
    if not request.user.has_perm("grants.view_round_applications", round):
        raise Http404 if not request.user.has_perm("grants.view_program", round.program) else PermissionDenied
    return round


@login_required
def round_applications(request, pk):
    round = _round(request, pk)
    form = forms.RoundFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    applications = applications_for_round(
        round=round,
        user=request.user,
        query=data.get("q", ""),
        state=data.get("state", ""),
        sort=data.get("sort", ""),
    )
    page = paginate(request, applications)
    return render(
        request,
        "grants/round_applications.html",
        {
            "round": round,
            "form": form,
            "page": page,
            "overview": round_overview(round=round),
            "query_string": query_without_page(request),
            "export_query": request.GET.urlencode(),
        },
    )


EXPORT_COLUMNS = [
    ("case_number", "Diarienummer"),
    ("organisation", "Organisation"),
    ("org_number", "Organisationsnummer"),
    ("title", "Titel"),
    ("state", "Status"),
    ("requested_amount", "Sökt belopp"),
    ("late_deduction_percent", "Avdrag för sen ansökan (%)"),
    ("score", "Viktad poäng"),
    ("proposed_amount", "Föreslaget belopp"),
    ("submitted_at", "Inkommen"),
]


def _export_rows(applications):
    for a in applications.iterator(chunk_size=500):
        yield [
            a.case_number,
            a.organisation.name,
            a.organisation.org_number_display,
            a.title,
            a.get_state_display(),
            a.requested_amount,
            a.late_deduction_percent,
            a.score,
            a.proposed_amount,
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else "",
        ]


@login_required
def round_export(request, pk, fmt):
    round = _round(request, pk)
    form = forms.RoundFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    applications = applications_for_round(
        round=round,
        user=request.user,
        query=data.get("q", ""),
        state=data.get("state", ""),
        sort=data.get("sort", ""),
    )
    filename = f"ansokningar-omgang-{round.pk}"
    header = [label for _key, label in EXPORT_COLUMNS]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        for row in _export_rows(applications):
            writer.writerow(["" if v is None else _csv_safe(v) for v in row])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Ansökningar")
        sheet.append(header)
        for row in _export_rows(applications):
            sheet.append([_xlsx_value(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise Http404


def _csv_safe(value):
    text = str(value)
    # a cell starting with = + - @ would be a formula in a spreadsheet
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _xlsx_value(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
