"""Planning a meeting, its attendance and its agenda, and the meeting's own transitions.

Only the committee's secretary changes them; a meeting moves only by a logged transition
(``perform_transition``), and an agenda is changed only while the meeting is open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from meetings.agenda import adapter_for
from meetings.models import AgendaItem, Attendance, Decision, Meeting
from organizations.models import StaffRole, User
from workflows.queue import delay_on_commit
from workflows.services import TransitionRefused, perform_transition, require

from .decisions import OPEN_STATES, _list_for_information

# -- planning -------------------------------------------------------------------------------------


def meeting_create(*, committee, starts_at: dt.datetime, place: str, by: User) -> Meeting:
    """Plan a meeting; delegated decisions not yet reported are listed on it for information."""
    require(by, "meetings.manage_committee_meetings", committee)
    with transaction.atomic():
        meeting = Meeting.objects.create(committee=committee, starts_at=starts_at, place=place, created_by=by)
        unreported = Decision.objects.filter(committee=committee, delegation__isnull=False, item__isnull=True)
        for decision in unreported.order_by("decided_at", "pk"):
            _list_for_information(meeting=meeting, decision=decision, by=by)
    return meeting


def committee_members(committee) -> list[User]:
    """Users holding the committee member role for ``committee``."""
    return list(
        User.objects.filter(
            staff_roles__role=StaffRole.Role.MEMBER,
            staff_roles__municipality_id=committee.municipality_id,
            staff_roles__state=StaffRole.State.ACTIVE,
        )
        .filter(Q(staff_roles__committee__isnull=True) | Q(staff_roles__committee=committee))
        .distinct()
        .order_by("full_name")
    )


@dataclass
class AttendanceRow:
    user: User
    present: bool = True
    role: str = Attendance.Role.MEMBER
    party: str = ""
    adjuster: bool = False


def attendance_set(*, meeting: Meeting, rows: list[AttendanceRow], by: User) -> list[Attendance]:
    """Record who attends (members and substitutes) and which two of those present adjust the minutes."""
    require(by, "meetings.manage_meeting", meeting)
    meeting.refresh_from_db(fields=["state"])
    if meeting.state not in OPEN_STATES:
        raise TransitionRefused([_("Attendance cannot be changed after the minutes are approved.")])
    members = {u.pk for u in committee_members(meeting.committee)}
    errors = []
    for row in rows:
        if row.user.pk not in members:
            errors.append(_("%(name)s is not a member of the committee.") % {"name": row.user.full_name})
        if row.adjuster and not row.present:
            errors.append(_("%(name)s cannot adjust the minutes without being present.") % {"name": row.user})
    if sum(1 for r in rows if r.adjuster) > 2:
        errors.append(_("Name at most two adjusters."))
    chairs = [r for r in rows if r.role == Attendance.Role.CHAIR]
    if len(chairs) > 1:
        errors.append(_("Name one chair."))
    if any(not r.present for r in chairs):
        errors.append(_("The chair must be present."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        keep = [r.user.pk for r in rows]
        meeting.attendances.exclude(user_id__in=keep).delete()
        result = []
        for row in rows:
            attendance, _created = Attendance.objects.update_or_create(
                meeting=meeting,
                user=row.user,
                defaults={
                    "present": row.present,
                    "role": row.role,
                    "party": row.party,
                    "adjuster": row.adjuster,
                },
            )
            result.append(attendance)
    return result


# -- the agenda -----------------------------------------------------------------------------------


def agenda_add(*, meeting: Meeting, cases: list, by: User) -> list[AgendaItem]:
    """Put proposed cases on the agenda, each grouped under its adapter's group label.

    The proposal (amounts, text, organisation) is copied onto the item now.
    Only cases the adapter offers as proposed for this committee can be added.
    """
    require(by, "meetings.manage_meeting", meeting)
    items = []
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting.pk)
        )
        if meeting.state not in (Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED):
            raise TransitionRefused([_("Cases can only be added before the meeting is held.")])
        groups = dict(meeting.items.values_list("group", "group_no").distinct())
        order = meeting.items.aggregate(m=Max("order"))["m"] or 0
        for case in cases:
            adapter = adapter_for(case)
            if not adapter.proposed_queryset(meeting.committee).filter(pk=case.pk).exists():
                raise TransitionRefused(
                    [
                        _("%(case)s is not waiting for this committee's decision.")
                        % {"case": adapter.title(case)}
                    ]
                )
            content_type = ContentType.objects.get_for_model(case)
            if AgendaItem.objects.filter(
                content_type=content_type,
                object_id=case.pk,
                kind=AgendaItem.Kind.DECISION,
                decision__isnull=True,
            ).exists():
                raise TransitionRefused(
                    [_("%(case)s is already on an agenda.") % {"case": adapter.title(case)}]
                )
            group = adapter.group_label(case)[:200]
            if group not in groups:
                groups[group] = max(groups.values(), default=0) + 1
            order += 1
            organisation = adapter.organisation(case)
            items.append(
                AgendaItem.objects.create(
                    meeting=meeting,
                    content_type=content_type,
                    object_id=case.pk,
                    group=group,
                    group_no=groups[group],
                    order=order,
                    title=adapter.title(case)[:300],
                    case_number=adapter.case_number(case)[:40],
                    organisation=organisation,
                    requested_amount=adapter.requested_amount(case),
                    proposed_amount=adapter.proposed_amount(case),
                    proposed_outcome=adapter.proposed_outcome(case),
                    proposal_text=adapter.proposal_text(case),
                    case_url=adapter.case_url(case)[:300],
                    added_by=by,
                )
            )
    return items


def meeting_transition(*, meeting: Meeting, name: str, by: User, reason: str = "") -> Meeting:
    """Publish the agenda or mark the meeting held; the agenda's documents are made after commit."""
    from meetings import tasks

    if name not in ("publish_agenda", "hold"):
        raise ValueError(name)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        perform_transition(meeting, name, by=by, reason=reason)
        if name == "hold":
            # whoever marks the meeting as held keeps its minutes and signs them as secretary
            meeting.secretary = by
            meeting.save(update_fields=["secretary"])
        if name == "publish_agenda":
            delay_on_commit(tasks.meeting_documents_make, meeting.pk, by.pk, ["agenda", "officer_reports"])
    return meeting
