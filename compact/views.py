"""Pages of the compact: public, joining and leaving, and its management.  Each view parses input,
calls one service or selector, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.models import Municipality, Organisation
from organizations.permissions import active_org_roles
from workflows.services import TransitionRefused
from workflows.storage import file_download

from . import forms, services
from .models import Commitment, Compact, CompactSignatory
from .selectors import compact_for_public


def _refused(request, exc):
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc))


def _compact(slug) -> Compact:
    municipality = get_object_or_404(Municipality, slug=slug)
    compact = compact_for_public(municipality=municipality)
    if compact is None or compact.state == Compact.State.DRAFT:
        raise Http404
    return compact


def _joinable(user, compact) -> dict:
    """The user's organisations they may sign for: which have joined, which have not."""
    roles = active_org_roles(user)
    organisations = Organisation.objects.filter(
        pk__in=[pk for pk, kind in roles.items() if kind == "signatory"]
    )
    joined = set(
        CompactSignatory.objects.filter(
            compact=compact, left_on=None, organisation__in=organisations
        ).values_list("organisation_id", flat=True)
    )
    return {
        "can_join": organisations.exclude(pk__in=joined),
        "can_leave": organisations.filter(pk__in=joined),
    }


def compact_public(request, slug):
    """Public: the compact, its principles and who has joined it.  No sign-in needed."""
    compact = _compact(slug)
    context = {
        "compact": compact,
        "principles": sorted(compact.principles.all(), key=lambda p: p.order),
        "signatories": compact.current_signatories,
        "can_manage": request.user.is_authenticated
        and request.user.has_perm("compact.manage_compact", compact),
    }
    if request.user.is_authenticated and compact.state == Compact.State.IN_FORCE:
        joinable = _joinable(request.user, compact)
        if joinable["can_join"].exists():
            context["join_form"] = forms.JoinCompactForm(organisations=joinable["can_join"], prefix="join")
        if joinable["can_leave"].exists():
            context["leave_form"] = forms.JoinCompactForm(organisations=joinable["can_leave"], prefix="leave")
    return render(request, "compact/public.html", context)


@login_required
@require_POST
def compact_membership(request, slug, action):
    compact = _compact(slug)
    if action not in ("join", "leave"):
        raise Http404
    organisation = get_object_or_404(Organisation, pk=request.POST.get(f"{action}-organisation") or 0)
    if not request.user.has_perm("compact.sign_compact_for", organisation):
        raise PermissionDenied
    try:
        if action == "join":
            services.compact_join(compact=compact, organisation=organisation, by=request.user)
            messages.success(request, _("%(org)s has joined the compact.") % {"org": organisation.name})
        else:
            services.compact_leave(compact=compact, organisation=organisation, by=request.user)
            messages.success(request, _("%(org)s has left the compact.") % {"org": organisation.name})
    except (TransitionRefused, ValidationError) as exc:
        _refused(request, exc)
    return redirect("compact:compact", slug=slug)


