"""Demo data of committee meetings: Socialnämnden's June meeting next year (planned) and a
meeting earlier this year that is held, approved and posted.

Idempotent, and every state change goes through the services (so each has its log row), on
its day: the held meeting's agenda published ten days before it, its minutes posted a week after.
The case apps' demos put their proposed cases on the planned meeting.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Meeting
from organizations.demo import COMMITTEE, DEMO_PASSWORD
from organizations.models import StaffRole, User
from workflows.demo_story import at, happened

PLACE = "Kommunhuset, sammanträdesrum Ön"


def at_hour(day: dt.date, hour: int = 13) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def second_member(municipality) -> User:
    user = User.objects.filter(email="ledamot2@exemplo.se").first()
    if user is None:
        user = User.objects.create_user(
            email="ledamot2@exemplo.se",
            password=DEMO_PASSWORD,
            full_name="Åsa Öberg",
            email_verified_at=timezone.now(),
        )
    StaffRole.objects.get_or_create(
        user=user, municipality=municipality, committee=None, role=StaffRole.Role.MEMBER
    )
    return user


def attendance(*, absent: int = 1) -> list[services.AttendanceRow]:
    """The committee at a demo meeting: every member, the last ``absent`` of them away; the
    first two adjust the minutes and the third chairs."""
    users = {u.email: u for u in User.objects.filter(email__in=[e for e, _n, _p in COMMITTEE])}
    rows = []
    for index, (email, _name, party) in enumerate(COMMITTEE):
        present = index < len(COMMITTEE) - absent
        role = Attendance.Role.CHAIR if index == 2 else Attendance.Role.MEMBER
        rows.append(
            services.AttendanceRow(
                user=users[email], party=party, present=present, adjuster=index < 2, role=role
            )
        )
    return rows


def seed(context: dict) -> None:
    committee = context["committees"]["SN"]
    users = context["users"]
    secretary = users[StaffRole.Role.SECRETARY]
    lars = users[StaffRole.Role.MEMBER]
    asa = second_member(context["municipality"])
    today = timezone.localdate()

    june = at_hour(dt.date(today.year + 1, 6, 10))
    if not Meeting.objects.filter(committee=committee, starts_at=june).exists():
        services.meeting_create(committee=committee, starts_at=june, place=PLACE, by=secretary)

    held_day = today - dt.timedelta(days=14)
    if held_day.year != today.year:
        held_day = today
    if (
        Meeting.objects.filter(committee=committee, starts_at__date__lt=june.date(), place=PLACE)
        .exclude(starts_at=june)
        .exists()
    ):
        return
    meeting = services.meeting_create(
        committee=committee, starts_at=at_hour(held_day, 9), place=PLACE, by=secretary
    )
    published = at(held_day - dt.timedelta(days=10), 9)
    Meeting.objects.filter(pk=meeting.pk).update(created_at=published - dt.timedelta(days=14))
    services.attendance_set(meeting=meeting, rows=attendance(absent=2), by=secretary)
    with happened(published):
        services.meeting_transition(
            meeting=meeting, name="publish_agenda", by=secretary, reason="Kallelse skickad"
        )
    with happened(meeting.starts_at):
        services.meeting_transition(meeting=meeting, name="hold", by=secretary)
    with happened(at(held_day + dt.timedelta(days=1), 10)):
        services.minutes_approve(meeting=meeting, by=lars)
    with happened(at(held_day + dt.timedelta(days=1), 14)):
        services.minutes_approve(meeting=meeting, by=asa)
    posted_on = min(held_day + dt.timedelta(days=7), today)
    with happened(at(posted_on, 9)):
        services.meeting_post(meeting=meeting, posted_on=posted_on, by=secretary)
    Meeting.objects.filter(pk=meeting.pk).update(posted_at=at(posted_on, 9))
