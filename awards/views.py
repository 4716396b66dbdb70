"""Pages of awards: the public nomination form and recipients page, and the staff's candidate pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import ratelimit
from grants.models import Program, Round
from organizations.models import Municipality
from workflows.models import StoredDocument
from workflows.services import TransitionRefused, transitions_for
from workflows.shortcuts import get_permitted_or_404, paginate, show_refusal
from workflows.storage import file_download

from . import forms, selectors, services
from .models import Candidate
from .scoring import conflicted_user_ids

C = Candidate.State
DOCUMENT_KINDS = {"award_letter", "award_diploma"}


def _award_round(pk) -> Round:
    round = get_object_or_404(
        Round.objects.select_related("program__award", "program__municipality", "program__committee"),
        pk=pk,
        program__kind=Program.Kind.AWARD,
    )
    if not hasattr(round.program, "award"):
        raise Http404
    return round


# ---- the public ----


def public(request, slug):
    """Past recipients of the municipality's awards (announced ones only), and awards open for nominations."""
    municipality = get_object_or_404(Municipality, slug=slug)
    page = paginate(request, selectors.recipients_public(municipality=municipality))
    return render(
        request,
        "awards/public.html",
        {
            "municipality": municipality,
            "page": page,
            "open_rounds": selectors.award_rounds_open(municipality=municipality),
        },
    )


def _may_nominate(request, round):
    if request.user.has_perm("grants.nominate", round):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("You may not nominate for this award."))


def nominate(request, pk):
    """The nomination form: public where the award allows it, protected by a honeypot and a rate limit."""
    round = _award_round(pk)
    refused = _may_nominate(request, round)
    if refused is not None:
        return refused
    form = forms.NominationForm(request.POST or None)
    if request.method == "POST":
        limit = settings.AWARD_NOMINATIONS_PER_IP
        window = settings.AWARD_NOMINATION_WINDOW
        key = f"nominate:{ratelimit.keyed(ratelimit.client_address(request))}"
        if not ratelimit.hit(key, limit=limit, window=window):
            response = render(request, "awards/throttled.html", {"round": round}, status=429)
            response["Retry-After"] = str(ratelimit.retry_after(window))
            return response
        if form.is_spam:
            # Robots are thanked like people, and nothing is kept.
            return redirect("awards:thanks", pk=round.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.nomination_submit(
                    round=round,
                    data=services.NominationData(
                        kind=data["kind"],
                        nominee_name=data["nominee_name"],
                        nominee_org_number=data["nominee_org_number"],
                        motivation=data["motivation"],
                        nominator_name=data["nominator_name"],
                        nominator_email=data["nominator_email"],
                        nominator_phone=data["nominator_phone"],
                    ),
                    by=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                return redirect("awards:thanks", pk=round.pk)
    return render(
        request,
        "awards/nominate.html",
        {"round": round, "program": round.program, "award": round.program.award, "form": form},
    )


def thanks(request, pk):
    round = _award_round(pk)
    refused = _may_nominate(request, round)
    if refused is not None:
        return refused
    return render(request, "awards/thanks.html", {"round": round, "program": round.program})


# ---- staff ----


@login_required
def index(request):
    if not request.user.has_perm("grants.view_awards"):
        raise PermissionDenied
    rounds = selectors.award_rounds_for_staff(user=request.user)
    return render(request, "awards/index.html", {"page": paginate(request, rounds)})


@login_required
def round_candidates(request, pk):
    round = _award_round(pk)
    if not request.user.has_perm("grants.view_award_round", round):
        raise Http404
    state = request.GET.get("state", "")
    if state not in C.values:
        state = ""
    can_handle = request.user.has_perm("grants.handle_award_candidate", round)
    if can_handle:
        services.candidates_sync_applications(round=round, by=request.user)
    candidates = selectors.candidates_for_round(round=round, state=state)
    counts = selectors.candidate_counts(round=round)
    return render(
        request,
        "awards/round_candidates.html",
        {
            "round": round,
            "program": round.program,
            "award": round.program.award,
            "page": paginate(request, candidates),
            "state": state,
            "states": C.choices,
            "can_handle": can_handle,
            "to_screen": counts.get(C.RECEIVED, 0),
            "to_announce": counts.get(C.AWARDED, 0) and not counts.get(C.SHORTLISTED, 0),
            "waiting": counts.get(C.SHORTLISTED, 0),
            "query_string": f"state={state}" if state else "",
            "public_url": reverse("awards:public", kwargs={"slug": round.program.municipality.slug}),
        },
    )


@login_required
@require_POST
def round_screen(request, pk):
    round = _award_round(pk)
    if not request.user.has_perm("grants.view_award_round", round):
        raise Http404
    if not request.user.has_perm("grants.handle_award_candidate", round):
        raise PermissionDenied
    services.candidates_sync_applications(round=round, by=request.user)
    counts = services.candidates_screen_round(round=round, by=request.user)
    messages.success(
        request,
        _("Screened: %(eligible)s eligible, %(ineligible)s not eligible.") % counts,
    )
    return redirect("awards:round_candidates", pk=round.pk)


@login_required
@require_POST
def round_announce(request, pk):
    round = _award_round(pk)
    if not request.user.has_perm("grants.view_award_round", round):
        raise Http404
    try:
        result = services.award_round_announce(round=round, by=request.user)
    except TransitionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request,
            _("The result is announced: %(announced)s recipient(s) on the public page; nominators are told.")
            % result,
        )
    return redirect("awards:round_candidates", pk=round.pk)


def _candidate(request, pk) -> Candidate:
    return get_permitted_or_404(
        selectors.candidate_detail_queryset(), "grants.view_award_candidate", request.user, pk=pk
    )


@login_required
def candidate_detail(request, pk):
    from meetings.services import case_decision

    candidate = _candidate(request, pk)
    user = request.user
    options = [o for o in transitions_for(candidate, by=user) if o.permitted]
    for option in options:
        option.url = reverse("awards:candidate_transition", kwargs={"pk": candidate.pk, "name": option.name})
        # taking a candidate off the shortlist undoes work: never the page's main action
        option.secondary = option.name == "unshortlist"
    documents = StoredDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Candidate), object_id=candidate.pk
    ).order_by("kind", "-version")
    latest = {}
    for document in documents:
        latest.setdefault(document.kind, document)
    conflicted = conflicted_user_ids(candidate)
    return render(
        request,
        "awards/candidate_detail.html",
        {
            "candidate": candidate,
            "program": candidate.round.program,
            "eligibility": selectors.candidate_eligibility(candidate=candidate),
            "options": options,
            "assessments": [
                {"assessment": a, "counts": a.completed_at is not None and a.assessor_id not in conflicted}
                for a in candidate.assessments.all()
            ],
            "conflicts": list(candidate.conflicts.all()),
            "i_am_conflicted": user.pk in conflicted,
            "can_handle": user.has_perm("grants.handle_award_candidate", candidate),
            "can_assess": user.has_perm("grants.assess_award_candidate", candidate)
            and candidate.state in (C.ELIGIBLE, C.SHORTLISTED),
            "proposal_form": forms.ProposalForm(
                initial={"proposal": candidate.proposal, "motivation": candidate.proposal_motivation}
            ),
            "conflict_form": forms.ConflictForm(),
            "documents": sorted(latest.values(), key=lambda d: d.kind),
            "decision": case_decision(candidate),
            "timeline": selectors.candidate_timeline(candidate=candidate),
        },
    )


