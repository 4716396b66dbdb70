"""The one-way-in pages.  Each view parses input, calls one service or selector, renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from compact.selectors import compact_for_public
from grants.models import Program
from meetings import services as meeting_services
from meetings.selectors import notice_document as notice_document_of
from meetings.selectors import notice_public, notices_archived, notices_current
from organizations.models import Committee, Municipality, Organisation
from organizations.permissions import active_org_roles
from workflows.services import TransitionRefused, transitions_for
from workflows.shortcuts import get_permitted_or_404, paginate, query_without_page
from workflows.storage import file_download

from . import feeds, forms, selectors, services
from .models import BarrierReport, BoardPost, GuidingContact, Listing
from .received import received_section

PAGE_SIZE = 20


def _municipality(slug) -> Municipality:
    return get_object_or_404(Municipality, slug=slug)


def _refused(request, exc) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc))


def _require(request, perm, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _common(request, municipality, active: str) -> dict:
    return {
        "municipality": municipality,
        "active": active,
        "can_moderate": request.user.has_perm("portal.moderate_board", municipality),
        "can_manage_guidance": request.user.has_perm("portal.manage_guidance", municipality),
    }


# -- public ---------------------------------------------------------------------------------------


def municipalities(request):
    return render(
        request, "portal/municipalities.html", {"municipalities": selectors.municipalities_public()}
    )


def start(request, slug):
    """The municipality's start page: every way to support, narrowed by the guide (GET, no JavaScript)."""
    municipality = _municipality(slug)
    form = forms.GuideForm(request.GET or None)
    answers = selectors.Answers()
    if form.is_bound and form.is_valid():
        answers = selectors.Answers(**form.cleaned_data)
    entries = selectors.catalogue(municipality=municipality, answers=answers)
    user = request.user
    apply_organisations = []
    if user.is_authenticated and active_org_roles(user):
        apply_organisations = list(selectors.organisations_for_board(user=user, municipality=municipality))
    return render(
        request,
        "portal/start.html",
        {
            **_common(request, municipality, "start"),
            "form": form,
            "answers": answers,
            "entries": entries,
            "contacts": selectors.guiding_contacts(municipality=municipality),
            "compact": compact_for_public(municipality=municipality),
            "apply_organisations": apply_organisations,
        },
    )


def program(request, slug, pk):
    """One program's public page: the easy-to-read summary first, where written, then the full text."""
    municipality = _municipality(slug)
    entry = selectors.catalogue_entry(municipality=municipality, pk=pk)
    if entry is None:
        raise Http404
    return render(
        request,
        "portal/program.html",
        {
            **_common(request, municipality, "program"),
            "entry": entry,
        },
    )


def directory(request, slug):
    municipality = _municipality(slug)
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, selectors.directory(municipality=municipality, query=query), PAGE_SIZE)
    return render(
        request,
        "portal/directory.html",
        {
            **_common(request, municipality, "directory"),
            "form": form,
            "page": page,
            "query": query,
            "query_string": query_without_page(request),
            "my_listings": selectors.listable_organisations(user=request.user)
            if request.user.is_authenticated
            else [],
        },
    )


def organisation(request, slug, pk):
    municipality = _municipality(slug)
    entry = selectors.directory_entry(municipality=municipality, pk=pk)
    if entry is None:
        raise Http404
    return render(
        request,
        "portal/organisation.html",
        {
            **_common(request, municipality, "directory"),
            "organisation": entry,
            "listing": entry.listing,
            "received": received_section(organisation=entry, municipality=municipality),
            "can_edit": request.user.has_perm("portal.edit_listing", entry),
        },
    )


def board(request, slug):
    municipality = _municipality(slug)
    form = forms.BoardFilterForm(request.GET or None)
    kind = query = ""
    if form.is_valid():
        kind, query = form.cleaned_data["kind"], form.cleaned_data["q"]
    page = paginate(
        request, selectors.board_public(municipality=municipality, kind=kind, query=query), PAGE_SIZE
    )
    return render(
        request,
        "portal/board.html",
        {
            **_common(request, municipality, "board"),
            "form": form,
            "page": page,
            "query_string": query_without_page(request),
            "mine": selectors.board_of_user(user=request.user, municipality=municipality)[:20],
            "can_post": request.user.is_authenticated
            and request.user.has_perm("portal.post_on_board", municipality),
        },
    )


