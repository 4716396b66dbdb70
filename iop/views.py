"""Pages of partnerships.  Each view parses input, calls one service or selector, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.permissions import active_org_roles, is_signatory, staff_municipality_ids
from reporting.selectors import joint_follow_up, joint_follow_ups
from workflows.models import StoredDocument
from workflows.services import TransitionRefused, transitions_for
from workflows.shortcuts import get_permitted_or_404, paginate
from workflows.storage import file_download

from . import forms, services
from .diff import compare_versions
from .models import (
    AgreementVersion,
    Partnership,
    Screening,
)
from .selectors import (
    committee_overview,
    committees_for_staff,
    municipal_money_paid,
    organisations_for_initiative,
    partnerships_list,
)


def _partnership(request, pk, perm="iop.view_partnership") -> Partnership:
    qs = Partnership.objects.select_related(
        "organisation", "committee__municipality", "approved_version", "initiated_by"
    )
    return get_permitted_or_404(qs, perm, request.user, pk=pk)


def _require(request, perm, obj):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _refused(request, exc):
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc))


# -- lists ---------------------------------------------------------------------------------------------------


@login_required
def partnership_list(request):
    if not (request.user.has_perm("iop.view_overview") or active_org_roles(request.user)):
        raise PermissionDenied
    form = forms.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = paginate(
        request, partnerships_list(user=request.user, state=data.get("state", ""), query=data.get("q", ""))
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "iop/list.html",
        {
            "form": form,
            "page": page,
            "query_string": params.urlencode(),
            "can_create": request.user.has_perm("iop.create_partnership"),
            "is_staff": request.user.has_perm("iop.view_overview"),
        },
    )


@login_required
def overview(request):
    if not request.user.has_perm("iop.view_overview"):
        raise PermissionDenied
    committees = list(committees_for_staff(user=request.user))
    chosen = next((c for c in committees if str(c.pk) == request.GET.get("committee")), None) or (
        committees[0] if committees else None
    )
    data = committee_overview(committee=chosen, user=request.user) if chosen else None
    # the compact's management page is for its caseworkers and program administrators only
    managers = staff_municipality_ids(request.user, ("caseworker", "program_admin"))
    can_manage_compact = chosen is not None and chosen.municipality_id in managers
    return render(
        request,
        "iop/overview.html",
        {
            "committees": committees,
            "committee": chosen,
            "data": data,
            "can_manage_compact": can_manage_compact,
        },
    )


# -- the initiative -----------------------------------------------------------------------------------------


@login_required
def partnership_new(request):
    if not request.user.has_perm("iop.create_partnership"):
        raise PermissionDenied
    organisations = organisations_for_initiative(user=request.user)
    committees = committees_for_staff(user=request.user)
    if not committees.exists():
        from organizations.models import Committee

        committees = (
            Committee.objects.filter(municipality__activities__organisation__in=organisations)
            .distinct()
            .select_related("municipality")
        )
    form = forms.InitiativeForm(request.POST or None, organisations=organisations, committees=committees)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_initiate(
                organisation=form.cleaned_data["organisation"],
                committee=form.cleaned_data["committee"],
                data=form.cleaned_data,
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The initiative is registered as %(number)s.") % {"number": partnership.case_number},
            )
            return redirect("iop:detail", pk=partnership.pk)
    return render(request, "iop/new.html", {"form": form})


@login_required
def partnership_edit(request, pk):
    partnership = _partnership(request, pk)
    _require(request, "iop.edit_initiative", partnership)
    form = forms.InitiativeEditForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update_initiative(
                partnership=partnership, data=form.cleaned_data, by=request.user
            )
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The initiative is saved."))
            return redirect("iop:detail", pk=partnership.pk)
    return render(request, "iop/edit.html", {"form": form, "partnership": partnership})


def next_step(partnership: Partnership, user) -> str:
    """What happens next and who does it, in one or two sentences for the person reading the page."""
    State = Partnership.State
    staff = user.has_perm("iop.manage_partnership", partnership) or user.has_perm(
        "iop.decide_partnership", partnership
    )
    state = partnership.state
    if state == State.INITIATIVE:
        return (
            _("Start the screening: the IOP checklist shows whether a partnership is the right form.")
            if staff
            else _("The municipality checks whether a partnership (IOP) is the right form and contacts you.")
        )
    if state == State.SCREENING:
        return (
            _(
                "Fill in the IOP checklist and conclude it: suitable starts the dialogue, "
                "not suitable sends a decision letter to the organisation."
            )
            if staff
            else _(
                "The municipality is checking with the IOP checklist whether a partnership is the right form."
            )
        )
    if state == State.DIALOGUE:
        return _("Talk together about the need and how to meet it. When you agree, write the agreement.")
    if state == State.DRAFTING:
        return _(
            "Both parties write the agreement; each save is a new version that can be compared with the "
            "one before. When both agree, the caseworker proposes it to the committee."
        )
    if state == State.PROPOSED:
        return _(
            "The agreement is proposed to the committee: the secretary puts it on the agenda of a meeting, "
            "where the decision is recorded."
        )
    if state == State.APPROVED:
        missing = []
        if not partnership.municipality_signed_on:
            missing.append(_("the municipality"))
        if not partnership.organisation_signed_on:
            missing.append(_("the organisation's authorised signatory"))
        return _("The committee has approved the agreement. Still to sign: %(who)s.") % {
            "who": ", ".join(str(m) for m in missing)
        }
    if state in (State.SIGNED, State.RENEWED):
        return _("Signed. The partnership starts by itself on %(date)s, when the term begins.") % {
            "date": partnership.term_start.isoformat() if partnership.term_start else "–"
        }
    if state == State.ACTIVE:
        done = set(
            joint_follow_ups(case=partnership, term_start=partnership.term_start).values_list(
                "year", flat=True
            )
        )
        year = next((y for y in partnership.term_years() if y not in done), None)
        if year is None:
            return _("The partnership runs. Every yearly follow-up of the term is made.")
        return _(
            "The partnership runs. The yearly follow-up of year %(year)s is due on %(date)s; "
            "a reminder is sent a month before."
        ) % {"year": year, "date": partnership.follow_up_due_on(year).isoformat()}
    if state == State.FOLLOW_UP_DUE:
        from .conditions import outstanding_years

        years = outstanding_years(partnership)
        year = years[0] if years else 1
        date = partnership.follow_up_due_on(year).isoformat()
        if staff:
            return _(
                "Waiting for the yearly follow-up of year %(year)s (due %(date)s), made together with the "
                "organisation. When it is saved the partnership continues by itself: nothing else is needed."
            ) % {"year": year, "date": date}
        return _("Make the yearly follow-up of year %(year)s together with the municipality by %(date)s.") % {
            "year": year,
            "date": date,
        }
    if state == State.EVALUATION:
        return _(
            "Evaluate the term together. To renew, write a new version of the agreement with the new term "
            "and propose the renewal to the committee; renewal is a new decision. Otherwise end the "
            "partnership at the end of its term."
        )
    if state == State.RENEWAL_PROPOSED:
        return _(
            "The renewal is proposed to the committee: the secretary puts it on the agenda of a meeting, "
            "where the decision is recorded (or a delegate decides it below the delegation limit)."
        )
    return _("The case is closed.")


@login_required
def partnership_detail(request, pk):
    partnership = _partnership(request, pk)
    user = request.user
    options = [o for o in transitions_for(partnership, by=user) if o.permitted]
    for option in options:
        option.url = reverse("iop:transition", kwargs={"pk": partnership.pk, "name": option.name})
    versions = list(partnership.agreement_versions.select_related("created_by").order_by("-number"))
    documents = StoredDocument.objects.filter(
        content_type__app_label="iop", content_type__model="partnership", object_id=partnership.pk
    ).order_by("kind", "-version")
    latest_of_kind: dict = {}
    for document in documents:
        latest_of_kind.setdefault(
            document.kind, document
        )  # an earlier version of a letter is kept, not shown
    documents = list(latest_of_kind.values())
    version = partnership.approved_version or (versions[0] if versions else None)
    follow_ups = {f.year: f for f in joint_follow_ups(case=partnership, term_start=partnership.term_start)}
    years = [
        {"year": y, "due_on": partnership.follow_up_due_on(y), "follow_up": follow_ups.get(y)}
        for y in partnership.term_years()
    ]
    try:
        screening = partnership.screening
    except Partnership.screening.RelatedObjectDoesNotExist:
        screening = None
    return render(
        request,
        "iop/detail.html",
        {
            "partnership": partnership,
            "next_step": next_step(partnership, user),
            "options": options,
            "versions": versions,
            "version": version,
            "totals": version.totals() if version else None,
            "documents": documents,
            "years": years,
            "screening": screening,
            "evaluation": partnership.evaluations.filter(term_end=partnership.term_end).first(),
            "paid": municipal_money_paid(partnership=partnership),
            "can": {
                "edit": user.has_perm("iop.edit_initiative", partnership)
                and partnership.state in services.EDITABLE_INITIATIVE_STATES,
                "manage": user.has_perm("iop.manage_partnership", partnership),
                "draft": user.has_perm("iop.draft_agreement", partnership)
                and partnership.state in services.DRAFTING_STATES,
                "agenda": user.has_perm("meetings.manage_committee_meetings", partnership.committee)
                and partnership.state in (Partnership.State.PROPOSED, Partnership.State.RENEWAL_PROPOSED),
                "delegate": user.has_perm("iop.decide_partnership", partnership)
                and partnership.state in (Partnership.State.PROPOSED, Partnership.State.RENEWAL_PROPOSED)
                and user.delegations.filter(committee=partnership.committee, matter="partnership").exists(),
                "sign_municipality": user.has_perm("iop.sign_for_municipality", partnership)
                and partnership.state == Partnership.State.APPROVED,
                "sign_organisation": user.has_perm("iop.sign_for_organisation", partnership)
                and partnership.state == Partnership.State.APPROVED,
                "follow_up": user.has_perm("iop.record_follow_up", partnership)
                and partnership.state
                in (Partnership.State.ACTIVE, Partnership.State.FOLLOW_UP_DUE, Partnership.State.EVALUATION),
                "evaluate": user.has_perm("iop.record_follow_up", partnership)
                and partnership.state == Partnership.State.EVALUATION,
                "terminate": user.has_perm("iop.manage_partnership", partnership)
                and partnership.state in Partnership.RUNNING,
            },
        },
    )


@login_required
def screening(request, pk):
    partnership = _partnership(request, pk)
    _require(request, "iop.manage_partnership", partnership)
    instance = Screening.objects.filter(partnership=partnership).first()
    form = forms.ScreeningForm(request.POST or None, instance=instance)
    reason_form = forms.ReasonForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_record(partnership=partnership, answers=form.answers(), by=request.user)
        except (TransitionRefused, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The checklist is saved."))
            return redirect("iop:screening", pk=partnership.pk)
    return render(
        request,
        "iop/screening.html",
        {
            "partnership": partnership,
            "form": form,
            "reason_form": reason_form,
            "screening": instance,
            "can_conclude": partnership.state == Partnership.State.SCREENING and instance is not None,
        },
    )


@login_required
@require_POST
def screening_conclude(request, pk):
    partnership = _partnership(request, pk)
    _require(request, "iop.manage_partnership", partnership)
    suitable = request.POST.get("suitable") == "yes"
    try:
        services.partnership_screen(
            partnership=partnership, suitable=suitable, by=request.user, reason=request.POST.get("reason", "")
        )
    except (TransitionRefused, ValidationError) as exc:
        _refused(request, exc)
        return redirect("iop:screening", pk=partnership.pk)
    messages.success(
        request,
        _("IOP is the right form: the dialogue can start.")
        if suitable
        else _("The initiative is not suitable for IOP. The decision letter has been sent to the initiator."),
    )
    return redirect("iop:detail", pk=partnership.pk)


# -- the agreement ------------------------------------------------------------------------------------------


def _initial_from(version: AgreementVersion | None):
    if version is None:
        return {}, [], [], []
    data = {f: getattr(version, f) for f in forms.AgreementForm.Meta.fields if f != "note"}
    contributions = list(
        version.contributions.values("year", "party", "kind", "description", "hours", "value")
    )
    indicators = list(version.indicators.values("goal", "name", "target", "unit"))
    members = list(version.members.values("group", "party", "name", "role"))
    return data, contributions, indicators, members


@login_required
def agreement_edit(request, pk):
    partnership = _partnership(request, pk)
    _require(request, "iop.draft_agreement", partnership)
    if partnership.state not in services.DRAFTING_STATES:
        raise PermissionDenied
    latest = partnership.latest_version()
    data, contributions, indicators, members = _initial_from(latest)
    post = request.POST or None
    form = forms.AgreementForm(post, initial=data)
    sets = {
        "contributions": forms.ContributionFormSet(post, initial=contributions, prefix="contributions"),
        "indicators": forms.IndicatorFormSet(post, initial=indicators, prefix="indicators"),
        "members": forms.MemberFormSet(post, initial=members, prefix="members"),
    }
    if request.method == "POST" and form.is_valid() and all(s.is_valid() for s in sets.values()):
        try:
            version = services.agreement_save_version(
                partnership=partnership,
                data=form.cleaned_data,
                contributions=forms.rows_of(sets["contributions"]),
                indicators=forms.rows_of(sets["indicators"]),
                members=forms.rows_of(sets["members"]),
                by=request.user,
            )
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Version %(n)s of the agreement is saved.") % {"n": version.number})
            return redirect("iop:version", pk=partnership.pk, number=version.number)
    return render(
        request,
        "iop/agreement_edit.html",
        {"partnership": partnership, "form": form, "sets": sets, "latest": latest},
    )


@login_required
def agreement_version(request, pk, number):
    partnership = _partnership(request, pk)
    version = get_object_or_404(
        AgreementVersion.objects.select_related("created_by").prefetch_related(
            "contributions", "indicators", "members"
        ),
        partnership=partnership,
        number=number,
    )
    previous = partnership.agreement_versions.filter(number__lt=number).order_by("-number").first()
    return render(
        request,
        "iop/version.html",
        {"partnership": partnership, "version": version, "totals": version.totals(), "previous": previous},
    )


@login_required
def agreement_compare(request, pk):
    partnership = _partnership(request, pk)
    versions = list(
        partnership.agreement_versions.prefetch_related("contributions", "indicators", "members").order_by(
            "number"
        )
    )
    by_number = {v.number: v for v in versions}
    if not versions:
        raise Http404
    default_a = versions[-2] if len(versions) > 1 else versions[-1]
    try:
        a = by_number[int(request.GET.get("a") or default_a.number)]
        b = by_number[int(request.GET.get("b") or versions[-1].number)]
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    return render(
        request,
        "iop/compare.html",
        {
            "partnership": partnership,
            "a": a,
            "b": b,
            "sections": compare_versions(a, b),
            "versions": versions,
        },
    )


@login_required
def document_download(request, pk, doc):
    partnership = _partnership(request, pk)
    document = get_object_or_404(
        StoredDocument,
        pk=doc,
        content_type__app_label="iop",
        content_type__model="partnership",
        object_id=partnership.pk,
    )
    return file_download(document.file, filename=f"{document.kind}-v{document.version}.pdf")


# -- decision and signing ---------------------------------------------------------------------------------


@login_required
def delegated_decision(request, pk):
    """A delegate decides the agreement or its renewal below the delegation limit, outside a meeting;
    the decision is listed at the committee's next meeting."""
    from meetings.services import DecisionData, delegated_decision_record

    from .agenda import municipality_money

    partnership = _partnership(request, pk)
    _require(request, "iop.decide_partnership", partnership)
    if partnership.state not in (Partnership.State.PROPOSED, Partnership.State.RENEWAL_PROPOSED):
        messages.info(request, _("There is no proposal to decide."))
        return redirect("iop:detail", pk=partnership.pk)
    money = municipality_money(partnership)
    form = forms.DelegatedDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approved = form.cleaned_data["approved"]
        data = DecisionData(
            outcome="granted" if approved else "rejected",
            amount=money if approved else None,
            reasons=form.cleaned_data["reasons"],
        )
        try:
            delegated_decision_record(case=partnership, decision=data, by=request.user)
        except (TransitionRefused, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(
                request, _("The decision is recorded and listed at the committee's next meeting.")
            )
            return redirect("iop:detail", pk=partnership.pk)
    return render(
        request,
        "iop/delegated_decision.html",
        {
            "partnership": partnership,
            "form": form,
            "money": money,
            "renewal": partnership.state == Partnership.State.RENEWAL_PROPOSED,
        },
    )


@login_required
def sign(request, pk, party):
    partnership = _partnership(request, pk)
    if party not in ("municipality", "organisation"):
        raise Http404
    _require(request, f"iop.sign_for_{party}", partnership)
    form = forms.SignForm(request.POST or None, initial={"signatory": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_sign(
                partnership=partnership, party=party, by=request.user, **form.cleaned_data
            )
        except (TransitionRefused, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The signature is recorded."))
            return redirect("iop:detail", pk=partnership.pk)
    return render(request, "iop/sign.html", {"partnership": partnership, "form": form, "party": party})


@login_required
def terminate(request, pk):
    partnership = _partnership(request, pk)
    _require(request, "iop.manage_partnership", partnership)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_terminate(
                partnership=partnership, reason=form.cleaned_data["reason"], by=request.user
            )
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The partnership is terminated."))
            return redirect("iop:detail", pk=partnership.pk)
    return render(request, "iop/terminate.html", {"partnership": partnership, "form": form})


# -- while active ------------------------------------------------------------------------------------------


@login_required
def steering_meetings(request, pk):
    partnership = _partnership(request, pk)
    can_record = (
        request.user.has_perm("iop.record_follow_up", partnership)
        and partnership.state in Partnership.RUNNING
    )
    form = forms.SteeringMeetingForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            services.steering_meeting_record(partnership=partnership, by=request.user, **form.cleaned_data)
            messages.success(request, _("The meeting notes are saved."))
            return redirect("iop:steering", pk=partnership.pk)
    return render(
        request,
        "iop/steering.html",
        {
            "partnership": partnership,
            "meetings": partnership.steering_meetings.select_related("recorded_by"),
            "form": form,
            "can_record": can_record,
        },
    )


@login_required
def follow_up(request, pk, year):
    partnership = _partnership(request, pk)
    if year not in partnership.term_years():
        raise Http404
    existing = joint_follow_up(case=partnership, term_start=partnership.term_start, year=year)
    can_record = request.user.has_perm("iop.record_follow_up", partnership) and partnership.state in (
        Partnership.State.ACTIVE,
        Partnership.State.FOLLOW_UP_DUE,
        Partnership.State.EVALUATION,
    )
    indicators = partnership.approved_version.indicators.all()
    initial = {}
    if existing:
        initial = {
            "contributions_made": existing.contributions_made,
            "joint_assessment": existing.joint_assessment,
        }
        for result in existing.results.all():
            initial[f"achieved_{result.indicator_key}"] = result.achieved
            initial[f"comment_{result.indicator_key}"] = result.comment
    form = forms.FollowUpForm(request.POST or None, indicators=indicators, initial=initial)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            services.follow_up_record(
                partnership=partnership,
                year=year,
                contributions_made=form.cleaned_data["contributions_made"],
                joint_assessment=form.cleaned_data["joint_assessment"],
                results=form.results(),
                by=request.user,
            )
            messages.success(request, _("The follow-up of year %(year)s is saved.") % {"year": year})
            return redirect("iop:detail", pk=partnership.pk)
    return render(
        request,
        "iop/follow_up.html",
        {
            "partnership": partnership,
            "year": year,
            "due_on": partnership.follow_up_due_on(year),
            "form": form,
            "existing": existing,
            "can_record": can_record,
        },
    )


@login_required
def evaluation(request, pk):
    partnership = _partnership(request, pk)
    _require(request, "iop.record_follow_up", partnership)
    existing = partnership.evaluations.filter(term_end=partnership.term_end).first()
    form = forms.EvaluationForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(partnership=partnership, by=request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The evaluation is saved."))
            return redirect("iop:detail", pk=partnership.pk)
    return render(request, "iop/evaluation.html", {"partnership": partnership, "form": form})


@login_required
def payments(request, pk):
    partnership = _partnership(request, pk)
    can_pay = request.user.has_perm("iop.pay_partnership", partnership)
    form = forms.PaymentForm(request.POST or None)
    if request.method == "POST":
        if not can_pay:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.payment_plan(partnership=partnership, by=request.user, **form.cleaned_data)
            except (TransitionRefused, ValidationError) as exc:
                form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("The payment is planned."))
                return redirect("iop:payments", pk=partnership.pk)
    rows = [
        {
            "payment": p,
            "options": [
                o
                for o in transitions_for(p, by=request.user)
                if o.permitted and o.name in ("pay", "mark_paid")
            ],
        }
        for p in partnership.payments.order_by("pk")
    ]
    return render(
        request,
        "iop/payments.html",
        {
            "partnership": partnership,
            "rows": rows,
            "form": form,
            "can_pay": can_pay,
            "paid": municipal_money_paid(partnership=partnership),
        },
    )


__all__ = ["is_signatory"]
