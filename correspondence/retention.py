"""What the thread holds about a person, in the personal-data export.

A message on a case is a record of the case (allmän handling) and is kept with it: it is neither
erased with the person (their name goes with the anonymised user row) nor culled on its own.  The
e-archive takes it with the case's package, and its files leave Bidra when the archive culls the
case's uploaded attachments (``archive.archived_cases``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from accounts.personal_data import register_export


def _dt(value):
    return value.isoformat() if value else None


@register_export("case_messages", gettext_lazy("Messages on cases"))
def _export_case_messages(*, email, user):
    from .adapters import adapter_for
    from .models import Message

    if user is None:
        return []
    rows = []
    for message in (
        Message.objects.filter(author=user)
        .select_related("organisation")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    ):
        case = message.case
        number = ""
        if case is not None:
            try:
                number = adapter_for(case).case_number(case)
            except LookupError:
                number = ""
        rows.append(
            {
                "case": number,
                "organisation": message.organisation.name,
                "written_at": _dt(message.created_at),
                "internal_note": message.internal,
                "text": message.body,
                "files": [a.original_name for a in message.attachments.all()],
            }
        )
    return rows