def _post(request, slug, pk) -> BoardPost:
    municipality = _municipality(slug)
    return get_permitted_or_404(
        selectors.post_detail_queryset().filter(municipality=municipality),
        "portal.view_post",
        request.user,
        pk=pk,
    )


def post_detail(request, slug, pk):
    post = _post(request, slug, pk)
    user = request.user
    context = {
        **_common(request, post.municipality, "board"),
        "post": post,
        "can_see_responses": user.has_perm("portal.view_responses", post),
        "is_staff_here": user.has_perm("portal.moderate_post", post)
        or user.has_perm("portal.refer_post", post),
    }
    if context["can_see_responses"]:
        context["responses"] = selectors.post_responses(post=post)
    if user.has_perm("portal.respond_to_post", post):
        organisations = Organisation.objects.filter(pk__in=list(active_org_roles(user))).order_by("name")
        context["response_form"] = forms.ResponseForm(organisations=organisations)
    options = [o for o in transitions_for(post, by=user) if o.permitted] if user.is_authenticated else []
    for option in options:
        option.url = reverse(
            "portal:post_transition",
            kwargs={"slug": post.municipality.slug, "pk": post.pk, "name": option.name},
        )
    context["options"] = options
    context["reason_form"] = forms.ReasonForm()
    if user.has_perm("portal.point_post", post):
        context["point_form"] = forms.PointForm(
            programs=selectors.programs_for_pointing(municipality=post.municipality),
            initial={"program": post.program_id},
        )
    context["can_refer"] = (
        user.has_perm("portal.refer_post", post)
        and post.partnership_id is None
        and post.kind == BoardPost.Kind.INITIATIVE
        and post.organisation_id is not None
        and post.state in (BoardPost.State.PUBLISHED, BoardPost.State.PENDING)
    )
    return render(request, "portal/post_detail.html", context)