@login_required
def candidate_assess(request, pk):
    candidate = _candidate(request, pk)
    if not request.user.has_perm("grants.assess_award_candidate", candidate):
        raise PermissionDenied
    assessment = candidate.assessments.filter(assessor=request.user).first()
    criteria = (candidate.snapshot or {}).get("criteria", [])
    form = forms.AssessmentForm(request.POST or None, criteria=criteria, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_assess(
                candidate=candidate,
                by=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                complete=form.cleaned_data["complete"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("awards:candidate_detail", pk=candidate.pk)
    return render(
        request,
        "awards/assess.html",
        {
            "candidate": candidate,
            "form": form,
            "conflicted": request.user.pk in conflicted_user_ids(candidate),
        },
    )


@login_required
@require_POST
def candidate_conflict(request, pk):
    candidate = _candidate(request, pk)
    if not request.user.has_perm("grants.assess_award_candidate", candidate):
        raise PermissionDenied
    try:
        services.candidate_conflict_declare(
            candidate=candidate, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Your conflict of interest is recorded; your scores do not count."))
    return redirect("awards:candidate_detail", pk=candidate.pk)


@login_required
@require_POST
def candidate_propose(request, pk):
    candidate = _candidate(request, pk)
    if not request.user.has_perm("grants.handle_award_candidate", candidate):
        raise PermissionDenied
    form = forms.ProposalForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("awards:candidate_detail", pk=candidate.pk)
    try:
        services.candidate_propose(
            candidate=candidate,
            by=request.user,
            proposal=form.cleaned_data["proposal"],
            motivation=form.cleaned_data["motivation"],
        )
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request, _("The proposal is saved; the candidate can be put on the committee's agenda.")
        )
    return redirect("awards:candidate_detail", pk=candidate.pk)


@login_required
def candidate_document(request, pk, kind):
    candidate = get_permitted_or_404(
        selectors.candidate_detail_queryset(), "grants.view_award_documents", request.user, pk=pk
    )
    if kind not in DOCUMENT_KINDS:
        raise Http404
    document = (
        StoredDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Candidate), object_id=candidate.pk, kind=kind
        )
        .order_by("-version")
        .first()
    )
    if document is None:
        raise Http404
    return file_download(
        document.file,
        filename=f"{kind}-{candidate.case_number.replace(' ', '-').replace('/', '-')}.pdf",
        as_attachment=False,
    )


@login_required
def award_settings(request, pk):
    program = get_permitted_or_404(Program, "grants.view_program", request.user, pk=pk)
    if program.kind != Program.Kind.AWARD:
        raise Http404
    if not request.user.has_perm("grants.manage_program", program):
        raise PermissionDenied
    settings = selectors.award_settings(program)
    form = forms.AwardSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.award_settings_save(program=program, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The award settings are saved."))
            return redirect("awards:settings", pk=program.pk)
    return render(request, "awards/settings.html", {"program": program, "form": form})
