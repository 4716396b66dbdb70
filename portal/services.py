"""Changes on the one-way-in pages: guidance, listings and the board.  Views, demo and tasks call these."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.services import partnership_initiate
from workflows.services import (
    TransitionRefused,
    outbox_enqueue,
    perform_transition,
    require,
    system_user,
    transition_check,
)

from .models import BarrierReport, BoardPost, BoardResponse, GuidingContact, Listing, ProgramGuide

CONTACT_FIELDS = ["title", "name", "email", "phone", "hours", "order"]
GUIDE_FIELDS = ["purposes", "target_groups", "min_amount", "max_amount", "max_members"]
LISTING_FIELDS = ["listed", "description", "public_email", "public_phone", "website", "purposes"]
POST_FIELDS = ["kind", "title", "body", "area", "target_group", "contact", "expires_on"]
#: transitions a page may ask for by name; referral and expiry have their own service
SIMPLE_TRANSITIONS = {"approve", "reject", "hide", "restore", "close"}
#: the longest a post stays on the board
MAX_DAYS_ON_BOARD = 365


def _link(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


# -- the guiding function and the programs' guide data ---------------------------------------------


def guiding_contact_save(
    *, municipality, data: dict, by, contact: GuidingContact | None = None
) -> GuidingContact:
    require(by, "portal.manage_guidance", municipality)
    contact = contact or GuidingContact(municipality=municipality)
    if contact.municipality_id != municipality.pk:
        raise PermissionDenied
    for key in CONTACT_FIELDS:
        if key in data:
            setattr(contact, key, data[key])
    contact.full_clean()
    contact.save()
    return contact


def guiding_contact_delete(*, contact: GuidingContact, by) -> None:
    require(by, "portal.manage_guidance", contact.municipality)
    contact.delete()


def program_guide_save(*, program, data: dict, by) -> ProgramGuide:
    require(by, "portal.manage_guidance", program.municipality)
    guide, _created = ProgramGuide.objects.get_or_create(program=program)
    for key in GUIDE_FIELDS:
        if key in data:
            setattr(guide, key, data[key])
    if guide.min_amount is not None and guide.max_amount is not None and guide.min_amount > guide.max_amount:
        raise ValidationError(_("The smallest amount cannot be larger than the largest."))
    guide.save()
    return guide


# -- the directory ---------------------------------------------------------------------------------


def listing_save(*, organisation, data: dict, by) -> Listing:
    """The signatory decides whether and how the organisation appears in the public directory."""
    require(by, "portal.edit_listing", organisation)
    listing, _created = Listing.objects.get_or_create(organisation=organisation)
    for key in LISTING_FIELDS:
        if key in data:
            setattr(listing, key, data[key])
    listing.updated_by = by
    listing.full_clean()
    listing.save()
    return listing


# -- the board -------------------------------------------------------------------------------------


def _validate_post(data: dict) -> None:
    expires_on: date = data["expires_on"]
    today = timezone.localdate()
    if expires_on < today:
        raise ValidationError(_("The last day must be today or later."))
    if (expires_on - today).days > MAX_DAYS_ON_BOARD:
        raise ValidationError(_("A post can be shown for at most a year."))


def _moderator_emails(municipality) -> list[str]:
    return list(municipality.guiding_contacts.values_list("email", flat=True)[:3])


def board_post_create(*, municipality, organisation, data: dict, by) -> BoardPost:
    """Post a need or an initiative.

    An organisation's post waits until the municipality's staff approve it; a
    post by the staff themselves is published at once (still through the
    logged transition).
    """
    if organisation is None:
        require(by, "portal.moderate_board", municipality)
    else:
        if not organisation.activities.filter(municipality=municipality).exists():
            raise ValidationError(
                _("%(org)s is not active in %(municipality)s.")
                % {"org": organisation.name, "municipality": municipality.name}
            )
        from organizations.permissions import active_org_roles

        if organisation.pk not in active_org_roles(by):
            raise PermissionDenied(_("You can only post for an organisation you act for."))
    _validate_post(data)
    with transaction.atomic():
        post = BoardPost(municipality=municipality, organisation=organisation, author=by)
        for key in POST_FIELDS:
            setattr(post, key, data[key])
        post.full_clean(exclude=["state"])
        post.save()
        if organisation is None:
            perform_transition(post, "approve", by=by, reason=_("Posted by the municipality"))
        else:
            for to in _moderator_emails(municipality):
                outbox_enqueue(
                    key=f"portal:post-pending:{post.pk}:{to}",
                    to=to,
                    subject=_("A post on the board awaits approval: %(title)s") % {"title": post.title},
                    template="portal/email/post_pending.txt",
                    context={"post": post, "link": _link("portal:moderation", slug=municipality.slug)},
                )
    return post


def board_post_transition(*, post: BoardPost, name: str, by, reason: str = "") -> BoardPost:
    if name not in SIMPLE_TRANSITIONS:
        raise ValueError(name)
    if name in ("reject", "hide") and not reason.strip():
        raise ValidationError(_("Say why, so that the poster understands."))
    with transaction.atomic():
        post = BoardPost.objects.select_for_update().get(pk=post.pk)
        perform_transition(post, name, by=by, reason=reason)
        if name in ("reject", "hide"):
            post.moderation_note = reason
            post.save(update_fields=["moderation_note"])
        if name in ("approve", "reject", "hide") and post.author_id != by.pk:
            outbox_enqueue(
                key=f"portal:post-{name}:{post.pk}:{timezone.now():%Y%m%d%H%M%S}",
                to=post.author.email,
                subject=_("Your post “%(title)s” is now: %(state)s")
                % {"title": post.title, "state": post.get_state_display()},
                template="portal/email/post_state.txt",
                context={"post": post, "reason": reason, "link": _post_link(post)},
            )
    return post


def _post_link(post: BoardPost) -> str:
    return _link("portal:post", slug=post.municipality.slug, pk=post.pk)


def board_post_refer(*, post: BoardPost, committee, data: dict, by):
    """Turn an organisation's initiative into a registered partnership initiative, keeping the link both ways."""
    require(by, "portal.refer_post", post)
    if committee.municipality_id != post.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        post = (
            BoardPost.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=post.pk)
        )
        if post.partnership_id:
            raise ValidationError(_("This post is already a partnership initiative."))
        option = transition_check(post, "refer", by=by)
        if not option.allowed:
            raise TransitionRefused(option.reasons)
        partnership = partnership_initiate(
            organisation=post.organisation, committee=committee, data=data, by=by
        )
        post.partnership = partnership
        perform_transition(
            post, "refer", by=by, reason=_("Registered as %(number)s") % {"number": partnership.case_number}
        )
    return partnership


