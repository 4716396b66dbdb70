"""Queries of committee meetings: each page's queries are few and fixed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from meetings.agenda import registered_adapters
from meetings.models import AgendaItem, Appeal, Attendance, Decision, Meeting, Notice, Recusal
from organizations.models import Committee
from organizations.permissions import staff_roles
from workflows.models import StoredDocument
from workflows.templatetags.bidra import kr


def committees_visible(*, user) -> QuerySet[Committee]:
    """Committees whose meetings ``user`` may see."""
    query = Q(pk__in=[])
    for municipality_id, committee_id, _role in staff_roles(user):
        query |= Q(municipality_id=municipality_id, **({"pk": committee_id} if committee_id else {}))
    return Committee.objects.filter(query).select_related("municipality")


def meetings_for_committee(*, committee: Committee) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(committee=committee)
        .select_related("committee")
        .annotate(item_count=Count("items", filter=Q(items__kind=AgendaItem.Kind.DECISION)))
        .order_by("-starts_at")
    )


def meetings_upcoming(*, user, limit: int = 5) -> list[Meeting]:
    committees = committees_visible(user=user)
    return list(
        Meeting.objects.filter(committee__in=committees)
        .exclude(state=Meeting.State.FINAL)
        .select_related("committee")
        .order_by("starts_at")[:limit]
    )


@dataclass
class Group:
    no: int
    label: str
    items: list[AgendaItem] = field(default_factory=list)
    #: when ``items`` are one page's items of the group: the whole group, and whether it began on
    #: an earlier page (``continued``) or goes on to a later one (``continues``)
    whole: GroupSummary | None = None
    continued: bool = False
    continues: bool = False

    @property
    def undecided(self) -> list[AgendaItem]:
        return [i for i in self.items if getattr(i, "decision_or_none", None) is None]

    @property
    def proposed_total(self) -> Decimal:
        return sum((i.proposed_amount or Decimal(0) for i in self.items), Decimal(0))


AGENDA_ORDER = ("kind", "group_no", "order", "pk")


def agenda_queryset(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's items in agenda order, with their decision, recusals and appeals joined or prefetched.

    Items for decision come before those reported for information (``kind`` sorts so).  A slice
    of it (a page) loads and prefetches only the items of that slice.
    """
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("organisation", "decision")
        .prefetch_related(
            Prefetch("recusals", queryset=Recusal.objects.select_related("user").order_by("declared_at")),
            Prefetch("decision__appeals", queryset=Appeal.objects.order_by("lodged_on", "pk")),
        )
        .order_by(*AGENDA_ORDER)
    )