@login_required
def post_new(request, slug):
    municipality = _municipality(slug)
    _require(request, "portal.post_on_board", municipality)
    as_staff = request.user.has_perm("portal.moderate_board", municipality)
    organisations = selectors.organisations_for_board(user=request.user, municipality=municipality)
    initial = {}
    if as_staff:
        contact = municipality.guiding_contacts.order_by("order", "pk").first()
        if contact:
            initial["contact"] = "\n".join(x for x in (contact.title, contact.email, contact.phone) if x)
    form = forms.PostForm(
        request.POST or None, organisations=organisations, as_staff=as_staff, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            post = services.board_post_create(
                municipality=municipality,
                organisation=form.cleaned_data["organisation"],
                data=form.cleaned_data,
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if post.state == BoardPost.State.PUBLISHED:
                messages.success(request, _("The post is published."))
            else:
                messages.success(
                    request, _("Thank you. The post is shown when the municipality has approved it.")
                )
            return redirect("portal:post", slug=slug, pk=post.pk)
    return render(
        request,
        "portal/post_form.html",
        {**_common(request, municipality, "board"), "form": form, "as_staff": as_staff},
    )


@login_required
@require_POST
def post_respond(request, slug, pk):
    post = _post(request, slug, pk)
    _require(request, "portal.respond_to_post", post)
    organisations = Organisation.objects.filter(pk__in=list(active_org_roles(request.user)))
    form = forms.ResponseForm(request.POST, organisations=organisations)
    if form.is_valid():
        services.board_response_create(
            post=post, organisation=form.cleaned_data["organisation"], data=form.cleaned_data, by=request.user
        )
        messages.success(request, _("Your answer is sent to the poster."))
    else:
        messages.error(request, _("Write a message and how to reach you."))
    return redirect("portal:post", slug=slug, pk=post.pk)


@login_required
def post_refer(request, slug, pk):
    post = _post(request, slug, pk)
    _require(request, "portal.refer_post", post)
    committees = Committee.objects.filter(municipality=post.municipality).order_by("name")
    initial = {
        "title": post.title,
        "social_need": post.body,
        "proposed_solution": post.body,
        "target_group": post.target_group,
    }
    form = forms.ReferForm(request.POST or None, committees=committees, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        committee = data.pop("committee")
        try:
            partnership = services.board_post_refer(
                post=post, committee=committee, data=data, by=request.user
            )
        except (TransitionRefused, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                _("The initiative is registered as %(number)s.") % {"number": partnership.case_number},
            )
            return redirect("portal:post", slug=slug, pk=post.pk)
    return render(
        request,
        "portal/post_refer.html",
        {**_common(request, post.municipality, "board"), "post": post, "form": form},
    )


@login_required
@require_POST
def post_program(request, slug, pk):
    post = _post(request, slug, pk)
    _require(request, "portal.point_post", post)
    form = forms.PointForm(
        request.POST, programs=selectors.programs_for_pointing(municipality=post.municipality)
    )
    if form.is_valid():
        services.board_post_point_to_program(post=post, program=form.cleaned_data["program"], by=request.user)
        messages.success(request, _("The suggestion is saved."))
    return redirect("portal:post", slug=slug, pk=post.pk)


@login_required
def moderation(request, slug):
    municipality = _municipality(slug)
    _require(request, "portal.moderate_board", municipality)
    state = request.GET.get("state", "")
    page = paginate(request, selectors.board_moderation(municipality=municipality, state=state), PAGE_SIZE)
    return render(
        request,
        "portal/moderation.html",
        {
            **_common(request, municipality, "moderation"),
            "page": page,
            "state": state,
            "states": BoardPost.State.choices,
            "query_string": query_without_page(request),
        },
    )


# -- staff: the guiding function and the programs' guide data --------------------------------------


@login_required
def guidance(request, slug):
    municipality = _municipality(slug)
    _require(request, "portal.manage_guidance", municipality)
    programs = Program.objects.filter(municipality=municipality).select_related("guide").order_by("name")
    return render(
        request,
        "portal/guidance.html",
        {
            **_common(request, municipality, "guidance"),
            "contacts": selectors.guiding_contacts(municipality=municipality),
            "programs": programs,
        },
    )


@login_required
def contact_edit(request, slug, pk=None):
    municipality = _municipality(slug)
    _require(request, "portal.manage_guidance", municipality)
    contact = get_object_or_404(GuidingContact, pk=pk, municipality=municipality) if pk else None
    form = forms.GuidingContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        if contact is not None and form.cleaned_data.get("remove"):
            services.guiding_contact_delete(contact=contact, by=request.user)
            messages.success(request, _("The contact is removed."))
        else:
            services.guiding_contact_save(
                municipality=municipality, contact=contact, data=form.cleaned_data, by=request.user
            )
            messages.success(request, _("The contact is saved."))
        return redirect("portal:guidance", slug=slug)
    if contact is None:
        del form.fields["remove"]
    return render(
        request,
        "portal/contact_form.html",
        {**_common(request, municipality, "guidance"), "form": form, "contact": contact},
    )


@login_required
def program_guide(request, slug, pk):
    municipality = _municipality(slug)
    _require(request, "portal.manage_guidance", municipality)
    program = get_object_or_404(Program.objects.select_related("guide"), pk=pk, municipality=municipality)
    guide = getattr(program, "guide", None)
    form = forms.ProgramGuideForm(request.POST or None, instance=guide)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_guide_save(program=program, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The guide information is saved."))
            return redirect("portal:guidance", slug=slug)
    return render(
        request,
        "portal/program_guide.html",
        {**_common(request, municipality, "guidance"), "form": form, "program": program},
    )


# -- the organisation's own listing ----------------------------------------------------------------


@login_required
def listing_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm("organizations.view_organisation", organisation):
        raise Http404
    _require(request, "portal.edit_listing", organisation)
    listing = Listing.objects.filter(organisation=organisation).first() or Listing(
        organisation=organisation, description=organisation.purpose, website=organisation.website
    )
    form = forms.ListingForm(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        services.listing_save(organisation=organisation, data=form.cleaned_data, by=request.user)
        messages.success(request, _("The directory entry is saved."))
        return redirect("portal:listing_edit", pk=organisation.pk)
    municipalities = organisation.municipalities.order_by("name")
    return render(
        request,
        "portal/listing_form.html",
        {"form": form, "organisation": organisation, "listing": listing, "municipalities": municipalities},
    )


@login_required
def my_letters(request):
    """The decision letters of the user's organisations: grants, and awards with their diplomas."""
    from awards.selectors import award_documents_of_applicant
    from grants.selectors import letters_of_applicant

    page = paginate(request, letters_of_applicant(user=request.user))
    return render(
        request,
        "portal/my_letters.html",
        {
            "page": page,
            "query_string": query_without_page(request),
            "awards": award_documents_of_applicant(user=request.user),
        },
    )


# -- the notice board ------------------------------------------------------------------------------

NOTICE_ARCHIVE_PAGE_SIZE = 25


def notices(request, slug):
    """The municipality's digital notice board: what is posted today."""
    municipality = _municipality(slug)
    return render(
        request,
        "portal/notices.html",
        {
            **_common(request, municipality, "notices"),
            "notices": list(notices_current(municipality=municipality)),
            "can_post_notice": request.user.has_perm("meetings.post_notice", municipality),
        },
    )


def notices_archive(request, slug):
    municipality = _municipality(slug)
    page = paginate(request, notices_archived(municipality=municipality), NOTICE_ARCHIVE_PAGE_SIZE)
    return render(
        request,
        "portal/notices_archive.html",
        {
            **_common(request, municipality, "notices"),
            "page": page,
            "query_string": query_without_page(request),
        },
    )


def notice_document(request, slug, pk):
    """The PDF of a notice while it is on the board (the minutes with their posting certificate)."""
    municipality = _municipality(slug)
    notice = notice_public(municipality=municipality, pk=pk)
    document = notice_document_of(notice) if notice is not None else None
    if document is None:
        raise Http404
    return file_download(
        document.file, filename=f"anslag-{notice.pk}-{document.kind}-v{document.version}.pdf"
    )


@login_required
def notice_new(request, slug):
    municipality = _municipality(slug)
    _require(request, "meetings.post_notice", municipality)
    form = forms.NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.notice_post(municipality=municipality, **form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The notice is posted."))
            return redirect("portal:notices", slug=slug)
    return render(
        request, "portal/notice_form.html", {**_common(request, municipality, "notices"), "form": form}
    )


# -- open calls as data ----------------------------------------------------------------------------


@cache_control(public=True, max_age=feeds.MAX_AGE)
def open_calls_json(request, slug=None):
    municipality = _municipality(slug) if slug else None
    return JsonResponse(
        feeds.calls_as_data(municipality=municipality), json_dumps_params={"ensure_ascii": False}
    )


open_calls_feed = cache_control(public=True, max_age=feeds.MAX_AGE)(feeds.OpenCallsFeed())
notices_feed = cache_control(public=True, max_age=feeds.MAX_AGE)(feeds.NoticesFeed())


# -- the accessibility statement -------------------------------------------------------------------


def accessibility(request):
    """The accessibility statement (DIGG's model), and the form to report a barrier."""
    form = forms.BarrierReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.barrier_report_create(data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Thank you. We have received your report and answer within %(days)s days.")
                % {"days": settings.BIDRA_ACCESSIBILITY_ANSWER_DAYS},
            )
            return redirect("portal:accessibility")
    return render(
        request,
        "portal/accessibility.html",
        {
            "form": form,
            "reviewed_on": settings.BIDRA_ACCESSIBILITY_REVIEWED_ON,
            "deviations": settings.BIDRA_ACCESSIBILITY_DEVIATIONS,
            "contact_email": settings.BIDRA_ACCESSIBILITY_CONTACT_EMAIL,
            "answer_days": settings.BIDRA_ACCESSIBILITY_ANSWER_DAYS,
        },
    )


@login_required
def barrier_reports(request):
    if not request.user.has_perm("portal.handle_barrier_reports"):
        raise PermissionDenied
    state = request.GET.get("state", "")
    page = paginate(request, selectors.barrier_reports(state=state), PAGE_SIZE)
    return render(
        request,
        "portal/barrier_reports.html",
        {
            "page": page,
            "state": state,
            "states": BarrierReport.State.choices,
            "query_string": query_without_page(request),
            "answer_days": settings.BIDRA_ACCESSIBILITY_ANSWER_DAYS,
        },
    )


@login_required
def barrier_report(request, pk):
    if not request.user.has_perm("portal.handle_barrier_reports"):
        raise PermissionDenied
    report = get_object_or_404(selectors.barrier_reports(), pk=pk)
    form = forms.BarrierAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.barrier_report_answer(report=report, answer=form.cleaned_data["answer"], by=request.user)
        except (TransitionRefused, ValidationError) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The answer is saved and sent."))
            return redirect("portal:barrier_reports")
    return render(
        request,
        "portal/barrier_report.html",
        {"report": report, "form": form if report.state == BarrierReport.State.RECEIVED else None},
    )