def board_post_point_to_program(*, post: BoardPost, program, by) -> BoardPost:
    """Staff suggest a program that fits the need or initiative (shown on the post)."""
    require(by, "portal.point_post", post)
    if program is not None and program.municipality_id != post.municipality_id:
        raise PermissionDenied
    post.program = program
    post.save(update_fields=["program"])
    return post


def board_response_create(*, post: BoardPost, organisation, data: dict, by) -> BoardResponse:
    """A signed-in user answers a published post; only the poster and staff see it."""
    require(by, "portal.respond_to_post", post)
    if organisation is not None:
        from organizations.permissions import active_org_roles

        if organisation.pk not in active_org_roles(by):
            raise PermissionDenied
    with transaction.atomic():
        response = BoardResponse.objects.create(
            post=post, author=by, organisation=organisation, message=data["message"], contact=data["contact"]
        )
        outbox_enqueue(
            key=f"portal:response:{response.pk}",
            to=post.author.email,
            subject=_("Someone answered your post “%(title)s”") % {"title": post.title},
            template="portal/email/response.txt",
            context={"post": post, "response": response, "link": _post_link(post)},
        )
    return response


def board_posts_expire(*, today: date | None = None) -> int:
    """Posts past their last day leave the board (each with its log row).  Safe to run twice."""
    today = today or timezone.localdate()
    by = system_user()
    count = 0
    due = BoardPost.objects.filter(
        state__in=[BoardPost.State.PENDING, BoardPost.State.PUBLISHED, BoardPost.State.HIDDEN],
        expires_on__lt=today,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            post = BoardPost.objects.select_for_update().get(pk=pk)
            if post.state in (BoardPost.State.PENDING, BoardPost.State.PUBLISHED, BoardPost.State.HIDDEN):
                perform_transition(post, "expire", by=by, reason=_("The last day has passed."))
                count += 1
    return count


# -- the accessibility statement: reports of barriers ----------------------------------------------

BARRIER_FIELDS = ["page_url", "description", "name", "email"]


def barrier_report_create(*, data: dict, by=None) -> BarrierReport:
    """Anyone reports a barrier; support staff are told at the statement's contact address."""
    if not (data.get("description") or "").strip():
        raise ValidationError(_("Tell us what did not work."))
    report = BarrierReport(reported_by=by if by is not None and by.is_authenticated else None)
    for key in BARRIER_FIELDS:
        setattr(report, key, (data.get(key) or "").strip())
    report.full_clean(exclude=["state"])
    with transaction.atomic():
        report.save()
        outbox_enqueue(
            key=f"portal:barrier-received:{report.pk}",
            to=settings.BIDRA_ACCESSIBILITY_CONTACT_EMAIL,
            subject=_("A report of an accessibility barrier"),
            template="portal/email/barrier_received.txt",
            context={"report": report, "link": _link("portal:barrier_reports")},
        )
    return report


def barrier_report_answer(*, report: BarrierReport, answer: str, by) -> BarrierReport:
    """Support staff answer; the answer goes to the reporter when they gave an address."""
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Write an answer."))
    with transaction.atomic():
        report = BarrierReport.objects.select_for_update().get(pk=report.pk)
        report.answer = answer
        report.answered_by = by
        perform_transition(report, "respond", by=by, reason=answer[:200])
        outbox_enqueue(
            key=f"portal:barrier-answered:{report.pk}",
            to=report.email,
            subject=_("Answer to your report of an accessibility barrier"),
            template="portal/email/barrier_answered.txt",
            context={"report": report},
        )
    return report