def agenda_rows(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    """``items`` (from ``agenda_queryset``, whole or a page of it) with what the agenda's row shows.

    Worked out once here: a meeting in June has hundreds of items, and looking these up in the
    template costs a related manager per item and row.
    """
    items = list(items)
    for item in items:
        try:
            item.decision_or_none = item.decision
        except Decision.DoesNotExist:
            item.decision_or_none = None
        item.recusal_names = ", ".join(r.user.full_name for r in item.recusals.all())
        decision = item.decision_or_none
        item.decision_text = ""
        item.decision_label = ""
        item.decision_badge = ""
        if decision is not None:
            item.decision_label = outcome = capfirst(item.outcome_label(decision.outcome))
            item.decision_text = f"{outcome} {kr(decision.amount)}" if decision.amount else outcome
            if decision.annulled:
                item.decision_badge = "annulled"
            elif decision.final_at is not None:
                item.decision_badge = "final"
            elif any(a.pending for a in decision.appeals.all()):
                item.decision_badge = "appealed"
        item.requested_kr = kr(item.requested_amount)
        item.proposed_kr = kr(item.proposed_amount)
    return items


def agenda_items(*, meeting: Meeting) -> list[AgendaItem]:
    """Every item of the meeting with its decision, recusals and appeals, in agenda order."""
    return agenda_rows(agenda_queryset(meeting=meeting))


@dataclass
class GroupSummary:
    """One group of the agenda counted as a whole, whichever page its items are on.

    ``start`` is the position (from 0) of its first item in agenda order.
    """

    no: int
    label: str
    count: int
    undecided: int
    start: int
    #: the page (from 1) where the group starts, when the agenda is shown in pages
    page: int = 1

    @property
    def end(self) -> int:
        return self.start + self.count


@dataclass
class AgendaSummary:
    groups: list[GroupSummary]
    #: the delegated decisions reported for information, after every group (label unused)
    information: GroupSummary

    @property
    def total(self) -> int:
        return self.information.end

    def group(self, no: int) -> GroupSummary | None:
        return next((g for g in self.groups if g.no == no), None)


def agenda_summary(*, meeting: Meeting, per_page: int | None = None) -> AgendaSummary:
    """Each group's number of items and of undecided items, from one aggregate query.

    In agenda order the items of a group follow each other, so where each group starts is the
    sum of the groups before it: a page (of ``per_page`` items) can tell a group continued from
    an earlier page, and a link can go to the page where a group starts, without loading any item.
    """
    rows = (
        AgendaItem.objects.filter(meeting=meeting)
        .values("kind", "group_no")
        .annotate(
            label=Min("group"),
            count=Count("pk"),
            undecided=Count("pk", filter=Q(decision__isnull=True)),
        )
        .order_by("kind", "group_no")
    )
    groups, start = [], 0
    information = GroupSummary(no=0, label="", count=0, undecided=0, start=0)
    for row in rows:
        if row["kind"] == AgendaItem.Kind.INFORMATION:
            information.count += row["count"]
            continue
        groups.append(GroupSummary(row["group_no"], row["label"], row["count"], row["undecided"], start))
        start += row["count"]
    information.start = start
    if per_page:
        for group in [*groups, information]:
            group.page = group.start // per_page + 1
    return AgendaSummary(groups=groups, information=information)


def agenda_groups(items: list[AgendaItem]) -> tuple[list[Group], list[AgendaItem]]:
    """(groups of items for decision, items reported for information)."""
    groups: dict[int, Group] = {}
    information = []
    for item in items:
        if item.kind == AgendaItem.Kind.INFORMATION:
            information.append(item)
            continue
        groups.setdefault(item.group_no, Group(item.group_no, item.group)).items.append(item)
    return sorted(groups.values(), key=lambda g: g.no), information


def agenda_page_groups(
    items: list[AgendaItem], *, summary: AgendaSummary, offset: int
) -> tuple[list[Group], list[AgendaItem]]:
    """``agenda_groups`` of one page of items, the first at position ``offset`` of the agenda.

    Each group knows its whole (from ``agenda_summary``) and whether it began on an earlier page
    or goes on to a later one.
    """
    groups, information = agenda_groups(items)
    end = offset + len(items)
    for group in groups:
        group.whole = summary.group(group.no) or GroupSummary(
            group.no, group.label, len(group.items), len(group.undecided), offset
        )
        group.continued = group.whole.start < offset
        group.continues = group.whole.end > end
    return groups, information


def attendance(*, meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendances.select_related("user").order_by("role", "user__full_name"))


@dataclass
class Candidate:
    key: str
    case: object
    title: str
    case_number: str
    requested: Decimal | None
    proposed: Decimal | None


def agenda_candidates(*, meeting: Meeting) -> list[tuple[str, list[Candidate]]]:
    """Cases waiting for this committee (from every registered case type), grouped, not yet on an agenda."""
    # An item waits for its decision only on a meeting that is not held yet or held without
    # approved minutes: looking there only keeps this query small however many meetings there were.
    waiting = (Meeting.State.PLANNED, Meeting.State.AGENDA_PUBLISHED, Meeting.State.HELD)
    on_agenda = set(
        AgendaItem.objects.filter(
            kind=AgendaItem.Kind.DECISION, decision__isnull=True, meeting__state__in=waiting
        ).values_list("content_type_id", "object_id")
    )
    groups: dict[str, list[Candidate]] = {}
    for adapter in registered_adapters():
        content_type = ContentType.objects.get_for_model(adapter.model)
        for case in adapter.proposed_queryset(meeting.committee):
            if (content_type.pk, case.pk) in on_agenda:
                continue
            groups.setdefault(adapter.group_label(case), []).append(
                Candidate(
                    key=f"{content_type.pk}:{case.pk}",
                    case=case,
                    title=adapter.title(case),
                    case_number=adapter.case_number(case),
                    requested=adapter.requested_amount(case),
                    proposed=adapter.proposed_amount(case),
                )
            )
    return sorted(groups.items())


def meeting_documents(*, meeting: Meeting, items: list[AgendaItem] | None = None) -> list[StoredDocument]:
    """The latest version of each document of the meeting and of ``items`` (every item if None).

    ``items=[]`` gives the meeting's own documents only (agenda, officer's reports, minutes).
    """
    item_ids = (
        [i.pk for i in items] if items is not None else list(meeting.items.values_list("pk", flat=True))
    )
    query = Q(content_type=ContentType.objects.get_for_model(Meeting), object_id=meeting.pk)
    if item_ids:
        query |= Q(content_type=ContentType.objects.get_for_model(AgendaItem), object_id__in=item_ids)
    documents = StoredDocument.objects.filter(query).order_by("kind", "object_id", "-version")
    latest = {}
    for document in documents:
        latest.setdefault((document.content_type_id, document.object_id, document.kind), document)
    return list(latest.values())


def item_documents(*, items: list[AgendaItem]) -> dict[int, list[StoredDocument]]:
    """The latest version of each kind of document of each of ``items`` (a page), by item pk: one query."""
    if not items:
        return {}
    documents = StoredDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(AgendaItem), object_id__in=[i.pk for i in items]
    ).order_by("object_id", "kind", "-version")
    latest: dict[int, dict[str, StoredDocument]] = {}
    for document in documents:
        latest.setdefault(document.object_id, {}).setdefault(document.kind, document)
    return {pk: list(kinds.values()) for pk, kinds in latest.items()}


