"""Who may reach the committee-meeting pages and the meetings API."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from meetings import services
from meetings.documents import agenda_document_make

from ..authz import EVERYONE, SIGNED_IN, Action, Page
from .factories import MatterFactory, member

STAFF_HERE = frozenset({"caseworker", "secretary", "member", "program_admin"})
ALL_STAFF = STAFF_HERE | {"other_caseworker"}
SECRETARY = frozenset({"secretary"})
ADJUSTER = frozenset({"member"})


def _meeting(world):
    """A planned meeting with one case, attendance and the agenda document."""
    if "meeting" not in world.objects:
        secretary = world.users["secretary"]
        meeting = services.meeting_create(
            committee=world.committee,
            starts_at=timezone.now() + dt.timedelta(days=20),
            place="Kommunhuset",
            by=secretary,
        )
        matter = MatterFactory(committee=world.committee, organisation=world.organisation)
        (item,) = services.agenda_add(meeting=meeting, cases=[matter], by=secretary)
        second = member(world, "Åsa Öberg", "asa@exemplo.se")
        services.attendance_set(
            meeting=meeting,
            rows=[
                services.AttendanceRow(user=world.users["member"], party="S", adjuster=True),
                services.AttendanceRow(user=second, party="M", adjuster=True),
            ],
            by=secretary,
        )
        world.objects.update(
            meeting=meeting, item=item, document=agenda_document_make(meeting=meeting, by=secretary)
        )
    return world.objects["meeting"]


def _posted(world):
    """A meeting held ten days ago, decided, approved and posted today, with one appeal."""
    if "appeal" not in world.objects:
        secretary = world.users["secretary"]
        meeting = services.meeting_create(
            committee=world.committee,
            starts_at=timezone.now() - dt.timedelta(days=10),
            place="Kommunhuset",
            by=secretary,
        )
        matter = MatterFactory(
            committee=world.committee, organisation=world.organisation, proposed=Decimal(50000)
        )
        (item,) = services.agenda_add(meeting=meeting, cases=[matter], by=secretary)
        second = member(world, "Bo Bergström", "bo@exemplo.se")
        services.attendance_set(
            meeting=meeting,
            rows=[
                services.AttendanceRow(user=world.users["member"], adjuster=True),
                services.AttendanceRow(user=second, adjuster=True),
            ],
            by=secretary,
        )
        services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
        services.meeting_transition(meeting=meeting, name="hold", by=secretary)
        services.decisions_record(meeting=meeting, group_no=item.group_no, by=secretary)
        services.minutes_approve(meeting=meeting, by=world.users["member"])
        services.minutes_approve(meeting=meeting, by=second)
        services.meeting_post(meeting=meeting, posted_on=timezone.localdate(), by=secretary)
        world.objects["posted_item"] = item
        world.objects["appeal"] = services.appeal_register(
            item=item, appellant="Kim Kommuninvånare", lodged_on=timezone.localdate(), by=secretary
        )
    return world.objects["appeal"]


def _held(world):
    """The planned meeting, published and held (it took place this morning): its groups wait for decisions."""
    meeting = _meeting(world)
    if meeting.state == "planned":
        secretary = world.users["secretary"]
        services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
        type(meeting).objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
        services.meeting_transition(meeting=meeting, name="hold", by=secretary)
        meeting.refresh_from_db()
    return {"pk": meeting.pk, "group": world.objects["item"].group_no}


def _long_agenda(world):
    """A held meeting with 110 cases in two groups: the second group goes on to page 2."""
    secretary = world.users["secretary"]
    meeting = services.meeting_create(
        committee=world.committee,
        starts_at=timezone.now() - dt.timedelta(days=1),
        place="Kommunhuset",
        by=secretary,
    )
    matters = [
        MatterFactory(committee=world.committee, organisation=world.organisation, program=program)
        for program, n in (("Verksamhetsstöd 2027", 60), ("Projektstöd 2027", 50))
        for _ in range(n)
    ]
    services.agenda_add(meeting=meeting, cases=matters, by=secretary)
    services.meeting_transition(meeting=meeting, name="publish_agenda", by=secretary)
    services.attendance_set(
        meeting=meeting,
        rows=[
            services.AttendanceRow(user=world.users["member"], adjuster=True),
            services.AttendanceRow(user=member(world, "Cecilia Ek", "cecilia@exemplo.se"), adjuster=True),
        ],
        by=secretary,
    )
    services.meeting_transition(meeting=meeting, name="hold", by=secretary)
    return {"pk": meeting.pk}


def _pk(world):
    return {"pk": _meeting(world).pk}


def _item(world):
    _meeting(world)
    return {"pk": world.objects["item"].pk}


URLS = [
    Page("workflows:source", EVERYONE),
    Page("workflows:source_archive", EVERYONE, html=False),
    Page("meetings:meetings", ALL_STAFF),
    Page(
        "meetings:meeting_list",
        STAFF_HERE,
        kwargs=lambda w: {"committee_pk": w.committee.pk},
        setup=_meeting,
    ),
    Page("meetings:meeting_create", SECRETARY, kwargs=lambda w: {"committee_pk": w.committee.pk}),
    Action(
        "meetings:meeting_create",
        SECRETARY,
        kwargs=lambda w: {"committee_pk": w.committee.pk},
        data=lambda w: {"starts_at": "2027-06-10T13:00", "place": "Kommunhuset"},
        label="meetings:meeting_create (post)",
    ),
    Page("meetings:meeting_detail", STAFF_HERE, kwargs=_pk),
    Page(
        "meetings:meeting_detail",
        STAFF_HERE,
        kwargs=lambda w: {"pk": _posted(w).decision.item.meeting_id},
        label="meetings:meeting_detail (posted, appealed)",
    ),
    Page(
        "meetings:meeting_detail",
        STAFF_HERE,
        kwargs=_long_agenda,
        query="?page=2",
        a11y_role="secretary",
        label="meetings:meeting_detail (a long agenda, page 2)",
    ),
    Page("meetings:meeting_attendance", SECRETARY, kwargs=_pk),
    Action(
        "meetings:meeting_attendance",
        SECRETARY,
        kwargs=_pk,
        data=lambda w: {f"m{w.users['member'].pk}-present": "on", f"m{w.users['member'].pk}-role": "member"},
        label="meetings:meeting_attendance (post)",
    ),
    Page("meetings:meeting_agenda", SECRETARY, kwargs=_pk),
    Action(
        "meetings:meeting_transition",
        SECRETARY,
        kwargs=lambda w: {"pk": _meeting(w).pk, "name": "publish_agenda"},
    ),
    Page("meetings:meeting_decide", SECRETARY, kwargs=lambda w: {"pk": _meeting(w).pk, "group": 1}),
    Page("meetings:meeting_decide", SECRETARY, kwargs=_held, label="meetings:meeting_decide (held)"),
    Page(
        "meetings:item_recusal",
        STAFF_HERE,
        kwargs=_item,
        a11y_role="secretary",
        label="meetings:item_recusal (secretary)",
    ),
    Page("meetings:minutes_approve", ADJUSTER, kwargs=_pk),
    Page(
        "meetings:minutes_approve",
        ADJUSTER,
        kwargs=lambda w: {"pk": _held(w)["pk"]},
        label="meetings:minutes_approve (held)",
    ),
    Page("meetings:meeting_post", SECRETARY, kwargs=_pk),
    Action("meetings:meeting_documents_make", SECRETARY, kwargs=_pk),
    Page(
        "meetings:meeting_document",
        STAFF_HERE,
        kwargs=lambda w: {"pk": _meeting(w).pk, "document_pk": w.objects["document"].pk},
        html=False,
    ),
    Page("meetings:item_recusal", STAFF_HERE, kwargs=_item),
    Action(
        "meetings:item_recusal",
        STAFF_HERE,
        kwargs=_item,
        data=lambda w: {"reason": "Sitter i föreningens styrelse."},
        label="meetings:item_recusal (post)",
    ),
    Page("meetings:appeal_register", SECRETARY, kwargs=lambda w: {"pk": _posted(w).decision.item_id}),
    Page("meetings:appeal_resolve", SECRETARY, kwargs=lambda w: {"pk": _posted(w).pk}),
    Page(
        "workflows:history",
        STAFF_HERE,
        label="workflows:history (meeting)",
        kwargs=lambda w: {"app_label": "meetings", "model": "meeting", "pk": _meeting(w).pk},
    ),
    Page("api:meeting-list", SIGNED_IN, html=False, setup=_meeting),
    Page("api:meeting-detail", STAFF_HERE, kwargs=_pk, html=False),
    Page("api:meeting-transitions", STAFF_HERE, kwargs=_pk, html=False),
    Page("api:meeting-history", STAFF_HERE, kwargs=_pk, html=False),
    Action(
        "api:meeting-do-transition",
        SECRETARY,
        kwargs=lambda w: {"pk": _meeting(w).pk, "name": "publish_agenda"},
        format="json",
    ),
]
