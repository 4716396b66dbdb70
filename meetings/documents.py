"""The documents of a meeting, as PDF/A through ``workflows.services.document_store``.

Agenda (föredragningslista), officer's reports (tjänsteutlåtanden) per group,
minutes (protokoll) and minutes extracts (protokollsutdrag) per item.  They
are always written in Swedish, whatever language the secretary uses.  The
same content twice is one version; a change makes a new version.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings import appeals
from meetings.agenda import adapter_for
from meetings.models import AgendaItem, Meeting
from workflows.models import StoredDocument
from workflows.services import document_store

from . import selectors, services

DOCUMENT_LANGUAGE = "sv"


def _base_context(meeting: Meeting) -> dict:
    items = selectors.agenda_items(meeting=meeting)
    groups, information = selectors.agenda_groups(items)
    people = selectors.attendance(meeting=meeting)
    present = [a for a in people if a.present]
    for item in items:
        item.recusal_lines = [recusal_sentence(r, people) for r in item.recusals.all()]
        recused = {r.user_id for r in item.recusals.all()}
        # who decided this item: those present, less anyone with a conflict of interest in it
        item.participants = [a for a in present if a.user_id not in recused]
    orders = [i.order for i in items]
    secretary = meeting.secretary or meeting.created_by
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "municipality": meeting.committee.municipality,
        "starts_at": timezone.localtime(meeting.starts_at),
        "groups": groups,
        "information": information,
        "present": [a for a in people if a.present],
        "absent": [a for a in people if not a.present],
        "adjusters": [a for a in people if a.adjuster],
        "members_present": [a for a in present if a.role != a.Role.SUBSTITUTE],
        "substitutes": [a for a in present if a.role == a.Role.SUBSTITUTE],
        "chair": next((a for a in present if a.role == a.Role.CHAIR), None),
        "secretary": secretary,
        "paragraphs": (min(orders), max(orders)) if orders else None,
        "kept_at": meeting.minutes_kept_at
        or (services.minutes_kept_at_default(meeting) if meeting.posted_on else ""),
        "taken_down_on": appeals.notice_taken_down_on(meeting.appeal_ends_on)
        if meeting.appeal_ends_on
        else None,
        "made_at": timezone.localtime(),
    }


def recusal_sentence(recusal, people=None) -> str:
    """'Lars Ledamot (S) anmäler jäv och deltar inte i handläggningen av ärendet.'"""
    name = recusal.user.full_name
    for person in people or []:
        if person.user_id == recusal.user_id:
            name = person.display_name
    return _("%(name)s declares a conflict of interest and takes no part in the handling of the item.") % {
        "name": name
    }


def agenda_document_make(*, meeting: Meeting, by) -> StoredDocument:
    with translation.override(DOCUMENT_LANGUAGE):
        context = _base_context(meeting)
        return document_store(
            subject=meeting,
            kind="agenda",
            title=_("Agenda %(meeting)s") % {"meeting": meeting},
            template="documents/meeting_agenda.html",
            context=context,
            by=by,
        )


def officer_report_context(meeting: Meeting, group) -> dict:
    """The officer's report of one group: the adapter's table, the budget frame and the proposal."""
    rows, frame = [], None
    by_adapter: dict = {}
    for item in group.items:
        case = item.case
        try:
            adapter = adapter_for(case) if case is not None else None
        except LookupError:
            adapter = None
        if adapter is None:
            rows.append(
                {
                    "applicant": str(item.organisation or ""),
                    "case_number": item.case_number,
                    "requested": item.requested_amount,
                    "proposed": item.proposed_amount,
                    "score": "",
                    "motivation": item.proposal_text,
                }
            )
            continue
        by_adapter.setdefault(id(adapter), (adapter, []))[1].append(case)
    for adapter, cases in by_adapter.values():
        rows += adapter.officer_report_rows(cases)
        frame = frame or adapter.budget_frame(cases)
    proposed_total = sum((r.get("proposed") or Decimal(0) for r in rows), Decimal(0))
    requested_total = sum((r.get("requested") or Decimal(0) for r in rows), Decimal(0))
    if frame and frame.get("amount") is not None:
        frame = {**frame, "free": frame["amount"] - (frame.get("committed") or Decimal(0))}
        frame["after"] = frame["free"] - proposed_total
    return {
        "group": group,
        "rows": rows,
        "frame": frame,
        "proposed_total": proposed_total,
        "requested_total": requested_total,
    }


def officer_report_make(*, meeting: Meeting, group_no: int, by) -> StoredDocument:
    with translation.override(DOCUMENT_LANGUAGE):
        context = _base_context(meeting)
        group = next((g for g in context["groups"] if g.no == group_no), None)
        if group is None:
            raise LookupError(group_no)
        context.update(officer_report_context(meeting, group))
        return document_store(
            subject=meeting,
            kind=f"officer_report_{group_no}",
            title=_("Officer's report: %(group)s") % {"group": group.label},
            template="documents/officer_report.html",
            context=context,
            by=by,
        )


def minutes_document_make(*, meeting: Meeting, by) -> StoredDocument:
    with translation.override(DOCUMENT_LANGUAGE):
        context = _base_context(meeting)
        return document_store(
            subject=meeting,
            kind="minutes",
            title=_("Minutes %(meeting)s") % {"meeting": meeting},
            template="documents/minutes.html",
            context=context,
            by=by,
        )


def extract_document_make(*, item: AgendaItem, by) -> StoredDocument:
    with translation.override(DOCUMENT_LANGUAGE):
        context = _base_context(item.meeting)
        every = [i for g in context["groups"] for i in g.items] + context["information"]
        item = next(i for i in every if i.pk == item.pk)
        context["item"] = item
        return document_store(
            subject=item,
            kind="minutes_extract",
            title=_("Minutes extract §%(no)s %(title)s") % {"no": item.order, "title": item.title},
            template="documents/minutes_extract.html",
            context=context,
            by=by,
        )


def meeting_documents_make(*, meeting: Meeting, kinds: list[str], by) -> list[StoredDocument]:
    """Make (or find unchanged) the documents of ``kinds``: agenda, officer_reports, minutes, extracts."""
    made = []
    if "agenda" in kinds:
        made.append(agenda_document_make(meeting=meeting, by=by))
    if "officer_reports" in kinds:
        for group_no in sorted(
            set(meeting.items.filter(kind=AgendaItem.Kind.DECISION).values_list("group_no", flat=True))
        ):
            made.append(officer_report_make(meeting=meeting, group_no=group_no, by=by))
    if "minutes" in kinds:
        made.append(minutes_document_make(meeting=meeting, by=by))
    if "extracts" in kinds:
        for item in meeting.items.filter(decision__isnull=False):
            made.append(extract_document_make(item=item, by=by))
    return made