def recused_user_ids(*, case) -> set[int]:
    """Users who declared a conflict of interest in ``case`` on any agenda: their part does not count."""
    return set(
        Recusal.objects.filter(
            item__content_type=ContentType.objects.get_for_model(case), item__object_id=case.pk
        ).values_list("user_id", flat=True)
    )


# -- the notice board ------------------------------------------------------------------------------


def minutes_document(*, meeting: Meeting) -> StoredDocument | None:
    """The newest version of the minutes: once posted, the one with the posting certificate."""
    return (
        StoredDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Meeting), object_id=meeting.pk, kind="minutes"
        )
        .order_by("-version")
        .first()
    )


def _notices(municipality) -> QuerySet[Notice]:
    return Notice.objects.filter(municipality=municipality).select_related(
        "municipality", "meeting__committee"
    )


def notices_current(*, municipality, on: dt.date | None = None) -> QuerySet[Notice]:
    """What the board shows today: posted, and not yet taken down."""
    on = on or timezone.localdate()
    return (
        _notices(municipality).filter(posted_on__lte=on, taken_down_on__gt=on).order_by("-posted_on", "-pk")
    )


def notices_archived(*, municipality, on: dt.date | None = None) -> QuerySet[Notice]:
    """Notices taken down, the most recently taken down first."""
    on = on or timezone.localdate()
    return _notices(municipality).filter(taken_down_on__lte=on).order_by("-taken_down_on", "-pk")


def notice_public(*, municipality, pk: int) -> Notice | None:
    """A notice that is on the board today (its document may be downloaded), or None."""
    return notices_current(municipality=municipality).filter(pk=pk).first()


def notice_document(notice: Notice) -> StoredDocument | None:
    if notice.meeting_id is not None:
        return minutes_document(meeting=notice.meeting) or notice.document
    return notice.document