@login_required
def compact_manage(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    compact = Compact.objects.select_related("municipality").filter(municipality=municipality).first()
    if not request.user.has_perm("compact.manage_compact", compact or Compact(municipality=municipality)):
        raise Http404
    if compact is None:
        # No compact yet: the staff who may write one start from the empty form.
        return redirect("compact:compact_edit", slug=slug)
    post = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if post else None
    bound = {
        "adopt": forms.AdoptForm(
            post if which == "adopt" else None, prefix="adopt", initial={"term_years": compact.term_years}
        ),
        "renewal": forms.RenewalDecisionForm(post if which == "renewal" else None, prefix="renewal"),
        "commitment": forms.CommitmentForm(post if which == "commitment" else None, prefix="commitment"),
        "conference": forms.ConferenceForm(post if which == "conference" else None, prefix="conference"),
    }
    if post:
        form = bound.get(which)
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "adopt":
                    services.compact_adopt(compact=compact, by=request.user, **data)
                elif which == "renewal":
                    services.compact_record_renewal_decision(compact=compact, by=request.user, **data)
                elif which == "commitment":
                    services.commitment_add(compact=compact, by=request.user, **data)
                else:
                    services.conference_record(compact=compact, by=request.user, **data)
            except (TransitionRefused, ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("compact:compact_manage", slug=slug)
    return render(
        request,
        "compact/manage.html",
        {
            "compact": compact,
            "forms": bound,
            "commitments": compact.commitments.all(),
            "status_form": forms.CommitmentStatusForm,
            "conferences": compact.conferences.select_related("recorded_by"),
            "signatories": compact.signatories.select_related("organisation").order_by("-joined_on"),
            "evaluations": compact.evaluations.select_related("recorded_by"),
            "evaluation": compact.current_evaluation(),
            "can_decide": request.user.has_perm("compact.decide_compact", compact),
        },
    )


@login_required
def compact_edit(request, slug):
    """Write the municipality's compact, or change it while it is a draft; adopted, it is read-only."""
    municipality = get_object_or_404(Municipality, slug=slug)
    compact = Compact.objects.filter(municipality=municipality).first()
    if not request.user.has_perm("compact.manage_compact", compact or Compact(municipality=municipality)):
        raise Http404
    if compact is not None and compact.state != Compact.State.DRAFT:
        messages.info(
            request, _("The compact is adopted: its text changes only by a new decision, not by editing.")
        )
        return redirect("compact:compact_manage", slug=slug)
    initial = {"renewal_rule": Compact.RenewalRule.AUTOMATIC, "term_years": 4}
    if compact is not None:
        initial = {
            "title": compact.title,
            "text": compact.text,
            "term_years": compact.term_years,
            "renewal_rule": compact.renewal_rule,
            **{f"principle_{p.key}": p.wording for p in compact.principles.all()},
        }
    form = forms.CompactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            "title": form.cleaned_data["title"],
            "text": form.cleaned_data["text"],
            "term_years": form.cleaned_data["term_years"],
            "renewal_rule": form.cleaned_data["renewal_rule"],
            "principles": form.principles(),
        }
        try:
            if compact is None:
                services.compact_create(municipality=municipality, by=request.user, **data)
            else:
                services.compact_update(compact=compact, by=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The compact is saved as a draft."))
            return redirect("compact:compact_manage", slug=slug)
    return render(
        request,
        "compact/edit.html",
        {"form": form, "compact": compact, "municipality": municipality},
    )


def _managed_compact(request, slug) -> Compact:
    municipality = get_object_or_404(Municipality, slug=slug)
    compact = Compact.objects.select_related("municipality").filter(municipality=municipality).first()
    if compact is None or not request.user.has_perm("compact.manage_compact", compact):
        raise Http404
    return compact


@login_required
def compact_evaluation(request, slug):
    """Record the evaluation of the compact's current term: what was found, next steps, the report."""
    compact = _managed_compact(request, slug)
    if compact.state != Compact.State.IN_FORCE:
        messages.info(request, _("The compact is evaluated while it is in force."))
        return redirect("compact:compact_manage", slug=slug)
    existing = compact.current_evaluation()
    initial = (
        {
            "evaluated_on": existing.evaluated_on,
            "findings": existing.findings,
            "next_steps": existing.next_steps,
        }
        if existing
        else None
    )
    form = forms.CompactEvaluationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.compact_evaluation_record(
                compact=compact,
                evaluated_on=data["evaluated_on"],
                findings=data["findings"],
                next_steps=data["next_steps"],
                upload=data.get("document"),
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("document" if exc.code in ("file_type", "too_large") else None, exc)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The evaluation is saved."))
            return redirect("compact:compact_manage", slug=slug)
    return render(
        request, "compact/evaluation.html", {"compact": compact, "form": form, "existing": existing}
    )


@login_required
def compact_evaluation_document(request, slug, pk):
    compact = _managed_compact(request, slug)
    evaluation = get_object_or_404(compact.evaluations.exclude(file=""), pk=pk)
    return file_download(
        evaluation.file,
        filename=evaluation.original_name or "utvardering",
        content_type=evaluation.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def commitment_status(request, pk):
    commitment = get_object_or_404(Commitment.objects.select_related("compact__municipality"), pk=pk)
    if not request.user.has_perm("compact.manage_compact", commitment.compact):
        raise Http404
    form = forms.CommitmentStatusForm(request.POST)
    if form.is_valid():
        services.commitment_set_status(
            commitment=commitment, status=form.cleaned_data["status"], by=request.user
        )
        messages.success(request, _("The status is saved."))
    return redirect("compact:compact_manage", slug=commitment.compact.municipality.slug)
