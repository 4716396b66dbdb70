"""Who may reach each page and action of the one way in: the public pages, the board and the staff's settings."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Notice

from ..authz import EVERYONE, SIGNED_IN, Action, Page
from ..security.authz import NOBODY, _support
from .factories import (
    barrier_report,
    contact,
    easy_read_program,
    listed,
    minutes_pdf,
    open_program,
    org_post,
    other_notice,
    posted_minutes,
    program,
)

POSTERS = frozenset({"applicant", "caseworker", "program_admin"})
MODERATORS = frozenset({"caseworker", "program_admin"})
PROGRAM_ADMIN = frozenset({"program_admin"})
CASEWORKER = frozenset({"caseworker"})
EXEMPLO_STAFF = frozenset({"caseworker", "secretary", "member", "program_admin"})
SECRETARY = frozenset({"secretary"})


def _slug(world):
    return {"slug": world.municipality.slug}


def _post(state):
    return lambda w: {"slug": w.municipality.slug, "pk": org_post(w, state=state).pk}


def _program(world):
    return {"slug": world.municipality.slug, "pk": program(world).pk}


def _easy_read_program(world):
    return {"slug": world.municipality.slug, "pk": easy_read_program(world).pk}


def _listed(world):
    listed(world)
    return {"slug": world.municipality.slug, "pk": world.organisation.pk}


def _taken_down(world):
    """A notice that was on the board a while ago and is taken down."""
    today = timezone.localdate()
    Notice.objects.create(
        municipality=world.municipality,
        title="Kungörelse: val av nämndemän",
        posted_on=today - timedelta(days=60),
        taken_down_on=today - timedelta(days=30),
        posted_by=world.users["secretary"],
    )


def _minutes_notice(world):
    meeting = minutes_pdf(world, posted_minutes(world))
    return {"slug": world.municipality.slug, "pk": meeting.notice.pk}


def _notice_data(world):
    today = timezone.localdate()
    return {
        "title": "Kungörelse",
        "body": "Nämnden sammanträder.",
        "posted_on": today.isoformat(),
        "taken_down_on": (today + timedelta(days=14)).isoformat(),
    }


URLS = [
    Page("portal:municipalities", EVERYONE),
    Page("portal:start", EVERYONE, kwargs=_slug, setup=lambda w: (contact(w), program(w))),
    Page(
        "portal:start",
        EVERYONE,
        kwargs=_slug,
        query="?kind=nonprofit&purpose=elderly&size=small&amount=20000",
        setup=lambda w: program(w),
        label="portal:start (guide answered)",
    ),
    Page(
        "portal:start",
        EVERYONE,
        kwargs=_slug,
        setup=easy_read_program,
        label="portal:start (a program with an easy-to-read summary)",
    ),
    Page("portal:program", EVERYONE, kwargs=_program, label="portal:program (no easy-to-read summary)"),
    Page(
        "portal:program",
        EVERYONE,
        kwargs=_easy_read_program,
        label="portal:program (with an easy-to-read summary)",
    ),
    Page("portal:directory", EVERYONE, kwargs=_slug, setup=listed),
    Page(
        "portal:directory",
        EVERYONE,
        kwargs=_slug,
        query="?q=Trygg",
        setup=listed,
        label="portal:directory (search)",
    ),
    Page("portal:organisation", EVERYONE, kwargs=_listed),
    Page("portal:board", EVERYONE, kwargs=_slug, setup=lambda w: org_post(w)),
    Page("portal:post_new", POSTERS, kwargs=_slug),
    Page("portal:moderation", MODERATORS, kwargs=_slug, setup=lambda w: org_post(w, state="pending")),
    Page("portal:post", EVERYONE, kwargs=_post("published"), label="portal:post (published)"),
    Page(
        "portal:post", EXEMPLO_STAFF | {"applicant"}, kwargs=_post("pending"), label="portal:post (pending)"
    ),
    Page(
        "portal:post",
        EVERYONE,
        kwargs=_post("published"),
        a11y_role="caseworker",
        label="portal:post (published, as staff)",
    ),
    Action(
        "portal:post_respond",
        SIGNED_IN - {"applicant"},
        kwargs=_post("published"),
        data=lambda w: {"message": "Vi vill gärna vara med.", "contact": "info@grannby-if.example"},
    ),
    Action(
        "portal:post_transition",
        frozenset({"applicant", "caseworker", "program_admin"}),
        kwargs=lambda w: {**_post("published")(w), "name": "close"},
        label="portal:post_transition (close)",
    ),
    Action(
        "portal:post_transition",
        MODERATORS,
        kwargs=lambda w: {**_post("pending")(w), "name": "approve"},
        label="portal:post_transition (approve)",
    ),
    Page("portal:post_refer", CASEWORKER, kwargs=_post("published")),
    Action(
        "portal:post_program",
        MODERATORS,
        kwargs=_post("published"),
        data=lambda w: {"program": program(w).pk},
    ),
    Page("portal:guidance", PROGRAM_ADMIN, kwargs=_slug, setup=lambda w: (contact(w), program(w))),
    Page("portal:contact_new", PROGRAM_ADMIN, kwargs=_slug),
    Page("portal:contact_edit", PROGRAM_ADMIN, kwargs=lambda w: {**_slug(w), "pk": contact(w).pk}),
    Page("portal:program_guide", PROGRAM_ADMIN, kwargs=lambda w: {**_slug(w), "pk": program(w).pk}),
    Page("portal:listing_edit", frozenset({"applicant"}), kwargs=lambda w: {"pk": w.organisation.pk}),
    # the digital notice board
    Page("portal:notices", EVERYONE, kwargs=_slug, setup=lambda w: (posted_minutes(w), other_notice(w))),
    Page("portal:notices_archive", EVERYONE, kwargs=_slug, setup=_taken_down),
    Page("portal:notices_feed", EVERYONE, kwargs=_slug, html=False, setup=lambda w: posted_minutes(w)),
    Page("portal:notice_new", SECRETARY, kwargs=_slug),
    Action("portal:notice_new", SECRETARY, kwargs=_slug, data=_notice_data, label="portal:notice_new (post)"),
    Page("portal:notice_document", EVERYONE, kwargs=_minutes_notice, html=False),
    # open calls as data
    Page("portal:open_calls_json", EVERYONE, kwargs=_slug, html=False, setup=open_program),
    Page("portal:open_calls_feed", EVERYONE, kwargs=_slug, html=False, setup=open_program),
    Page("portal:all_open_calls_json", EVERYONE, html=False, setup=open_program),
    Page("portal:all_open_calls_feed", EVERYONE, html=False, setup=open_program),
    # the accessibility statement; support staff answer the reports of barriers
    Page("portal:accessibility", EVERYONE),
    Action(
        "portal:accessibility",
        EVERYONE,
        data=lambda w: {"description": "Knappen går inte att nå med tangentbordet.", "page_url": "/"},
        label="portal:accessibility (report a barrier)",
    ),
    Page(
        "portal:barrier_reports",
        NOBODY,
        setup=lambda w: (_support(w), barrier_report(w)),
        a11y_role="support",
    ),
    Page(
        "portal:barrier_report",
        NOBODY,
        kwargs=lambda w: {"pk": barrier_report(w).pk},
        setup=_support,
        a11y_role="support",
    ),
    Action(
        "portal:barrier_report",
        NOBODY,
        kwargs=lambda w: {"pk": barrier_report(w).pk},
        data=lambda w: {"answer": "Tack, vi rättar det."},
        label="portal:barrier_report (answer)",
    ),
]
