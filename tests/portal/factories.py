"""Building the one-way-in data through the services, so every state change has its log row."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal import services
from portal.models import BoardPost, GuidingContact

from ..grants.factories import ProgramFactory


def post_data(**overrides) -> dict:
    data = {
        "kind": BoardPost.Kind.INITIATIVE,
        "title": "Språkcafé två gånger i veckan",
        "body": "Vi kan driva ett språkcafé på tisdagar och torsdagar.",
        "area": "Centrum",
        "target_group": "Nyanlända vuxna",
        "contact": "info@tryggvardag.example",
        "expires_on": timezone.localdate() + timedelta(days=30),
    }
    data.update(overrides)
    return data


def org_post(world, *, state: str = "published", key: str | None = None, **overrides) -> BoardPost:
    """An initiative of the world's organisation by its applicant, in ``state`` (memoised by key)."""
    key = key or f"post:{state}"
    if key in world.objects:
        return world.objects[key]
    post = services.board_post_create(
        municipality=world.municipality,
        organisation=world.organisation,
        data=post_data(**overrides),
        by=world.users["applicant"],
    )
    if state in ("published", "hidden"):
        post = services.board_post_transition(post=post, name="approve", by=world.users["caseworker"])
    if state == "hidden":
        post = services.board_post_transition(
            post=post, name="hide", by=world.users["caseworker"], reason="Innehåller personuppgifter."
        )
    world.objects[key] = post
    return post


def listed(world, organisation=None, **data):
    organisation = organisation or world.organisation
    return services.listing_save(
        organisation=organisation,
        data={
            "listed": True,
            "description": "Stöd och gemenskap för äldre som bor ensamma.",
            "public_email": "info@tryggvardag.example",
            "public_phone": "0123-111 11",
            "website": "",
            "purposes": ["elderly"],
            **data,
        },
        by=world.users["applicant"],
    )


def contact(world) -> GuidingContact:
    if "contact" not in world.objects:
        world.objects["contact"] = GuidingContact.objects.create(
            municipality=world.municipality,
            title="Föreningsguiden",
            email="guiden@exemplo.se",
            phone="0123-100",
        )
    return world.objects["contact"]


def program(world):
    if "program" not in world.objects:
        world.objects["program"] = ProgramFactory(committee=world.committee, municipality=world.municipality)
    return world.objects["program"]


# -- the notice board ------------------------------------------------------------------------------


def posted_minutes(world):
    """A meeting held ten days ago whose minutes the secretary posted today (memoised)."""
    from ..workflows.authz import _posted

    _posted(world)
    meeting = world.objects["posted_item"].meeting
    meeting.refresh_from_db()
    return meeting


def minutes_pdf(world, meeting):
    """The minutes as the worker makes them after posting: with the posting certificate."""
    from meetings.documents import meeting_documents_make

    meeting_documents_make(meeting=meeting, kinds=["minutes"], by=world.users["secretary"])
    return meeting


def other_notice(world, **overrides):
    from meetings.services import notice_post

    data = {
        "title": "Kungörelse: Socialnämndens sammanträde i juni",
        "body": "Socialnämnden sammanträder i Kommunhuset.",
        "posted_on": timezone.localdate(),
        "taken_down_on": timezone.localdate() + timedelta(days=14),
    }
    data.update(overrides)
    return notice_post(municipality=world.municipality, **data, by=world.users["secretary"])


def easy_read_program(world):
    """The world's program with a round open now and an easy-to-read summary (memoised)."""
    open_program(world)
    item = program(world)
    if not item.easy_read:
        item.easy_read = (
            "Föreningar kan få pengar från kommunen.\n"
            "Pengarna är till aktiviteter för äldre.\n"
            "Ni söker på webben."
        )
        item.save(update_fields=["easy_read"])
    return item


def open_program(world, **round_fields):
    """The world's program with a round open now (memoised)."""
    from ..grants.factories import RoundFactory

    if "open_round" not in world.objects:
        world.objects["open_round"] = RoundFactory(
            program=program(world), name="Vårens omgång", **round_fields
        )
    return world.objects["open_round"]


def barrier_report(world, **data):
    if "barrier" not in world.objects:
        world.objects["barrier"] = services.barrier_report_create(
            data={
                "page_url": "/kommun/exemplo/anslagstavla/",
                "description": "Datumen läses inte upp av min skärmläsare.",
                "name": "Rut Läsare",
                "email": "rut@example.se",
                **data,
            }
        )
    return world.objects["barrier"]
