"""The digital notice board (anslagstavla): posted minutes and the secretary's other notices."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings import appeals
from meetings.models import Meeting, Notice
from meetings.selectors import minutes_document
from organizations.models import User
from workflows.services import require

#: the longest an other notice stays on the board
MAX_DAYS_POSTED = 365
#: notices are public documents of the municipality, written in Swedish like its minutes
NOTICE_LANGUAGE = "sv"


def minutes_notice_title(meeting: Meeting) -> str:
    with translation.override(NOTICE_LANGUAGE):
        return _("Minutes of %(committee)s, meeting of %(date)s") % {
            "committee": meeting.committee.name,
            "date": date_format(timezone.localtime(meeting.starts_at), "Y-m-d"),
        }


def minutes_notice_create(*, meeting: Meeting, by: User) -> Notice:
    """The notice of posted minutes, made by ``meeting_post`` in its transaction.

    It stays on the board until the day after the appeal period, the day the posting
    certificate of the minutes names.
    """
    minutes = minutes_document(meeting=meeting)
    with translation.override(NOTICE_LANGUAGE):
        body = _(
            "The minutes of %(committee)s are approved. Kept at: %(place)s. "
            "An appeal for a review of legality must reach the administrative court by %(date)s."
        ) % {
            "committee": meeting.committee.name,
            "place": meeting.minutes_kept_at,
            "date": date_format(meeting.appeal_ends_on, "Y-m-d"),
        }
    notice, _created = Notice.objects.update_or_create(
        meeting=meeting,
        defaults={
            "municipality_id": meeting.committee.municipality_id,
            "kind": Notice.Kind.MINUTES,
            "title": minutes_notice_title(meeting),
            "body": body,
            "document": minutes,
            "posted_on": meeting.posted_on,
            "taken_down_on": appeals.notice_taken_down_on(meeting.appeal_ends_on),
            "posted_by": by,
        },
    )
    return notice


def notice_post(
    *, municipality, title: str, body: str, posted_on: dt.date, taken_down_on: dt.date, by: User
) -> Notice:
    """The secretary posts an other notice (a meeting announced, a decision made known)."""
    require(by, "meetings.post_notice", municipality)
    errors = []
    if not title.strip():
        errors.append(_("Give the notice a title."))
    if posted_on < timezone.localdate():
        errors.append(_("A notice cannot be posted on a day that has passed."))
    if taken_down_on <= posted_on:
        errors.append(_("The day the notice is taken down must come after the day it is posted."))
    elif (taken_down_on - posted_on).days > MAX_DAYS_POSTED:
        errors.append(_("A notice can stay on the board for at most a year."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return Notice.objects.create(
            municipality=municipality,
            kind=Notice.Kind.NOTICE,
            title=title.strip(),
            body=body.strip(),
            posted_on=posted_on,
            taken_down_on=taken_down_on,
            posted_by=by,
        )
