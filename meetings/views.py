"""Pages of committee meetings.  Each view finds what the user may see (404 otherwise),
refuses actions the user may not do (403), calls one service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.agenda import AgendaAdapter, BudgetExceeded, adapter_for
from meetings.models import AgendaItem, Appeal, Meeting
from organizations.models import Committee, User
from workflows.models import StoredDocument
from workflows.services import TransitionRefused, transitions_for
from workflows.shortcuts import get_permitted_or_404, paginate, query_without_page, url_of_pk
from workflows.storage import file_download

from . import forms, selectors, services
from .documents import meeting_documents_make

TRANSITION_PAGES = {"post": "meetings:meeting_post"}
#: items of the agenda on one page of the meeting: a June meeting has hundreds, some a thousand
AGENDA_PAGE_SIZE = 50


def _meeting(request, pk) -> Meeting:
    return get_permitted_or_404(
        Meeting.objects.select_related("committee__municipality"),
        "meetings.view_meeting",
        request.user,
        pk=pk,
    )


def _item(request, pk) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__committee__municipality"), pk=pk)
    if not request.user.has_perm("meetings.view_meeting", item.meeting):
        raise Http404
    return item


def _must(request, perm, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _errors(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    if isinstance(exc, TransitionRefused):
        return exc.reasons
    return [str(exc)]


@login_required
def meeting_index(request):
    committees = list(selectors.committees_visible(user=request.user))
    if not committees:
        raise PermissionDenied
    return render(
        request,
        "meetings/index.html",
        {"committees": committees, "upcoming": selectors.meetings_upcoming(user=request.user, limit=10)},
    )


@login_required
def meeting_list(request, committee_pk):
    committee = get_permitted_or_404(
        Committee.objects.select_related("municipality"),
        "meetings.view_committee_meetings",
        request.user,
        pk=committee_pk,
    )
    page = paginate(request, selectors.meetings_for_committee(committee=committee))
    return render(
        request,
        "meetings/list.html",
        {
            "committee": committee,
            "page": page,
            "can_create": request.user.has_perm("meetings.manage_committee_meetings", committee),
        },
    )


@login_required
def meeting_create(request, committee_pk):
    committee = get_permitted_or_404(
        Committee.objects.select_related("municipality"),
        "meetings.view_committee_meetings",
        request.user,
        pk=committee_pk,
    )
    _must(request, "meetings.manage_committee_meetings", committee)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            committee=committee,
            starts_at=form.cleaned_data["starts_at"],
            place=form.cleaned_data["place"],
            by=request.user,
        )
        messages.success(request, _("The meeting is planned. Add the cases and who attends."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/create.html", {"committee": committee, "form": form})


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    user = request.user
    summary = selectors.agenda_summary(meeting=meeting, per_page=AGENDA_PAGE_SIZE)
    page = paginate(request, selectors.agenda_queryset(meeting=meeting), per_page=AGENDA_PAGE_SIZE)
    items = page.object_list = selectors.agenda_rows(page.object_list)
    offset = (page.number - 1) * AGENDA_PAGE_SIZE
    groups, information = selectors.agenda_page_groups(items, summary=summary, offset=offset)
    people = selectors.attendance(meeting=meeting)
    options = []
    for option in transitions_for(meeting, by=user):
        target = TRANSITION_PAGES.get(option.name)
        option.url = (
            reverse(target, kwargs={"pk": meeting.pk})
            if target
            else reverse("meetings:meeting_transition", kwargs={"pk": meeting.pk, "name": option.name})
        )
        option.is_page = bool(target)
        options.append(option)
    mine = next((a for a in people if a.user_id == user.pk), None)
    can_manage = user.has_perm("meetings.manage_meeting", meeting)
    is_open = meeting.state in services.OPEN_STATES
    recusal_url = url_of_pk("meetings:item_recusal") if is_open else None
    appeal_url = url_of_pk("meetings:appeal_register") if can_manage and meeting.posted_on else None
    documents = selectors.item_documents(items=items)
    document_url = url_of_pk("meetings:meeting_document", key="document_pk", pk=meeting.pk)
    for item in items:
        item.recusal_url = recusal_url(item.pk) if recusal_url else ""
        item.appeal_url = appeal_url(item.pk) if appeal_url and item.decision_or_none else ""
        item.documents = documents.get(item.pk, [])
        for document in item.documents:
            document.url = document_url(document.pk)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "summary": summary,
            "page": page,
            "query_string": query_without_page(request),
            "groups": groups,
            "information": information,
            "information_continued": summary.information.start < offset,
            "people": people,
            "adjusters": [a for a in people if a.adjuster],
            "options": options,
            "documents": selectors.meeting_documents(meeting=meeting, items=[]),
            "can_manage": can_manage,
            "can_decide": can_manage and meeting.state == Meeting.State.HELD,
            "can_appeal": can_manage and meeting.posted_on is not None,
            "open": is_open,
            "approval_due": mine is not None
            and mine.adjuster
            and mine.approved_at is None
            and meeting.state == Meeting.State.HELD,
        },
    )


@login_required
def meeting_attendance(request, pk):
    meeting = _meeting(request, pk)
    _must(request, "meetings.manage_meeting", meeting)
    members = services.committee_members(meeting.committee)
    current = {a.user_id: a for a in selectors.attendance(meeting=meeting)}
    rows = []
    for member in members:
        attendance = current.get(member.pk)
        initial = (
            {
                "present": attendance.present,
                "role": attendance.role,
                "party": attendance.party,
                "adjuster": attendance.adjuster,
            }
            if attendance
            else {"present": False, "role": "member"}
        )
        rows.append(
            (member, forms.AttendanceForm(request.POST or None, prefix=f"m{member.pk}", initial=initial))
        )
    errors = []
    if request.method == "POST" and all(f.is_valid() for _m, f in rows):
        data = [
            services.AttendanceRow(user=m, **f.cleaned_data)
            for m, f in rows
            if f.cleaned_data["present"] or m.pk in current
        ]
        try:
            services.attendance_set(meeting=meeting, rows=data, by=request.user)
        except (ValidationError, TransitionRefused) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/attendance.html", {"meeting": meeting, "rows": rows, "errors": errors})


@login_required
def meeting_agenda(request, pk):
    meeting = _meeting(request, pk)
    _must(request, "meetings.manage_meeting", meeting)
    candidates = selectors.agenda_candidates(meeting=meeting)
    form = forms.AgendaAddForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        by_key = {c.key: c.case for _g, cs in candidates for c in cs}
        try:
            items = services.agenda_add(
                meeting=meeting, cases=[by_key[k] for k in form.cleaned_data["cases"]], by=request.user
            )
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(n)s case(s) added to the agenda.") % {"n": len(items)})
            return redirect("meetings:meeting_agenda", pk=meeting.pk)
    groups, information = selectors.agenda_groups(selectors.agenda_items(meeting=meeting))
    return render(
        request,
        "meetings/agenda.html",
        {
            "meeting": meeting,
            "form": form,
            "candidates": candidates,
            "groups": groups,
            "information": information,
            "open": meeting.state in (Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED),
        },
    )


def _group_adapter(group) -> AgendaAdapter:
    """The adapter of the group's case type (a group holds one type); the engine's own default
    for a type no app registered."""
    item = next(iter(group.items), None)
    if item is not None:
        try:
            return adapter_for(ContentType.objects.get_for_id(item.content_type_id).model_class())
        except LookupError:
            pass
    return AgendaAdapter()


@login_required
def meeting_decide(request, pk, group):
    meeting = _meeting(request, pk)
    _must(request, "meetings.manage_meeting", meeting)
    groups, _information = selectors.agenda_groups(selectors.agenda_items(meeting=meeting))
    current = next((g for g in groups if g.no == group), None)
    if current is None:
        raise Http404
    undecided = current.undecided
    # the group's case type words the page: an award is awarded, an agreement approved
    adapter = _group_adapter(current)
    group_form = (
        forms.GroupDecisionForm(request.POST or None, prefix="group") if adapter.grant_terms else None
    )
    item_forms = [
        (
            item,
            forms.ItemDecisionForm(
                request.POST or None,
                item=item,
                adapter=adapter,
                prefix=f"item{item.pk}",
                initial={
                    "outcome": services.proposal_of(item).outcome,
                    "amount": services.proposal_of(item).amount,
                    "reasons": item.proposal_text,
                },
            ),
        )
        for item in undecided
    ]
    errors = []
    if (
        request.method == "POST"
        and (group_form is None or group_form.is_valid())
        and all(f.is_valid() for _i, f in item_forms)
    ):
        common = group_form.cleaned_data if group_form is not None else {}
        decisions = {}
        for item, f in item_forms:
            grant = f.cleaned_data["outcome"] in services.AMOUNT_OUTCOMES
            shared = common.get("conditions", "") if grant else ""
            decisions[item.pk] = services.DecisionData(
                outcome=f.cleaned_data["outcome"],
                amount=f.cleaned_data["amount"] if grant else None,
                conditions="\n".join(c for c in (shared, f.cleaned_data["conditions"]) if c),
                period_start=common.get("period_start") if grant else None,
                period_end=common.get("period_end") if grant else None,
                report_due=common.get("report_due") if grant else None,
                reasons=f.cleaned_data["reasons"],
            )
        try:
            services.decisions_record(meeting=meeting, group_no=group, decisions=decisions, by=request.user)
        except (ValidationError, TransitionRefused, BudgetExceeded) as exc:
            errors = _errors(exc)
        else:
            messages.success(
                request, _("The decisions of “%(group)s” are recorded.") % {"group": current.label}
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/decide.html",
        {
            "meeting": meeting,
            "group": current,
            "group_form": group_form,
            "item_forms": item_forms,
            "requested_label": adapter.requested_label(),
            "errors": errors,
            "can_decide": meeting.state == Meeting.State.HELD and bool(undecided),
        },
    )


@login_required
def item_recusal(request, pk):
    item = _item(request, pk)
    _must(request, "meetings.declare_recusal", item)
    user = request.user
    if user.has_perm("meetings.record_recusal", item):
        people = [a.user for a in selectors.attendance(meeting=item.meeting)]
        people = [user] + [p for p in people if p.pk != user.pk]
    else:
        people = [user]
    form = forms.RecusalForm(request.POST or None, people=people, initial={"user": str(user.pk)})
    if request.method == "POST" and form.is_valid():
        person = User.objects.get(pk=form.cleaned_data["user"])
        try:
            services.recusal_declare(item=item, user=person, reason=form.cleaned_data["reason"], by=user)
        except (ValidationError, TransitionRefused) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("The conflict of interest is recorded."))
            return redirect("meetings:meeting_detail", pk=item.meeting_id)
    return render(
        request,
        "meetings/recusal.html",
        {
            "item": item,
            "meeting": item.meeting,
            "form": form,
            "recusals": item.recusals.select_related("user"),
            "open": item.meeting.state in services.OPEN_STATES,
        },
    )


@login_required
def minutes_approve(request, pk):
    meeting = _meeting(request, pk)
    _must(request, "meetings.approve_minutes", meeting)
    people = selectors.attendance(meeting=meeting)
    mine = next(a for a in people if a.user_id == request.user.pk)
    if request.method == "POST":
        try:
            meeting = services.minutes_approve(meeting=meeting, by=request.user)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            if meeting.state == Meeting.State.MINUTES_APPROVED:
                messages.success(request, _("The minutes are approved by both adjusters."))
            else:
                messages.success(
                    request, _("Your approval is recorded. The other adjuster has not approved yet.")
                )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    minutes = [d for d in selectors.meeting_documents(meeting=meeting, items=[]) if d.kind == "minutes"]
    return render(
        request,
        "meetings/approve.html",
        {
            "meeting": meeting,
            "mine": mine,
            "adjusters": [a for a in people if a.adjuster],
            "minutes": minutes[0] if minutes else None,
            "can_approve": meeting.state == Meeting.State.HELD and mine.approved_at is None,
        },
    )


@login_required
def meeting_post(request, pk):
    meeting = _meeting(request, pk)
    _must(request, "meetings.manage_meeting", meeting)
    form = forms.PostForm(
        request.POST or None,
        initial={"posted_on": timezone.localdate(), "kept_at": services.minutes_kept_at_default(meeting)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_post(
                meeting=meeting,
                posted_on=form.cleaned_data["posted_on"],
                kept_at=form.cleaned_data["kept_at"],
                by=request.user,
            )
        except (ValidationError, TransitionRefused) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _(
                    "The minutes are posted. The appeal period ends on %(date)s. The decision letters are made now."
                )
                % {"date": meeting.appeal_ends_on.isoformat()},
            )
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/post.html",
        {
            "meeting": meeting,
            "form": form,
            "can_post": meeting.state == Meeting.State.MINUTES_APPROVED,
            "example_end": services.appeal_period_end(timezone.localdate()),
        },
    )


@login_required
def appeal_register(request, pk):
    item = _item(request, pk)
    _must(request, "meetings.register_appeal", item)
    form = forms.AppealForm(request.POST or None, initial={"lodged_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_register(item=item, by=request.user, **form.cleaned_data)
        except (ValidationError, TransitionRefused) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request, _("The appeal is registered. The decision is not final until it is resolved.")
            )
            return redirect("meetings:meeting_detail", pk=item.meeting_id)
    appeals = Appeal.objects.filter(decision__item=item).order_by("lodged_on")
    return render(
        request,
        "meetings/appeal.html",
        {"item": item, "meeting": item.meeting, "form": form, "appeals": appeals},
    )


@login_required
def appeal_resolve(request, pk):
    appeal = get_object_or_404(
        Appeal.objects.select_related("decision__item__meeting__committee__municipality"), pk=pk
    )
    item = appeal.decision.item
    if item is None or not request.user.has_perm("meetings.view_meeting", item.meeting):
        raise Http404
    _must(request, "meetings.register_appeal", item)
    form = forms.AppealResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_resolve(appeal=appeal, by=request.user, **form.cleaned_data)
        except (ValidationError, TransitionRefused) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("The outcome of the appeal is recorded."))
            return redirect("meetings:meeting_detail", pk=item.meeting_id)
    return render(
        request,
        "meetings/appeal_resolve.html",
        {"appeal": appeal, "item": item, "meeting": item.meeting, "form": form},
    )


@login_required
@require_POST
def documents_make(request, pk):
    meeting = _meeting(request, pk)
    _must(request, "meetings.manage_meeting", meeting)
    kinds = ["agenda", "officer_reports"]
    if meeting.state != Meeting.State.PLANNED and meeting.state != Meeting.State.AGENDA_PUBLISHED:
        kinds.append("minutes")
    if meeting.minutes_approved:
        kinds.append("extracts")
    made = meeting_documents_make(meeting=meeting, kinds=kinds, by=request.user)
    messages.success(request, _("%(n)s document(s) are up to date.") % {"n": len(made)})
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
def document_download(request, pk, document_pk):
    meeting = _meeting(request, pk)
    document = get_object_or_404(StoredDocument, pk=document_pk)
    meeting_type = ContentType.objects.get_for_model(Meeting)
    item_type = ContentType.objects.get_for_model(AgendaItem)
    belongs = (document.content_type_id == meeting_type.pk and document.object_id == meeting.pk) or (
        document.content_type_id == item_type.pk
        and AgendaItem.objects.filter(pk=document.object_id, meeting=meeting).exists()
    )
    if not belongs:
        raise Http404
    return file_download(document.file, filename=f"{document.kind}-{meeting.pk}-v{document.version}.pdf")
