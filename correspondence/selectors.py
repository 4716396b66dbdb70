"""The thread of a case and what is unread, as each side sees it."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet

from organizations.permissions import active_org_roles, staff_municipality_ids

from .adapters import adapter_for
from .models import Message, MessageRead
from .services import ORGANISATION, STAFF, party


def case_messages(*, case, side: str) -> QuerySet[Message]:
    """The case's messages that ``side`` sees, oldest first: the organisation never sees a note."""
    messages = Message.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    )
    if side != STAFF:
        messages = messages.filter(internal=False)
    return messages.select_related("author").prefetch_related("attachments")


def thread(*, case, user) -> dict | None:
    """What the panel shows ``user``: the side they write for, the messages (each with the first
    read of the other side, the receipt, on the user's own side's messages, and whether it is new
    to the user); None when the user may not read the case's thread."""
    side = party(user, case)
    if side is None:
        return None
    messages = list(
        case_messages(case=case, side=side).annotate(
            first_read=Min("reads__read_at"),
            read_by_me=Count("reads", filter=Q(reads__user=user)),
        )
    )
    for message in messages:
        message.own_side = message.side == side
        message.receipt = message.first_read if message.own_side and not message.internal else None
        message.new = not message.own_side and not message.read_by_me
    return {"side": side, "messages": messages, "is_staff": side == STAFF}


def attachment_visible(*, attachment, user) -> bool:
    message = attachment.message
    case = message.case
    if case is None:
        return False
    side = party(user, case)
    return side == STAFF or (side == ORGANISATION and not message.internal)


def _unread(messages: QuerySet[Message], user) -> QuerySet[Message]:
    return messages.filter(internal=False).exclude(
        pk__in=MessageRead.objects.filter(user=user).values("message_id")
    )


def unread_cases(*, user, limit: int = 50) -> list[dict]:
    """The cases with messages ``user`` has not read, newest first: for a member of organisations
    what the municipality wrote; for staff what organisations wrote on the cases they may handle.
    Each: the case number, title, page and how many are unread."""
    org_ids = list(active_org_roles(user))
    municipality_ids = staff_municipality_ids(user)
    query = Q()
    if org_ids:
        query |= Q(organisation_id__in=org_ids, side=STAFF)
    if municipality_ids:
        query |= Q(municipality_id__in=municipality_ids, side=ORGANISATION)
    if not query:
        return []
    groups = (
        _unread(Message.objects.filter(query), user)
        .values("content_type_id", "object_id")
        .annotate(count=Count("pk"), latest=Min("created_at"))
        .order_by("-latest")[: limit * 2]
    )
    by_type = defaultdict(dict)
    for group in groups:
        by_type[group["content_type_id"]][group["object_id"]] = group["count"]
    rows = []
    for content_type_id, counts in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        try:
            adapter = adapter_for(model)
        except LookupError:
            continue
        for case in adapter.queryset(model).filter(pk__in=counts):
            if party(user, case) is None:
                continue
            rows.append(
                {
                    "case_number": adapter.case_number(case),
                    "title": adapter.title(case),
                    "url": adapter.url(case) + "#meddelanden",
                    "count": counts[case.pk],
                }
            )
    rows.sort(key=lambda row: row["case_number"])
    return rows[:limit]


def unread_total(rows: list[dict]) -> int:
    return sum(row["count"] for row in rows)


def messages_of_cases(cases) -> QuerySet[Message]:
    """Every message of these cases, internal notes too, oldest first (for the e-archive)."""
    query = Q(pk__in=[])
    for case in cases:
        query |= Q(content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk)
    return (
        Message.objects.filter(query)
        .select_related("author", "content_type")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
